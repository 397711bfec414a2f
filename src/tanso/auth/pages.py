"""The account pages: sign in, sign out, register, profile, change password.

Plain Tornado handlers on the Bokeh server (no second web framework): /login and /logout
are the auth module's LoginHandler/LogoutHandler (tanso/auth/bokeh_auth.py), the others
are added as a `panel serve --plugins tanso.auth.pages` module (its ROUTES). Every form
post carries a signed double-submit XSRF token; every state change is a POST (a GET never
signs anybody out, ASVS 3.5.3). Text from users is rendered by Jinja2 with autoescaping.

The pages speak the language of `?lang=` (kept in their links and forms), else the signed-in
user's, else English (tanso.ui.i18n.page_language); every text is a key of the gettext catalogs.
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
from tanso.ui.i18n import LANGUAGES, page_language, t

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True, undefined=jinja2.StrictUndefined)

LANGUAGE_OPTIONS = tuple(LANGUAGES.items())
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
    label: str                  # already in the page's language
    type: str = "text"
    value: str = ""
    autocomplete: str = "off"
    required: bool = True
    maxlength: int | None = None
    hint: str = ""
    options: tuple = ()


def email_field(lang: str, value: str = "") -> Field:
    return Field("email", t("account.field.email", lang), "email", value, "username",
                 maxlength=users.MAX_EMAIL)


def password_field(lang: str, name: str = "password", autocomplete: str = "current-password",
                   hint: bool = False) -> Field:
    return Field(name, t(f"account.field.{name}", lang), "password", "", autocomplete,
                 hint=t("account.hint.new_password", lang) if hint else "")


def minutes(seconds: int) -> int:
    return -(-seconds // 60)


class AccountPage(RequestHandler):
    """Shared by every account page: headers, the XSRF check, the signed-in user, forms."""

    def prepare(self) -> None:
        for header, value in SECURITY_HEADERS.items():
            self.set_header(header, value)
        self.raw_session, self.user = identify(self)
        requested = self.get_argument("lang", None)
        self.requested_lang = requested if requested in LANGUAGES else ""   # kept in links and forms
        self.lang = page_language(requested, self.user.language if self.user else None)
        if self.request.method == "POST" and not xsrf_token_valid(
                secret_key(), self.get_cookie(XSRF_COOKIE), self.get_body_argument("_xsrf", None)):
            with engine().begin() as conn:
                audit.record(conn, "xsrf_refused", address=client_address(self.request),
                             path=self.request.path)
            self.set_status(403)
            self.render_page("account.title.form_expired", fields=None,
                             error=self.t("account.error.form_expired"),
                             links=[(self.request.path, "account.link.reload")])
            self.finish()

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def href(self, path: str, **query: str) -> str:
        """A link inside the site that keeps a language asked for with `?lang=`."""
        if self.requested_lang:
            query |= {"lang": self.requested_lang}
        params = "&".join(f"{k}={quote(v, safe='/')}" for k, v in query.items())
        return f"{path}?{params}" if params else path

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
                    next_url: str = "", action: str = "") -> None:
        """`title`, `submit` and each link's text are message keys; the rest is already text.
        A link is (path, key) or (path, key, query parameters)."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(_TEMPLATES.get_template("form.html").render(
            lang=self.lang, requested_lang=self.requested_lang, title=self.t(title), fields=fields,
            submit=self.t(submit) if submit else "", error=error, notice=notice, lines=lines,
            links=[(self.href(link[0], **(link[2] if len(link) > 2 else {})), self.t(link[1]))
                   for link in links],
            next=next_url, action=action or self.request.path,
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
        self.render_page("account.title.sign_in",
                         fields=[email_field(self.lang, email), password_field(self.lang)],
                         submit="account.submit.sign_in", error=error, notice=notice,
                         next_url=next_url,
                         links=[("/register", "account.link.create", {"next": next_url}),
                                ("/", "account.link.guest")])

    def get(self) -> None:
        self.form(notice=self.t("account.notice.signed_in_as", name=self.user.display_name)
                  if self.signed_in else "")

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
            self.set_status(429)
            self.set_header("Retry-After", str(result.retry_after_seconds))
            return self.form(email=email, error=self.t(
                "account.error.throttled", minutes=minutes(result.retry_after_seconds)))
        if result.user is None:
            self.set_status(401)
            return self.form(email=email, error=self.t("account.error.wrong"))
        self.finish_sign_in(self.next_url())


