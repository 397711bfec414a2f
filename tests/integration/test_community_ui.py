"""The explorer's community views on real PostgreSQL, driven like a user without a browser:
the proposal form keeps typed text on errors, payloads come out inert, a member's actions on
another member's comment are refused on screen and in the database."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from tanso.auth import GUEST
from tanso.community.targets import Target
from tanso.ui.vcm.community import CommunityPanel, ProposalsView, thread_html
from tanso.ui.vcm.store import VcmStore
from tests.integration.test_community import PROJECT, _user, clean_engine
from tests.visible import visible_text

pytestmark = pytest.mark.integration

XSS = '<img src=x onerror=alert(1)><script>alert("x")</script>[x](javascript:alert(1))'


@pytest.fixture
def engine(backend):
    with clean_engine(backend) as engine:
        yield engine


def _store(engine, user, **params) -> VcmStore:
    return VcmStore(engine, user=user, **params)


def rendered(pane) -> str:
    """The HTML the browser puts in the page for an HTML/Markdown pane (Panel sends it
    escaped once, as text of the model)."""
    return html.unescape(pane._transform_object(pane.object)["object"])


def test_proposal_form_keeps_text_on_error_and_saves_a_draft(engine):
    with engine.begin() as conn:
        owner = _user(conn, "ui.owner@example.org", "member")
    store = _store(engine, owner, tab="proposals", lang="ko")
    view = ProposalsView(store=store)
    view.__panel__()
    view._open_new()
    view._fields["name"].value = "ab"
    view._fields["expected_credits"].value = "lots"
    view._save_form()
    assert view._message.visible
    message = view._message.object
    assert "이름: 최소 3자입니다." in message and "예상 크레딧 (tCO2e)" in message
    assert view._fields["expected_credits"].value == "lots"      # the typed text stays
    view._fields["name"].value = XSS
    view._fields["expected_credits"].value = "12,500"
    view._fields["description"].value = XSS
    view._save_form()
    assert store.proposal > 0
    with engine.connect() as conn:
        saved = conn.execute(sa.text("SELECT name, expected_credits FROM app.proposals")).one()
    assert saved == (" ".join(XSS.split()), 12_500)
    for pane in (view._head, view._details, view._description):
        shown = rendered(pane)
        assert "<script" not in shown and "<img" not in shown and 'href="javascript' not in shown


def test_a_members_actions_on_anothers_comment_are_refused_on_screen(engine):
    with engine.begin() as conn:
        owner = _user(conn, "ui.owner@example.org", "member")
        other = _user(conn, "ui.other@example.org", "member")
    mine = CommunityPanel(store=_store(engine, owner))
    mine.show(Target.project(PROJECT))
    mine._editor.value = XSS
    mine._save()
    assert mine._editor.value == "" and len(mine._items) == 1
    shown = rendered(mine._thread)
    assert "<script" not in shown and "<img" not in shown and 'href="javascript' not in shown
    assert "&lt;script&gt;" in shown     # the text is shown, inert
    comment_id = mine._items[0].id

    theirs = CommunityPanel(store=_store(engine, other))
    theirs.show(Target.project(PROJECT))
    theirs._choice.value = comment_id
    assert {a for a, b in theirs._actions.items() if b.visible} == {"report"}
    assert {a for a, b in mine._actions.items() if b.visible} == {"edit", "delete"}
    # the buttons are a convenience: the operations refuse by themselves
    theirs._act("delete")
    assert theirs._message.object == "You are not allowed to delete this comment."
    theirs._act("hide")
    assert theirs._message.object == "You are not allowed to hide comments."
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT body, deleted_at, hidden_at FROM app.comments")).one()
    assert row == (XSS, None, None)
    theirs._reason.value = "abusive"
    theirs._act("report")
    assert theirs._message.alert_type == "success"


def test_support_button_counts_and_guests_cannot_press_it(engine):
    with engine.begin() as conn:
        member = _user(conn, "ui.owner@example.org", "member")
    panel = CommunityPanel(store=_store(engine, member))
    panel.show(Target.project(PROJECT))
    assert panel._support.label == "▲ Support · 0"
    panel._toggle_support()
    assert panel._support.label == "✓ Supported · 1 (withdraw)"
    panel._toggle_support()
    assert panel._support.label == "▲ Support · 0"
    guest = CommunityPanel(store=_store(engine, GUEST))
    guest.show(Target.project(PROJECT))
    assert guest._support.disabled and not guest._form.visible and guest._guest_note.visible


def _published(engine, name: str = "Jeju cookstoves", **changes) -> int:
    from tanso.community import proposals
    from tests.integration.test_community import PROPOSAL

    with engine.begin() as conn:
        owner = _user(conn, "ui.owner@example.org", "member")
        moderator = _user(conn, "ui.moderator@example.org", "moderator")
        pid = proposals.create(conn, owner, PROPOSAL | {"name": name} | changes).id
        proposals.submit(conn, owner, pid)
        proposals.publish(conn, moderator, pid)
    return pid


def test_a_guest_reads_the_sign_in_note_once_on_a_published_proposal(engine):
    """The Proposals tab's intro and the support bar both asked guests to sign in."""
    pid = _published(engine)
    store = _store(engine, GUEST, tab="proposals")
    view = ProposalsView(store=store)
    holder = view.__panel__()
    assert visible_text(holder.get_root()).count("Sign in") == 1     # the list: the intro
    store.proposal = pid
    shown = visible_text(holder.get_root())
    assert "Jeju cookstoves" in shown and view._community.support_bar.visible
    assert shown.count("Sign in") == 1


