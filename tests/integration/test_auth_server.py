"""Accounts against two real `tanso serve` processes sharing one PostgreSQL (issue 10's tests).

HTTP through `requests`, websockets through Tornado's client with the Bokeh token a page
embeds, exactly as a browser opens them. The throttle window and the live-session recheck
are shortened through the environment; every other number is the production default.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from tests.browser.conftest import wait_until_up
from tests.conftest import ROOT, TANSO, free_port

pytestmark = pytest.mark.integration

WINDOW_SECONDS = 15
REGISTRATIONS_PER_ADDRESS = 3
PASSWORD = "Sturdy passphrase 7"
# every password any test here types: none may appear in any log of the run
TYPED_PASSWORDS = {PASSWORD}


@dataclass
class Servers:
    urls: list[str]
    logs: list[Path]
    env: dict[str, str]
    engine: sa.Engine
    procs: list[subprocess.Popen] = field(default_factory=list)


@pytest.fixture(scope="module")
def servers(embedded_backend, tmp_path_factory):
    env = embedded_backend.env | {
        "TANSO_SIGNIN_WINDOW_SECONDS": str(WINDOW_SECONDS),
        "TANSO_REGISTER_MAX_PER_ADDRESS": str(REGISTRATIONS_PER_ADDRESS),
        "TANSO_SESSION_RECHECK_SECONDS": "1",
        # as behind a TLS-terminating ingress: X-Forwarded-Proto and X-Real-IP are believed, so
        # tests can be a browser on https or at another address (without them: plain, 127.0.0.1)
        "TANSO_USE_XHEADERS": "1",
    }
    folder = tmp_path_factory.mktemp("auth_serve")
    ports = [free_port(), free_port()]
    logs = [folder / f"serve-{port}.log" for port in ports]
    procs = []
    for port, log in zip(ports, logs, strict=True):
        with open(log, "w") as out:
            procs.append(subprocess.Popen([*TANSO, "serve", "--port", str(port)], env=env,
                                          cwd=ROOT, stdout=out, stderr=subprocess.STDOUT))
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, proc in zip(urls, procs, strict=True):
            wait_until_up(url, proc, timeout=240)   # a loaded 2-core machine
        yield Servers(urls, logs, env, embedded_backend.engine, procs)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
    # passwords never in logs: every line any server wrote during the whole module
    text = "\n".join(log.read_text() for log in logs)
    leaked = [p for p in TYPED_PASSWORDS if p in text]
    assert not leaked, f"passwords found in server logs: {leaked}"


# --- a tiny browser --------------------------------------------------------------------

XSRF_FIELD = re.compile(r'name="_xsrf" value="([0-9a-f]+)"')


def xsrf_of(response: requests.Response) -> str:
    return XSRF_FIELD.search(response.text).group(1)


def post_form(client: requests.Session, url: str, data: dict, **kw) -> requests.Response:
    """GET the form (for its token), then POST it as a browser would; no redirects followed."""
    token = xsrf_of(client.get(url.split("?")[0]))
    return client.post(url, data={"_xsrf": token, **data}, allow_redirects=False, **kw)


_ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))   # TEST-NET-2, one per registration


def register(base: str, email: str, name: str, password: str = PASSWORD, *, language: str = "en",
             address: str | None = None) -> requests.Response:
    """Create the account unless an earlier test (or parameter) did; nobody is signed in.

    Each call comes from an address of its own unless given, so the per-address limit of
    registrations only bites where a test means it to."""
    with requests.Session() as client:
        client.headers["X-Real-IP"] = address or next(_ADDRESSES)
        response = post_form(client, f"{base}/register", {
            "email": email, "display_name": name, "password": password, "language": language})
    assert response.status_code in (200, 429), response.text
    assert "tanso_session" not in response.headers.get("Set-Cookie", "")
    return response


def sign_in(base: str, email: str, password: str = PASSWORD, client=None, **extra):
    client = client or requests.Session()
    response = post_form(client, f"{base}/login", {"email": email, "password": password, **extra})
    return client, response


def account_page(client: requests.Session, base: str) -> requests.Response:
    return client.get(f"{base}/account", allow_redirects=False)


def with_cookie(value: str) -> requests.Session:
    """A browser holding this session cookie (as the server would have set it)."""
    client = requests.Session()
    client.cookies.set("tanso_session", value, domain="127.0.0.1", path="/")
    return client


def session_cookie(client: requests.Session) -> str:
    return client.cookies.get("tanso_session")


def page_token(base: str, cookie: str | None, app: str = "index") -> str:
    headers = {"Cookie": f"tanso_session={cookie}"} if cookie else {}
    html = requests.get(f"{base}/{app}", headers=headers).text
    return re.search(r'"token":\s*"([^"]+)"', html).group(1)


def token_cookies(token: str) -> dict:
    from bokeh.util.token import get_token_payload

    return get_token_payload(token).get("cookies", {})


async def _open_websocket(base: str, cookie: str | None, token: str, origin: str | None,
                          app: str, wait_close: float):
    headers = {"Origin": origin or base}
    if cookie:
        headers["Cookie"] = f"tanso_session={cookie}"
    url = base.replace("http://", "ws://") + f"/{app}/ws"
    try:
        conn = await websocket_connect(HTTPRequest(url, headers=headers),
                                       subprotocols=["bokeh", token])
    except HTTPClientError as exc:
        return exc.code, None
    if not wait_close:
        conn.close()
        return 101, None
    deadline = time.monotonic() + wait_close
    while time.monotonic() < deadline:
        message = await asyncio.wait_for(conn.read_message(), wait_close)
        if message is None:
            return 101, conn.close_code
    conn.close()
    return 101, None


def open_websocket(base: str, cookie: str | None, token: str, *, origin: str | None = None,
                   app: str = "index", wait_close: float = 0):
    """(HTTP status of the upgrade, close code if the server closed it within wait_close)."""
    return asyncio.run(_open_websocket(base, cookie, token, origin, app, wait_close))


# --- the tests -------------------------------------------------------------------------

def test_register_sign_in_sign_out_and_the_old_cookie_is_refused(servers):
    base = servers.urls[0]
    register(base, "first.member@example.org", "First Member")

    client, response = sign_in(base, "First.Member@Example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie_header = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=Lax" in cookie_header
    assert "Secure" not in cookie_header          # plain HTTP here; behind TLS see below
    assert "First Member" in account_page(client, base).text
    cookie = session_cookie(client)

    # an app page embeds a token with the session's ref, never the cookie itself
    token = page_token(base, cookie)
    assert cookie not in json.dumps(token_cookies(token))
    assert token_cookies(token)["tanso_session_ref"]
    assert open_websocket(base, cookie, token) == (101, None)

    response = post_form(client, f"{base}/logout", {})
    assert response.status_code == 302

    replay = with_cookie(cookie)
    response = account_page(replay, base)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "tanso_session_ref" not in token_cookies(page_token(base, cookie))
    assert open_websocket(base, cookie, token)[0] == 403        # websocket replay refused
    assert open_websocket(base, None, token)[0] == 403          # the token alone neither


def test_a_new_session_id_at_every_sign_in(servers):
    base = servers.urls[0]
    register(base, "fixation@example.org", "Fix")
    client = with_cookie("attacker-chosen-id")
    client, _ = sign_in(base, "fixation@example.org", client=client)
    first = session_cookie(client)
    assert first and first != "attacker-chosen-id"
    client, _ = sign_in(base, "fixation@example.org", client=client)
    assert session_cookie(client) != first
    stale = with_cookie(first)
    assert account_page(stale, base).status_code == 302   # the previous id ended


@pytest.mark.parametrize("token", [None, "", "0" * 64, "not-hex"])
def test_form_posts_without_a_valid_xsrf_token_are_refused(servers, token):
    base = servers.urls[0]
    register(base, "xsrf@example.org", "X")
    client = requests.Session()
    client.get(f"{base}/login")                      # has the xsrf cookie, not the token
    data = {"email": "xsrf@example.org", "password": PASSWORD}
    if token is not None:
        data["_xsrf"] = token
    response = client.post(f"{base}/login", data=data, allow_redirects=False)
    assert response.status_code == 403
    assert "tanso_session" not in response.headers.get("Set-Cookie", "")
    # a token from another browser (another xsrf cookie) is refused too
    other = requests.Session()
    foreign = xsrf_of(other.get(f"{base}/login"))
    response = client.post(f"{base}/login", data=data | {"_xsrf": foreign}, allow_redirects=False)
    assert response.status_code == 403


def test_sign_out_needs_the_token_too(servers):
    base = servers.urls[0]
    register(base, "logout-xsrf@example.org", "L")
    client, _ = sign_in(base, "logout-xsrf@example.org")
    assert client.get(f"{base}/logout", allow_redirects=False).status_code == 200   # GET asks
    assert client.post(f"{base}/logout", allow_redirects=False).status_code == 403
    assert account_page(client, base).status_code == 200   # still signed in


def test_rapid_failed_sign_ins_are_throttled_then_allowed_after_the_window(servers):
    base = servers.urls[1]
    register(base, "target@example.org", "Target")
    client = requests.Session()
    statuses = []
    for attempt in range(20):
        guess = f"wrong guess {attempt:02d}"
        TYPED_PASSWORDS.add(guess)
        statuses.append(sign_in(base, "target@example.org", guess, client=client)[1].status_code)
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429] * 10
    # throttled attempts are refused before the password is checked: the right one too
    assert sign_in(base, "target@example.org", client=client)[1].status_code == 429
    # ... on the other server as well (the counts are in PostgreSQL)
    assert sign_in(servers.urls[0], "target@example.org")[1].status_code == 429
    time.sleep(WINDOW_SECONDS + 1)
    _, response = sign_in(base, "target@example.org", client=client)
    assert response.status_code == 302
    with servers.engine.connect() as conn:
        events = dict(conn.execute(sa.text(
            "SELECT event, count(*) FROM ops.security_events WHERE email = 'target@example.org' "
            "OR (event = 'sign_in_throttled') GROUP BY event")).all())
    assert events["sign_in_failed"] == 10 and events["sign_in_throttled"] >= 11
    metrics = requests.get(f"{base}/metrics").text
    assert re.search(r'tanso_sign_in_failures_total\{reason="throttled"\} (\d+)', metrics)
    assert float(re.search(r'tanso_sign_in_failures_total\{reason="bad_credentials"\} ([\d.]+)',
                           metrics).group(1)) >= 10


def test_a_disabled_accounts_live_session_ends(servers):
    base = servers.urls[0]
    register(base, "to-disable@example.org", "Soon Disabled")
    client, _ = sign_in(base, "to-disable@example.org")
    cookie = session_cookie(client)
    token = page_token(base, cookie)

    async def live_then_disabled():
        task = asyncio.create_task(_open_websocket(base, cookie, token, None, "index", 30))
        await asyncio.sleep(2)
        result = await asyncio.to_thread(
            subprocess.run, [*TANSO, "user", "disable", "to-disable@example.org"],
            env=servers.env, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["sessions_ended"] == 1
        started = time.monotonic()
        status, close_code = await task
        return status, close_code, time.monotonic() - started

    status, close_code, seconds = asyncio.run(live_then_disabled())
    assert (status, close_code) == (101, 4001)
    assert seconds < 10
    assert open_websocket(base, cookie, token)[0] == 403
    assert sign_in(base, "to-disable@example.org")[1].status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example",
                                    "\\\\evil.example", "/%5Cevil.example", "https:evil.example",
                                    "javascript:alert(1)"])
def test_next_stays_on_site(servers, target):
    base = servers.urls[0]
    register(base, "next@example.org", "Next")
    client = requests.Session()
    form = client.get(f"{base}/login", params={"next": target})
    assert "evil" not in form.text and "javascript" not in form.text
    response = client.post(f"{base}/login", params={"next": target}, allow_redirects=False,
                           data={"_xsrf": xsrf_of(form), "email": "next@example.org",
                                 "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_next_inside_the_site_is_followed(servers):
    base = servers.urls[0]
    register(base, "inside@example.org", "Inside")
    _, response = sign_in(base, "inside@example.org", next="/national_trends?lang=ko")
    assert response.headers["Location"] == "/national_trends?lang=ko"


def test_websocket_from_a_foreign_origin_is_refused(servers):
    base = servers.urls[0]
    token = page_token(base, None)
    assert open_websocket(base, None, token)[0] == 101
    for origin in ("https://evil.example", "http://127.0.0.1.evil.example",
                   "http://localhost:1"):
        assert open_websocket(base, None, page_token(base, None), origin=origin)[0] == 403


SQL_EMAIL = "o'brien+\"x\";--@example.org"
SQL_NAME = "Robert'); DROP TABLE app.users;-- <script>alert(1)</script> & \"q\""
SQL_PASSWORD = "' OR '1'='1' -- ;DROP TABLE app.sessions"


def test_sql_metacharacters_are_stored_and_shown_verbatim(servers):
    TYPED_PASSWORDS.add(SQL_PASSWORD)
    base = servers.urls[1]
    register(base, SQL_EMAIL, SQL_NAME, SQL_PASSWORD)
    client, response = sign_in(base, SQL_EMAIL.upper(), SQL_PASSWORD)
    assert response.status_code == 302
    page = account_page(client, base).text
    assert "Robert&#39;); DROP TABLE app.users;-- &lt;script&gt;alert(1)&lt;/script&gt; " \
           "&amp; &#34;q&#34;" in page
    assert "<script>alert(1)" not in page
    assert "o&#39;brien+&#34;x&#34;;--@example.org" in page
    new_name = "Bobby'; DELETE FROM app.users; -- ¿ 탄소 \\ %s %(x)s $1 :e"
    saved = post_form(client, f"{base}/account", {"display_name": new_name, "language": "ko"})
    assert saved.status_code == 200 and "저장했습니다." in saved.text   # said in the new language
    with servers.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT email, display_name, language FROM app.users "
                                   "WHERE email = :e"), {"e": SQL_EMAIL}).one()
        assert tuple(row) == (SQL_EMAIL, new_name, "ko")
        assert conn.execute(sa.text("SELECT count(*) FROM app.sessions")).scalar() > 0


def test_two_server_processes_share_sessions(servers):
    first, second = servers.urls
    register(first, "two@example.org", "Two Servers")
    client, _ = sign_in(first, "two@example.org")
    assert "Two Servers" in account_page(client, second).text
    assert "tanso_session_ref" in token_cookies(page_token(second, session_cookie(client)))
    # a form rendered by one process is accepted by the other (one shared XSRF secret)
    token = xsrf_of(client.get(f"{first}/logout"))
    response = client.post(f"{second}/logout", data={"_xsrf": token}, allow_redirects=False)
    assert response.status_code == 302
    assert account_page(client, first).status_code == 302   # signed out on both


def test_change_password_ends_other_sessions_and_needs_the_current_one(servers):
    base = servers.urls[0]
    register(base, "changer@example.org", "Changer")
    laptop, _ = sign_in(base, "changer@example.org")
    phone, _ = sign_in(servers.urls[1], "changer@example.org")
    new_password = "Another sturdy passphrase 8"
    TYPED_PASSWORDS.update({new_password, "not the current one"})
    wrong = post_form(laptop, f"{base}/account/password",
                      {"current_password": "not the current one", "new_password": new_password})
    assert wrong.status_code == 400 and "not correct" in wrong.text
    weak = post_form(laptop, f"{base}/account/password",
                     {"current_password": PASSWORD, "new_password": "password1"})
    assert weak.status_code == 400 and "common" in weak.text
    done = post_form(laptop, f"{base}/account/password",
                     {"current_password": PASSWORD, "new_password": new_password})
    assert done.status_code == 200 and "Password changed" in done.text
    assert account_page(laptop, base).status_code == 200     # this browser got a new session
    assert account_page(phone, servers.urls[1]).status_code == 302   # the other one ended
    assert sign_in(base, "changer@example.org", new_password)[1].status_code == 302


def test_guests_browse_and_account_pages_ask_to_sign_in(servers):
    base = servers.urls[0]
    assert requests.get(f"{base}/index").status_code == 200
    response = requests.get(f"{base}/account", allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/account"
    response = requests.get(f"{base}/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# --- registration that tells nothing, throttled per address ---------------------------------

def _without_tokens(html: str) -> str:
    return XSRF_FIELD.sub('name="_xsrf" value=""', html)


def test_registration_says_the_same_for_a_new_and_a_known_email(servers):
    base = servers.urls[0]
    email = "known.or.not@example.org"
    new = register(base, email, "First Owner")
    TYPED_PASSWORDS.add("Intruder passphrase 9")
    known = register(base, email.upper(), "Intruder", "Intruder passphrase 9")
    assert new.status_code == known.status_code == 200
    assert _without_tokens(new.text) == _without_tokens(known.text)   # the very same page
    assert "If known.or.not@example.org had no account yet" in new.text
    assert 'action="/login"' in new.text and 'value="known.or.not@example.org"' in new.text
    # the known account is untouched: its owner's password works, the intruder's does not
    assert sign_in(base, email, "Intruder passphrase 9")[1].status_code == 401
    client, response = sign_in(base, email)
    assert response.status_code == 302 and "First Owner" in account_page(client, base).text
    with servers.engine.connect() as conn:
        events = conn.execute(sa.text(
            "SELECT event FROM ops.security_events WHERE email = :e AND event LIKE 'register%' "
            "ORDER BY id"), {"e": email}).scalars().all()
    assert events == ["register", "register_existing"]


def test_registrations_are_throttled_per_address_then_allowed_after_the_window(servers):
    base = servers.urls[1]
    address = "203.0.113.50"
    statuses = [register(base, f"probe{n}@example.org", f"Probe {n}", address=address).status_code
                for n in range(REGISTRATIONS_PER_ADDRESS + 2)]
    assert statuses == [200] * REGISTRATIONS_PER_ADDRESS + [429, 429]
    refused = register(base, "probe-late@example.org", "Late", address=address)
    assert "Too many sign-ups from this address" in refused.text and refused.headers["Retry-After"]
    with servers.engine.connect() as conn:   # refused before anything was created
        assert conn.execute(sa.text("SELECT count(*) FROM app.users WHERE email LIKE 'probe%'"
                                    )).scalar_one() == REGISTRATIONS_PER_ADDRESS
    assert register(base, "probe-elsewhere@example.org", "Elsewhere").status_code == 200
    time.sleep(WINDOW_SECONDS + 1)
    assert register(base, "probe-later@example.org", "Later", address=address).status_code == 200


# --- behind TLS, languages ------------------------------------------------------------

def test_cookies_are_secure_behind_tls(servers):
    """With --use-xheaders (TANSO_USE_XHEADERS) a request the ingress marks https gets Secure,
    __Host- cookies, and the session works under that name. (Cookies are sent by hand: the
    test talks plain HTTP to the server, and a client never sends a Secure cookie over that.)"""
    base = servers.urls[0]
    register(base, "tls@example.org", "Behind TLS")
    https = {"X-Forwarded-Proto": "https"}
    form = requests.get(f"{base}/login", headers=https)
    assert re.search(r"tanso_xsrf=[^;]+;.*\bSecure\b", form.headers["Set-Cookie"])
    xsrf_cookie = form.cookies["tanso_xsrf"]
    response = requests.post(f"{base}/login", allow_redirects=False,
                             headers=https | {"Cookie": f"tanso_xsrf={xsrf_cookie}"},
                             data={"_xsrf": xsrf_of(form), "email": "tls@example.org", "password": PASSWORD})
    assert response.status_code == 302
    set_cookies = response.raw.headers.getlist("Set-Cookie")
    (session,) = [c for c in set_cookies if c.startswith("__Host-tanso_session=")]
    value, *attributes = [a.strip() for a in session.split(";")]
    names = {a.split("=")[0].lower() for a in attributes}
    assert {"secure", "httponly"} <= names and "domain" not in names
    assert "SameSite=Lax" in attributes and "Path=/" in attributes
    assert not [c for c in set_cookies if c.startswith("tanso_session=")]   # only the __Host- name
    cookie = {"Cookie": value}
    assert "Behind TLS" in requests.get(f"{base}/account", headers=https | cookie).text
    # the same cookie on a plain HTTP request is not a session
    assert requests.get(f"{base}/account", headers=cookie, allow_redirects=False).status_code == 302


def test_account_pages_and_apps_speak_the_users_language(servers):
    base = servers.urls[0]
    assert 'lang="ko"' in requests.get(f"{base}/login?lang=ko").text
    guest = requests.get(f"{base}/register?lang=ko").text
    assert "계정 만들기" in guest and 'name="lang" value="ko"' in guest
    english = requests.get(f"{base}/login").text
    assert 'lang="en"' in english and "Wrong email" not in english and ">Sign in<" in english

    register(base, "korean@example.org", "한국어 사용자", language="ko")
    client, _ = sign_in(base, "korean@example.org")
    profile = account_page(client, base).text             # no ?lang=: the profile's language
    assert 'lang="ko"' in profile and "내 계정" in profile and "역할: 회원" in profile
    assert ">Your account<" in account_page_en(client, base)   # ?lang= wins
    def title(response: requests.Response) -> str:   # Bokeh's page names no charset: UTF-8
        return re.search(r"<title>(.*?)</title>", response.content.decode()).group(1)

    assert title(client.get(f"{base}/index")) == "탄소 — 탄소중립 분석"   # the suite in Korean
    assert title(client.get(f"{base}/index?lang=en")) == title(requests.get(f"{base}/index")) \
        == "Tanso — carbon-neutrality analytics"                        # ?lang=; guests: English


def account_page_en(client: requests.Session, base: str) -> str:
    return client.get(f"{base}/account?lang=en", allow_redirects=False).text
