"""The account pages: sign in, sign out, register, profile, change password.

Plain Tornado handlers on the Bokeh server (no second web framework): /login and /logout
are the auth module's LoginHandler/LogoutHandler (tanso/auth/bokeh_auth.py), the others
are added as a `panel serve --plugins tanso.auth.pages` module (its ROUTES). Every form
post carries a signed double-submit XSRF token; every state change is a POST (a GET never
signs anybody out, ASVS 3.5.3). Text from users is rendered by Jinja2 with autoescaping.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from tornado.web import RequestHandler

from tanso.auth import audit, sessions, users
from tanso.auth.policy import auth_policy, secret_key
from tanso.auth.redirects import safe_next
from tanso.auth.tokens import new_xsrf_cookie, session_hash, xsrf_form_token, xsrf_token_valid
from tanso.auth.users import AccountError, User
from tanso.auth.web import (
    XSRF_COOKIE,
    clear_session_cookie,
    client_address,
    engine,
    identify,
    is_tls,
    now,
    set_session_cookie,
)

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True, undefined=jinja2.StrictUndefined)

LANGUAGE_OPTIONS = (("en", "English"), ("ko", "한국어"))
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"
    value: str = ""
    autocomplete: str = "off"
    required: bool = True
    maxlength: int | None = None
    hint: str = ""
    options: tuple = ()


def email_field(value: str = "") -> Field:
    return Field("email", "Email", "email", value, "username", maxlength=users.MAX_EMAIL)


def password_field(name: str = "password", label: str = "Password",
                   autocomplete: str = "current-password", hint: str = "") -> Field:
    return Field(name, label, "password", "", autocomplete, hint=hint)


NEW_PASSWORD_HINT = "At least 8 characters; long passphrases welcome. Common passwords are refused."  # nosec B105 - help text


class AccountPage(RequestHandler):
    """Shared by every account page: headers, the XSRF check, the signed-in user, forms."""

    def prepare(self) -> None:
        for header, value in SECURITY_HEADERS.items():
            self.set_header(header, value)
        self.raw_session, self.user = identify(self)
        if self.request.method == "POST" and not xsrf_token_valid(
                secret_key(), self.get_cookie(XSRF_COOKIE), self.get_body_argument("_xsrf", None)):
            with engine().begin() as conn:
                audit.record(conn, "xsrf_refused", address=client_address(self.request),
                             path=self.request.path)
            self.set_status(403)
            self.render_page("Form expired", fields=None,
                             error="This form was not sent from this site or has expired. "
                                   "Reload the page and try again.",
                             links=[(self.request.path, "Reload")])
            self.finish()

    @property
    def signed_in(self) -> bool:
        return self.user is not None and not self.user.is_guest

    def xsrf_form_value(self) -> str:
        cookie = self.get_cookie(XSRF_COOKIE)
        if not cookie:
            cookie = self.rotate_xsrf()
        return xsrf_form_token(secret_key(), cookie)

    def rotate_xsrf(self) -> str:
        cookie = new_xsrf_cookie()
        self.set_cookie(XSRF_COOKIE, cookie, path="/", httponly=True, samesite="Strict",
                        secure=is_tls(self.request))
        self.request.cookies[XSRF_COOKIE] = cookie   # forms rendered in this response
        return cookie

    def render_page(self, title: str, *, fields: list[Field] | None, submit: str = "",
                    error: str = "", notice: str = "", lines: tuple = (), links=(),
                    next_url: str = "") -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(_TEMPLATES.get_template("form.html").render(
            title=title, fields=fields, submit=submit, error=error, notice=notice, lines=lines,
            links=links, next=next_url, action=self.request.path,
            xsrf=self.xsrf_form_value() if fields is not None else ""))

    def text(self, name: str) -> str:
        return self.get_body_argument(name, "")

    def next_url(self) -> str:
        return safe_next(self.get_argument("next", None))

    async def in_thread(self, func, *args, **kwargs):
        # argon2 and database round trips run off the event loop; apps keep serving
        return await asyncio.get_running_loop().run_in_executor(None, lambda: func(*args, **kwargs))

    def start_session(self, conn, user: User) -> None:
        """A fresh session id at every sign-in (no fixation); the old one, if any, ends."""
        if self.raw_session:
            sessions.revoke(conn, session_hash(self.raw_session))
        sessions.prune(conn, now=now(), policy=auth_policy())
        self._new_session = sessions.create(
            conn, user.id, address=client_address(self.request),
            user_agent=self.request.headers.get("User-Agent"), now=now(), policy=auth_policy())

    def finish_sign_in(self, destination: str) -> None:
        set_session_cookie(self, self._new_session)
        self.rotate_xsrf()
        self.redirect(destination)


class LoginHandler(AccountPage):
    def form(self, *, email: str = "", error: str = "", notice: str = "") -> None:
        next_url = self.next_url()
        self.render_page("Sign in", fields=[email_field(email), password_field()],
                         submit="Sign in", error=error, notice=notice, next_url=next_url,
                         links=[(f"/register?next={quote(next_url)}", "Create an account"),
                                ("/", "Continue as a guest")])

    def get(self) -> None:
        self.form(notice=f"You are signed in as {self.user.display_name}; signing in again "
                         "replaces that." if self.signed_in else "")

    async def post(self) -> None:
        email = self.text("email")

        def sign_in():
            with engine().begin() as conn:
                result = users.sign_in(conn, email=email, password=self.text("password"),
                                       address=client_address(self.request), now=now(),
                                       policy=auth_policy())
                if result.user is not None:
                    self.start_session(conn, result.user)
                return result

        result = await self.in_thread(sign_in)
        if result.retry_after_seconds:
            minutes = -(-result.retry_after_seconds // 60)
            self.set_status(429)
            self.set_header("Retry-After", str(result.retry_after_seconds))
            return self.form(email=email, error="Too many failed sign-ins. Try again in "
                                                f"{minutes} minute{'s' if minutes > 1 else ''}.")
        if result.user is None:
            self.set_status(401)
            return self.form(email=email, error="Wrong email or password.")
        self.finish_sign_in(self.next_url())


class LogoutHandler(AccountPage):
    def get(self) -> None:
        if not self.signed_in:
            return self.redirect("/")
        self.render_page("Sign out", fields=[], submit="Sign out",
                         lines=[f"Signed in as {self.user.display_name} ({self.user.email})."],
                         links=[("/", "Back")])

    async def post(self) -> None:
        def sign_out():
            if not self.raw_session:
                return
            with engine().begin() as conn:
                user_id = sessions.revoke(conn, session_hash(self.raw_session))
                if user_id is not None:
                    audit.record(conn, "sign_out", user_id=user_id,
                                 address=client_address(self.request))

        await self.in_thread(sign_out)
        clear_session_cookie(self)
        self.rotate_xsrf()
        self.redirect("/")


class RegisterHandler(AccountPage):
    def form(self, *, email: str = "", name: str = "", language: str = "en",
             error: str = "") -> None:
        self.render_page(
            "Create an account",
            fields=[email_field(email),
                    Field("display_name", "Display name", value=name, autocomplete="nickname",
                          maxlength=users.MAX_DISPLAY_NAME, hint="Shown next to what you post."),
                    password_field(autocomplete="new-password", hint=NEW_PASSWORD_HINT),
                    Field("language", "Language", value=language, options=LANGUAGE_OPTIONS)],
            submit="Create account", error=error, next_url=self.next_url(),
            links=[(f"/login?next={quote(self.next_url())}", "I have an account")])

    def get(self) -> None:
        self.form()

    async def post(self) -> None:
        values = {"email": self.text("email"), "name": self.text("display_name"),
                  "language": self.text("language") or "en"}

        def register():
            with engine().begin() as conn:
                user = users.create_user(
                    conn, email=values["email"], display_name=values["name"],
                    password=self.text("password"), language=values["language"],
                    address=client_address(self.request))
                self.start_session(conn, user)

        try:
            await self.in_thread(register)
        except AccountError as exc:
            self.set_status(400)
            return self.form(**values, error=str(exc))
        self.finish_sign_in(self.next_url())


class SignedInPage(AccountPage):
    """Pages of one's own account: guests are sent to sign in first."""

    def prepare(self) -> None:
        super().prepare()
        if not self._finished and not self.signed_in:
            self.redirect(f"/login?next={quote(self.request.path)}")


