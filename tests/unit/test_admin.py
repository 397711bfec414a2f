"""The admin page without a database: who is refused (before anything is read), the refusal
text, the red rows of failed runs, no acting on one's own account."""

import pandas as pd
import pytest

from tanso.auth.users import GUEST, User
from tanso.ui.admin.store import AdminStore, Refused, refusal
from tanso.ui.admin.views import FAILED_ROW, failed_rows, page_for
from tanso.ui.app import AppContext

ADMIN = User(id=1, email="admin@example.org", display_name="Ada", language="en", role="admin")
MEMBER = User(id=2, email="m@example.org", display_name="Mo", language="en", role="member")
MODERATOR = User(id=3, email="mod@example.org", display_name="Di", language="en", role="moderator")


def test_only_administrators_get_in():
    assert refusal(GUEST) == "guest"
    assert refusal(MEMBER) == "role"
    assert refusal(MODERATOR) == "role"
    assert refusal(ADMIN) is None
    for user in (GUEST, MEMBER, MODERATOR):
        with pytest.raises(Refused):
            AdminStore(engine=None, user=user)


@pytest.mark.parametrize(("user", "expected"), [
    (GUEST, "**This page is for administrators.** [Sign in](/login?next=/admin)"),
    (MEMBER, "Your account's role is member; an administrator can change it."),
    (MODERATOR, "Your account's role is moderator; an administrator can change it."),
])
def test_refused_page_says_why_without_reading_anything(user, expected):
    # engine=None: a refused page that tried to read the database would fail here
    page = page_for(user, AppContext(slug="admin", lang="en", engine=None))
    (alert,) = page.main
    assert expected in str(alert.object)
    assert "admin-refused" in alert.css_classes


def test_refusal_in_korean():
    page = page_for(MEMBER, AppContext(slug="admin", lang="ko", engine=None))
    assert "관리자 전용 페이지입니다" in str(page.main[0].object)


def test_failed_runs_are_red():
    frame = pd.DataFrame({"status": ["succeeded", "failed"], "_failed": [False, True]})
    style = failed_rows(frame)
    assert style(frame.iloc[0]) == ["", ""]
    assert style(frame.iloc[1]) == [FAILED_ROW, FAILED_ROW]


def test_an_admin_cannot_demote_or_disable_themselves_here():
    store = AdminStore(engine=None, user=ADMIN)   # refused before any database access
    with pytest.raises(Refused, match="cannot change the role of your own account"):
        store.change_role(" Admin@Example.org ", "member")
    with pytest.raises(Refused, match="cannot disable your own account"):
        store.set_enabled("admin@example.org", False)
