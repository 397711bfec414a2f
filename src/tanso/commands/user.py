"""`tanso user`: accounts from the command line (the first admin, roles, disabling).

A password is never a command-line argument (it would sit in shell history and `ps`): it
is read from a hidden prompt, or from the first line of stdin when stdin is not a terminal
(`printf '%s\\n' "$PW" | tanso user create --admin ops@example.org`).
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import Annotated

import typer

app = typer.Typer(help="Accounts: create, list, disable/enable, change roles.",
                  no_args_is_help=True)

EmailArg = Annotated[str, typer.Argument(help="The account's email")]


def _fail(message: str) -> None:
    from tanso.cli import fail

    fail(message)


def _read_password() -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line   # exactly as typed otherwise
        if not password:
            _fail("no password on stdin (give it as the first line)")
        return password
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != password:
        _fail("the two passwords differ")
    return password


def _run(change):
    """Run `change(conn)` in one transaction; an AccountError becomes one line on stderr."""
    from tanso.auth.users import AccountError
    from tanso.cli import _engine

    engine = _engine()
    try:
        with engine.begin() as conn:
            return change(conn)
    except AccountError as exc:
        _fail(str(exc))


def _echo(value) -> None:
    typer.echo(json.dumps(value, default=str, ensure_ascii=False))


@app.command("create")
def create(email: EmailArg,
           admin: Annotated[bool, typer.Option("--admin", help="Give the account the admin role")] = False,
           role: Annotated[str, typer.Option(help="member, moderator or admin")] = "member",
           name: Annotated[str | None, typer.Option(help="Display name [the email's local part]")] = None,
           language: Annotated[str, typer.Option(help="en or ko")] = "en") -> None:
    """Create an account (the first admin: `tanso user create --admin EMAIL`)."""
    from tanso.auth import users

    password = _read_password()
    user = _run(lambda conn: users.create_user(
        conn, email=email, display_name=name or email.strip().split("@")[0], password=password,
        language=language, role="admin" if admin else role, actor="cli"))
    _echo({"id": user.id, "email": user.email, "display_name": user.display_name,
           "role": user.role})


@app.command("list")
def list_() -> None:
    """Every account as JSON (never a password hash)."""
    from tanso.auth import users

    _echo(_run(users.list_users))


@app.command("disable")
def disable(email: EmailArg) -> None:
    """Disable an account and end its sessions in every process at once."""
    from tanso.auth import users

    ended = _run(lambda conn: users.set_disabled(conn, email, True, actor="cli"))
    _echo({"email": email.strip().lower(), "disabled": True, "sessions_ended": ended})


@app.command("enable")
def enable(email: EmailArg) -> None:
    """Enable a disabled account again (it signs in anew)."""
    from tanso.auth import users

    _run(lambda conn: users.set_disabled(conn, email, False, actor="cli"))
    _echo({"email": email.strip().lower(), "disabled": False})


@app.command("role")
def role(email: EmailArg,
         new_role: Annotated[str, typer.Argument(metavar="ROLE", help="member, moderator or admin")]
         ) -> None:
    """Change an account's role."""
    from tanso.auth import users

    user = _run(lambda conn: users.set_role(conn, email, new_role, actor="cli"))
    _echo({"email": user.email, "role": user.role})
