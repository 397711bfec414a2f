"""The Bokeh auth module of the served suite: `panel serve --auth-module <this file>`.

Bokeh executes this file by path and reads its names: `get_user` runs on every app page,
app resource and websocket upgrade; `login_url`/`LoginHandler` and `logout_url`/
`LogoutHandler` add the sign-in and sign-out pages. The other account pages come from the
`tanso.auth.pages` plugin; `tanso.serve` passes both.
"""

from tanso.auth import live
from tanso.auth.pages import LoginHandler, LogoutHandler
from tanso.auth.web import get_user

login_url = "/login"
logout_url = "/logout"

live.install()

__all__ = ["LoginHandler", "LogoutHandler", "get_user", "login_url", "logout_url"]