class LogoutHandler(AccountPage):
    def get(self) -> None:
        if not self.signed_in:
            return self.redirect("/")
        self.render_page("account.title.sign_out", fields=[], submit="account.submit.sign_out",
                         lines=[self.t("account.line.signed_in_as", name=self.user.display_name,
                                       email=self.user.email)],
                         links=[("/", "account.link.back")])

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
    def form(self, *, email: str = "", name: str = "", language: str = "", error: str = "") -> None:
        self.render_page(
            "account.title.register",
            fields=[email_field(self.lang, email),
                    Field("display_name", self.t("account.field.display_name"), value=name,
                          autocomplete="nickname", maxlength=users.MAX_DISPLAY_NAME,
                          hint=self.t("account.hint.display_name")),
                    password_field(self.lang, autocomplete="new-password", hint=True),
                    Field("language", self.t("account.field.language"), value=language or self.lang,
                          options=LANGUAGE_OPTIONS)],
            submit="account.submit.register", error=error, next_url=self.next_url(),
            links=[("/login", "account.link.have_account", {"next": self.next_url()})])

    def get(self) -> None:
        self.form()

    async def post(self) -> None:
        """The same page whether the email was new or had an account (users.register): the
        sign-in form with the email filled in; nobody is signed in by registering."""
        values = {"email": self.text("email"), "name": self.text("display_name"),
                  "language": self.text("language") or self.lang}

        def register():
            with engine().begin() as conn:
                return users.register(
                    conn, email=values["email"], display_name=values["name"],
                    password=self.text("password"), language=values["language"],
                    address=client_address(self.request), now=now(), policy=auth_policy())

        try:
            result = await self.in_thread(register)
        except AccountError as exc:
            self.set_status(400)
            return self.form(**values, error=exc.text(self.lang))
        if result.retry_after_seconds:
            self.set_status(429)
            self.set_header("Retry-After", str(result.retry_after_seconds))
            return self.form(**values, error=self.t("account.error.register_throttled",
                                                    minutes=minutes(result.retry_after_seconds)))
        email = values["email"].strip().lower()
        self.render_page("account.title.sign_in",
                         fields=[email_field(self.lang, email), password_field(self.lang)],
                         submit="account.submit.sign_in", next_url=self.next_url(), action="/login",
                         notice=self.t("account.notice.registered", email=email),
                         links=[("/", "account.link.guest")])


class SignedInPage(AccountPage):
    """Pages of one's own account: guests are sent to sign in first."""

    def prepare(self) -> None:
        super().prepare()
        if not self._finished and not self.signed_in:
            self.redirect(self.href("/login", next=self.request.path))


class ProfileHandler(SignedInPage):
    def form(self, user: User, *, error: str = "", notice: str = "") -> None:
        self.render_page(
            "account.title.profile",
            fields=[Field("display_name", self.t("account.field.display_name"),
                          value=user.display_name, autocomplete="nickname",
                          maxlength=users.MAX_DISPLAY_NAME),
                    Field("language", self.t("account.field.language"), value=user.language,
                          options=LANGUAGE_OPTIONS)],
            submit="account.submit.save", error=error, notice=notice,
            lines=[self.t("account.line.email", email=user.email),
                   self.t("account.line.role", role=self.t(f"account.role.{user.role}"))],
            links=[("/account/password", "account.link.password"), ("/logout", "account.link.sign_out"),
                   ("/", "account.link.home")])

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
            return self.form(self.user, error=exc.text(self.lang))
        self.lang = page_language(self.requested_lang, updated.language)   # the new language at once
        self.form(updated, notice=self.t("account.notice.saved"))


class PasswordHandler(SignedInPage):
    def form(self, *, error: str = "", notice: str = "") -> None:
        self.render_page(
            "account.title.password",
            fields=[password_field(self.lang, "current_password"),
                    password_field(self.lang, "new_password", "new-password", hint=True)],
            submit="account.submit.password", error=error, notice=notice,
            lines=[self.t("account.line.others_signed_out")],
            links=[("/account", "account.link.profile")])

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
            return self.form(error=exc.text(self.lang))
        set_session_cookie(self, self._new_session)
        self.form(notice=self.t("account.notice.password_changed"))


# `panel serve --plugins tanso.auth.pages` adds these (login/logout come from the auth module)
ROUTES = [
    ("/register", RegisterHandler, {}),
    ("/account", ProfileHandler, {}),
    ("/account/password", PasswordHandler, {}),
]
