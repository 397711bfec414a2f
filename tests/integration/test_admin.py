"""The admin page's actions on real PostgreSQL: role changes and disabling are audited with the
admin as actor; an admin demoted elsewhere can no longer act; the reports queue; failed runs."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from tanso.auth.users import create_user
from tanso.community import comments
from tanso.ui.admin.store import AdminStore, Refused

pytestmark = [pytest.mark.integration]

PASSWORD = "Admin page test passphrase 2050"


@pytest.fixture
def people(backend):
    """A fresh admin, second admin, member and another member (unique emails per test)."""
    tag = secrets.token_hex(4)
    engine = backend.engine
    with engine.begin() as conn:
        made = {name: create_user(conn, email=f"{name}.{tag}@example.org", display_name=name,
                                  password=PASSWORD, role=role, actor="test")
                for name, role in (("ada", "admin"), ("bo", "admin"), ("cy", "member"),
                                   ("di", "member"))}
    yield engine, made
    engine.dispose()


def events(engine, email: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT event, actor, detail->>'old', detail->>'new' FROM ops.security_events "
            "WHERE email = :e AND event <> 'register' ORDER BY id"), {"e": email})]


def test_role_change_and_disable_are_audited_with_the_admin_as_actor(people):
    engine, p = people
    store = AdminStore(engine, p["ada"])
    assert store.change_role(p["cy"].email, "moderator") == f"{p['cy'].email} is now moderator."
    assert store.set_enabled(p["cy"].email, False) == f"{p['cy'].email} disabled; 0 session(s) ended."
    assert store.set_enabled(p["cy"].email, True) == f"{p['cy'].email} enabled."
    assert events(engine, p["cy"].email) == [
        ("role_changed", p["ada"].email, "member", "moderator"),
        ("disabled", p["ada"].email, None, None),
        ("enabled", p["ada"].email, None, None)]
    listed = store.users().set_index("email")
    assert listed.loc[p["cy"].email, "role"] == "moderator"
    assert bool(listed.loc[p["cy"].email, "enabled"])
    audit = store.audit()
    assert (audit["email"] == p["cy"].email).sum() >= 3


def test_an_admin_demoted_elsewhere_can_no_longer_act(people):
    engine, p = people
    ada_page = AdminStore(engine, p["ada"])                     # opened while ada was admin
    AdminStore(engine, p["bo"]).change_role(p["ada"].email, "member")
    with pytest.raises(Refused, match="no longer an enabled administrator"):
        ada_page.change_role(p["di"].email, "admin")
    assert events(engine, p["di"].email) == []                 # nothing happened


def test_unknown_account_and_role_are_clear_messages(people):
    engine, p = people
    store = AdminStore(engine, p["ada"])
    with pytest.raises(ValueError, match=r"No account with the email 'nobody@example\.org'"):
        store.change_role("nobody@example.org", "admin")
    with pytest.raises(ValueError, match="Unknown role 'root'"):
        store.change_role(p["cy"].email, "root")


def test_reports_queue_hide_and_dismiss(people):
    engine, p = people
    with engine.begin() as conn:
        ids = [conn.execute(sa.text(
            "INSERT INTO app.comments (author_id, project_id, body) VALUES (:a, 'VCS612', :b) "
            "RETURNING id"), {"a": p["cy"].id, "b": body}).scalar_one()
            for body in ("<script>alert(1)</script> rude", "fine comment")]
        for comment_id in ids:
            assert comments.report(conn, p["di"], comment_id, "spam")
    store = AdminStore(engine, p["ada"])
    queue = store.reports()
    mine = queue[queue["comment_id"].isin(ids)]
    assert mine["body"].tolist() == ["<script>alert(1)</script> rude", "fine comment"]
    assert mine["reports"].tolist() == [1, 1]
    assert store.hide_comment(ids[0], "abusive") == f"comment {ids[0]} hidden; its reports are resolved."
    assert store.dismiss_reports(ids[1]) == (f"1 report(s) on comment {ids[1]} dismissed; "
                                             "the comment stays.")
    assert not store.reports()["comment_id"].isin(ids).any()
    with engine.connect() as conn:
        hidden = conn.execute(sa.text("SELECT hidden_reason, hidden_by FROM app.comments "
                                      "WHERE id = :i"), {"i": ids[0]}).one()
    assert tuple(hidden) == ("abusive", p["ada"].id)


def test_failed_runs_are_flagged(people):
    engine, p = people
    run = "test-admin-" + secrets.token_hex(3)
    with engine.begin() as conn:
        for step, status in (("ok-step", "succeeded"), ("bad-step", "failed")):
            conn.execute(sa.text(
                "INSERT INTO ops.pipeline_runs (run_id, pipeline, step, status, started_at, "
                "finished_at, error) VALUES (:r, 'admin-test', :s, :st, now(), now(), :e)"),
                {"r": run, "s": step, "st": status,
                 "e": "RuntimeError: boom" if status == "failed" else None})
    runs = AdminStore(engine, p["ada"]).runs()
    mine = runs[runs["run_id"] == run].set_index("step")
    assert bool(mine.loc["bad-step", "failed"]) and not bool(mine.loc["ok-step", "failed"])
    assert mine.loc["bad-step", "error"] == "RuntimeError: boom"


def test_admin_page_tabs_render_and_say_what_happened(people):
    from tanso.ui.admin.views import AdminPage

    engine, p = people
    with engine.begin() as conn:
        comment_id = conn.execute(sa.text(
            "INSERT INTO app.comments (author_id, proposal_id, project_id, body) "
            "VALUES (:a, NULL, 'VCS674', 'reported text') RETURNING id"),
            {"a": p["cy"].id}).scalar_one()
        comments.report(conn, p["di"], comment_id, "off topic")
    page = AdminPage(AdminStore(engine, p["ada"]), "en")
    page.layout()
    reports = page._reports.objects[0].value
    row = reports[reports["Comment"] == comment_id].iloc[0]
    assert (row["On"], row["Text"], row["Reasons"]) == ("VCS674", "reported text", "off topic")
    users = page._users.objects[0].value
    assert p["cy"].email in users["Email"].tolist()

    page.act(page.store.hide_comment, comment_id, "")        # a reason is required
    assert page.message.alert_type == "danger" and page.message.visible
    page.act(page.store.change_role, p["ada"].email, "member")
    assert "cannot change the role of your own account" in str(page.message.object)
    page.act(page.store.change_role, p["cy"].email, "moderator")
    assert page.message.alert_type == "success"
    assert str(page.message.object) == f"{p['cy'].email} is now moderator."