def test_rate_limit_message_keeps_the_comment(engine, monkeypatch):
    monkeypatch.setenv("TANSO_COMMENTS_PER_WINDOW", "1")
    with engine.begin() as conn:
        member = _user(conn, "ui.owner@example.org", "member")
    panel = CommunityPanel(store=_store(engine, member))
    panel.show(Target.project(PROJECT))
    panel._editor.value = "first"
    panel._save()
    panel._editor.value = "second"
    panel._save()
    assert panel._message.object.startswith("You have posted 1 comments in the last 60 seconds")
    assert panel._editor.value == "second"


def test_thread_html_of_deleted_and_hidden_comments():
    from datetime import UTC, datetime

    from tanso.community.comments import Comment

    at = datetime(2026, 12, 2, 1, 2, tzinfo=UTC)
    items = [Comment(1, 1, "<b>Ann</b>", None, None, at, None, True, False, None),
             Comment(2, 1, "Bo", None, None, at, at, False, True, None)]
    shown = thread_html(items, lambda key, **v: key)
    assert "&lt;b&gt;Ann&lt;/b&gt;" in shown and "community.comment.deleted" in shown
    assert "community.comment.hidden" in shown and "2026-12-02 01:02 UTC" in shown


def test_stored_html_is_cleaned_again_when_shown(engine):
    """A body rendered under an older, looser allow-list (or written by hand) cannot run."""
    with engine.begin() as conn:
        member = _user(conn, "ui.owner@example.org", "member")
        conn.execute(sa.text(
            "INSERT INTO app.comments (author_id, project_id, body, body_html) VALUES "
            "(:a, :p, 'old', '<p onclick=\"alert(1)\">old</p><script>alert(2)</script>'), "
            "(:a, :p, '<i>never rendered</i> **bold**', '')"), {"a": member.id, "p": PROJECT})
    panel = CommunityPanel(store=_store(engine, GUEST))
    panel.show(Target.project(PROJECT))
    shown = rendered(panel._thread)
    assert "<p>old</p>" in shown and "onclick" not in shown and "<script" not in shown
    assert "&lt;i&gt;never rendered&lt;/i&gt; <strong>bold</strong>" in shown   # rendered late


def test_moderator_hides_and_dismisses_from_the_thread(engine):
    from tanso.community import comments

    with engine.begin() as conn:
        owner = _user(conn, "ui.owner@example.org", "member")
        other = _user(conn, "ui.other@example.org", "member")
        moderator = _user(conn, "ui.moderator@example.org", "moderator")
        first = comments.add(conn, owner, Target.project(PROJECT), "fine")
        second = comments.add(conn, owner, Target.project(PROJECT), "spam spam")
        for comment_id in (first, second):
            comments.report(conn, other, comment_id, "looks odd")
    panel = CommunityPanel(store=_store(engine, moderator))
    panel.show(Target.project(PROJECT))
    assert "1 open report(s)" in rendered(panel._thread)
    panel._choice.value = first
    panel._act("dismiss")
    panel._choice.value = second
    panel._act("hide")                       # no reason given
    assert panel._message.object == "Reason: required."
    panel._reason.value = "Advertising"
    panel._act("hide")
    with engine.connect() as conn:
        assert comments.open_reports(conn, moderator) == []
        resolutions = conn.execute(sa.text(
            "SELECT comment_id, resolution FROM app.comment_reports ORDER BY comment_id")).all()
    assert [tuple(r) for r in resolutions] == [(first, "dismissed"), (second, "hidden")]
    reader = CommunityPanel(store=_store(engine, other))
    reader.show(Target.project(PROJECT))
    assert "spam spam" not in rendered(reader._thread)
    assert "(hidden by a moderator)" in rendered(reader._thread)