class ProfileHandler(SignedInPage):
    def form(self, user: User, *, error: str = "", notice: str = "") -> None:
        self.render_page(
            "Your account",
            fields=[Field("display_name", "Display name", value=user.display_name,
                          autocomplete="nickname", maxlength=users.MAX_DISPLAY_NAME),
                    Field("language", "Language", value=user.language,
                          options=LANGUAGE_OPTIONS)],
            submit="Save", error=error, notice=notice,
            lines=[f"Email: {user.email}", f"Role: {user.role}"],
            links=[("/account/password", "Change password"), ("/logout", "Sign out"),
                   ("/", "Home")])

    def get(self) -> None:
        self.form(self.user)

    async def post(self) -> None:
        def save():
            with engine().begin() as conn:
                return users.update_profile(conn, self.user, display_name=self.text("display_name"),
                                            language=self.text("language"),
                                            address=client_address(self.request))

        try:
            updated = await self.in_thread(save)
        except AccountError as exc:
            self.set_status(400)
            return self.form(self.user, error=str(exc))
        self.form(updated, notice="Saved.")


class PasswordHandler(SignedInPage):
    def form(self, *, error: str = "", notice: str = "") -> None:
        self.render_page(
            "Change password",
            fields=[password_field("current_password", "Current password"),
                    password_field("new_password", "New password", "new-password",
                                   NEW_PASSWORD_HINT)],
            submit="Change password", error=error, notice=notice,
            lines=["Every other browser signed in to this account will be signed out."],
            links=[("/account", "Your account")])

    def get(self) -> None:
        self.form()

    async def post(self) -> None:
        def change():
            with engine().begin() as conn:
                users.change_password(conn, self.user, current=self.text("current_password"),
                                      new=self.text("new_password"),
                                      address=client_address(self.request), now=now(),
                                      policy=auth_policy())
                self.raw_session = None   # revoked with the others just now
                self.start_session(conn, self.user)

        try:
            await self.in_thread(change)
        except AccountError as exc:
            self.set_status(400)
            return self.form(error=str(exc))
        set_session_cookie(self, self._new_session)
        self.form(notice="Password changed. Other browsers have been signed out.")


# `panel serve --plugins tanso.auth.pages` adds these (login/logout come from the auth module)
ROUTES = [
    ("/register", RegisterHandler, {}),
    ("/account", ProfileHandler, {}),
    ("/account/password", PasswordHandler, {}),
]
