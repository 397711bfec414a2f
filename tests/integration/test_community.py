"""VCM community on real PostgreSQL: proposal lifecycle and its audit trail, object-level
authorisation of every operation for every role that must not, the comment rate limit
(also under parallel posts), support counted once (also under concurrent clicks), and SQL /
tsquery metacharacters in every input that reaches a query."""

from __future__ import annotations

import contextlib
import dataclasses
import threading

import pytest
import sqlalchemy as sa

from tanso.auth import GUEST, User
from tanso.community import comments, proposals, support
from tanso.community.errors import InputProblems, RateLimited, Refused
from tanso.community.policy import CommunityPolicy
from tanso.community.targets import Target

pytestmark = pytest.mark.integration

PROJECT = "VCS990001"
METACHARACTERS = ["'; DROP TABLE app.comments; --", "!!! & | <-> :* ( ) ''", "%_\\ \\x00x",
                  "a' OR '1'='1", "$$ $1 ?::text", "); SELECT pg_sleep(5); --",
                  "한국어 ' \" ` ; --", "<script>alert(1)</script>"]
PROPOSAL = {"name": "Jeju cookstoves", "registry": "verra", "country": "KR",
            "project_type": "Cookstoves", "methodology": "VMR0006",
            "description": "Efficient **cookstoves** for 2,000 homes.",
            "links": "https://example.org/jeju", "expected_credits": "125,000"}


def _user(conn, email: str, role: str) -> User:
    row = conn.execute(sa.text(
        "INSERT INTO app.users (email, display_name, password_hash, role) "
        "VALUES (:e, :n, 'x', :r) ON CONFLICT (email) DO UPDATE SET role = excluded.role "
        "RETURNING id"), {"e": email, "n": email.split("@")[0], "r": role}).scalar_one()
    return User(id=row, email=email, display_name=email.split("@")[0], language="en", role=role)


@dataclasses.dataclass
class People:
    owner: User
    other: User
    moderator: User
    admin: User


TEST_PROJECTS = (PROJECT, "VCS990002")  # made up here; removed after each test


@contextlib.contextmanager
def clean_engine(backend):
    """The backend with empty community tables and one registry project, PROJECT; the made-up
    projects go afterwards (the database may be shared with tests that count the loaded ones)."""
    engine = backend.engine
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE app.comment_reports, app.comments, app.supports, "
                             "app.proposal_events, app.proposals"))
        conn.execute(sa.text(
            "INSERT INTO core.vcm_projects (project_id, registry, name, sources, in_vrod, "
            "in_offsetsdb, in_registry_export) VALUES (:p, 'verra', 'Community test project', "
            "'vrod', true, false, false) ON CONFLICT DO NOTHING"), {"p": PROJECT})
    try:
        yield engine
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM core.vcm_projects WHERE project_id = ANY(:ids)"),
                         {"ids": list(TEST_PROJECTS)})


@pytest.fixture
def engine(backend):
    with clean_engine(backend) as engine:
        yield engine


@pytest.fixture
def people(engine) -> People:
    with engine.begin() as conn:
        return People(owner=_user(conn, "owner@example.org", "member"),
                      other=_user(conn, "other@example.org", "member"),
                      moderator=_user(conn, "moderator@example.org", "moderator"),
                      admin=_user(conn, "admin@example.org", "admin"))


def _draft(engine, owner: User, **changes) -> int:
    with engine.begin() as conn:
        return proposals.create(conn, owner, PROPOSAL | changes).id


def _refused(engine, call, *args) -> Refused:
    with pytest.raises(Refused) as refused, engine.begin() as conn:
        call(conn, *args)
    return refused.value


def _row(engine, table: str, row_id: int) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text(f"SELECT * FROM app.{table} WHERE id = :i"),  # nosec B608 - test constant
                                 {"i": row_id}).one()._mapping)


# --- proposals -------------------------------------------------------------------------------

def test_proposal_lifecycle_writes_every_change_to_the_audit_trail(engine, people):
    pid = _draft(engine, people.owner, expected_credits="", description="")
    with engine.begin() as conn:
        assert proposals.get(conn, people.owner, pid).status == "draft"
    # a draft need not be complete; submitting does: every missing field is named
    with pytest.raises(InputProblems) as problems, engine.begin() as conn:
        proposals.submit(conn, people.owner, pid)
    assert set(problems.value.fields()) == {"description"}
    with engine.begin() as conn:
        edited = proposals.update(conn, people.owner, pid, PROPOSAL)
        assert edited.expected_credits == 125_000 and edited.links == ["https://example.org/jeju"]
        assert proposals.update(conn, people.owner, pid, PROPOSAL) == edited   # no change
        proposals.submit(conn, people.owner, pid)
        published = proposals.publish(conn, people.moderator, pid)
    assert published.status == "published" and published.decided_at is not None
    with engine.begin() as conn:
        trail = proposals.history(conn, people.owner, pid)
    assert [e["action"] for e in trail] == ["create", "edit", "submit", "publish"]
    assert [e["actor"] for e in trail] == ["owner", "owner", "owner", "moderator"]
    assert trail[0]["before"] is None and trail[0]["after"]["description"] == ""
    assert trail[1]["before"]["expected_credits"] is None
    assert trail[1]["after"]["expected_credits"] == 125_000
    assert (trail[3]["before"]["status"], trail[3]["after"]["status"]) == ("submitted",
                                                                           "published")
    # published: everyone sees it, guests included
    with engine.begin() as conn:
        assert proposals.get(conn, GUEST, pid).name == "Jeju cookstoves"
        assert [p.id for p in proposals.visible(conn, GUEST)] == [pid]


def test_rejection_needs_a_reason_and_keeps_it(engine, people):
    pid = _draft(engine, people.owner)
    with engine.begin() as conn:
        proposals.submit(conn, people.owner, pid)
    with pytest.raises(InputProblems) as problems, engine.begin() as conn:
        proposals.reject(conn, people.moderator, pid, "   ")
    assert problems.value.fields() == {"reason": "reason: required."}
    with engine.begin() as conn:
        rejected = proposals.reject(conn, people.moderator, pid, "Duplicate of VCS1234.")
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Duplicate of VCS1234.")
    refused = _refused(engine, proposals.update, people.owner, pid, PROPOSAL)
    assert "not allowed to edit this proposal" in str(refused)


def test_no_role_but_the_owner_and_admins_edits_a_draft(engine, people):
    pid = _draft(engine, people.owner)
    before = _row(engine, "proposals", pid)
    changed = PROPOSAL | {"name": "Taken over"}
    # others' drafts are not even visible: "not found", so ids reveal nothing
    for actor in (GUEST, people.other, people.moderator):
        refused = _refused(engine, proposals.update, actor, pid, changed)
        assert refused.problems[0].code == "not_found", actor.role
        assert _refused(engine, proposals.submit, actor, pid).problems[0].code == "not_found"
        assert _refused(engine, proposals.get, actor, pid).problems[0].code == "not_found"
    assert _row(engine, "proposals", pid) == before
    with engine.begin() as conn:
        proposals.submit(conn, people.owner, pid)
    # submitted: visible to moderators, still editable by no one but admins
    for actor in (people.owner, people.other, people.moderator, GUEST):
        code = _refused(engine, proposals.update, actor, pid, changed).problems[0].code
        assert code in ("forbidden", "not_found", "sign_in"), actor.role
    for actor in (people.owner, people.other, GUEST):
        assert _refused(engine, proposals.publish, actor, pid).problems[0].code in (
            "forbidden", "not_found", "sign_in")
        assert _refused(engine, proposals.reject, actor, pid, "no").problems[0].code in (
            "forbidden", "not_found", "sign_in")
    assert _row(engine, "proposals", pid)["name"] == "Jeju cookstoves"
    with engine.begin() as conn:
        assert proposals.update(conn, people.admin, pid, changed).name == "Taken over"


def test_moderators_decide_only_submitted_proposals(engine, people):
    pid = _draft(engine, people.moderator)   # a moderator's own draft
    refused = _refused(engine, proposals.publish, people.moderator, pid)
    assert str(refused) == ("This proposal is draft; only a submitted proposal can be "
                            "published.")


def test_bad_fields_are_named_and_nothing_is_saved(engine, people):
    bad = PROPOSAL | {"name": "x", "registry": "moon-registry", "links": "javascript:alert(1)",
                      "expected_credits": "lots", "country": "K\x00R"}
    with pytest.raises(InputProblems) as problems, engine.begin() as conn:
        proposals.create(conn, people.owner, bad)
    assert set(problems.value.fields()) == {"name", "registry", "links", "expected_credits",
                                            "country"}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM app.proposals")).scalar_one() == 0


# --- comments --------------------------------------------------------------------------------

def _comment(engine, author: User, body: str = "First!", target: Target | None = None) -> int:
    with engine.begin() as conn:
        return comments.add(conn, author, target or Target.project(PROJECT), body)


def test_comment_authorisation_matrix(engine, people):
    cid = _comment(engine, people.owner, "Owner's **view**")
    before = _row(engine, "comments", cid)
    for actor in (GUEST, people.other, people.moderator):
        for call, args in ((comments.edit, ("rewritten",)), (comments.delete, ())):
            refused = _refused(engine, call, actor, cid, *args)
            assert refused.problems[0].code == ("sign_in" if actor.is_guest else "forbidden")
    for actor in (GUEST, people.owner, people.other):
        refused = _refused(engine, comments.hide, actor, cid, "spam")
        assert refused.problems[0].code in ("sign_in", "forbidden")
        assert _refused(engine, comments.open_reports, actor).problems[0].code in (
            "sign_in", "forbidden")
    assert _refused(engine, comments.report, people.owner, cid, "mine").problems[0].code \
        == "forbidden"
    assert _refused(engine, comments.add, GUEST, Target.project(PROJECT), "hi") \
        .problems[0].code == "sign_in"
    assert _row(engine, "comments", cid) == before
    # the author edits and deletes; an admin may too
    with engine.begin() as conn:
        comments.edit(conn, people.owner, cid, "Owner's *second* view")
        comments.edit(conn, people.admin, cid, "Edited by an admin")
    assert _row(engine, "comments", cid)["edited_at"] is not None
    with engine.begin() as conn:
        comments.delete(conn, people.owner, cid)
        thread = comments.thread(conn, people.other, Target.project(PROJECT))
    assert [(c.id, c.deleted, c.body) for c in thread] == [(cid, True, None)]
    assert _row(engine, "comments", cid)["body"] == ""


def test_reports_queue_hide_and_who_sees_hidden_text(engine, people):
    cid = _comment(engine, people.owner, "Buy cheap credits at spam.example")
    with engine.begin() as conn:
        assert comments.report(conn, people.other, cid, "spam") is True
        assert comments.report(conn, people.other, cid, "spam again") is False   # once each
        assert comments.report(conn, people.admin, cid, "advert") is True
        queue = comments.open_reports(conn, people.moderator)
    assert [(q["comment_id"], q["reports"], q["author"]) for q in queue] == [(cid, 2, "owner")]
    with engine.begin() as conn:
        comments.hide(conn, people.moderator, cid, "Advertising")
        assert comments.open_reports(conn, people.moderator) == []
        for reader in (GUEST, people.other, people.owner):
            [seen] = comments.thread(conn, reader, Target.project(PROJECT))
            assert (seen.hidden, seen.body, seen.hidden_reason) == (True, None, None)
        [seen] = comments.thread(conn, people.moderator, Target.project(PROJECT))
        assert (seen.body, seen.hidden_reason) == ("Buy cheap credits at spam.example",
                                                   "Advertising")
    # the author cannot edit a hidden comment back into view
    assert _refused(engine, comments.edit, people.owner, cid, "clean now").problems[0].code \
        == "gone"


def test_comments_go_to_listed_projects_and_published_proposals_only(engine, people):
    for target in (Target.project("VCS999999999"), Target.proposal(_draft(engine, people.owner))):
        refused = _refused(engine, comments.add, people.owner, target, "hello")
        assert refused.problems[0].code == "not_found"
    with pytest.raises(Refused):
        Target.project("not an id at all")


def test_rate_limit_holds_and_lifts_after_the_window(engine, people):
    policy = CommunityPolicy(comments_per_window=3, comment_window_seconds=60)
    target = Target.project(PROJECT)
    for i in range(3):
        with engine.begin() as conn:
            comments.add(conn, people.owner, target, f"comment {i}", policy=policy)
    with pytest.raises(RateLimited) as limited, engine.begin() as conn:
        comments.add(conn, people.owner, target, "one too many", policy=policy)
    assert 55 <= limited.value.retry_after <= 60
    with engine.begin() as conn:   # another member is not limited by this one
        comments.add(conn, people.other, target, "mine", policy=policy)
        conn.execute(sa.text("UPDATE app.comments SET created_at = created_at - interval "
                             "'61 seconds' WHERE author_id = :a"), {"a": people.owner.id})
        comments.add(conn, people.owner, target, "after the window", policy=policy)


def test_rate_limit_holds_under_parallel_posts(engine, people):
    policy = CommunityPolicy(comments_per_window=3, comment_window_seconds=60)
    outcomes: list[str] = []
    start = threading.Barrier(10)

    def post(i: int) -> None:
        start.wait()
        try:
            with engine.begin() as conn:   # NullPool: each thread its own connection
                comments.add(conn, people.owner, Target.project(PROJECT), f"parallel {i}",
                             policy=policy)
            outcomes.append("posted")
        except RateLimited:
            outcomes.append("limited")

    threads = [threading.Thread(target=post, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["limited"] * 7 + ["posted"] * 3


# --- support ---------------------------------------------------------------------------------

def test_support_counts_once_per_member_and_toggles(engine, people):
    target = Target.project("vcs-990001")   # any spelling of the id
    with engine.begin() as conn:
        for _ in range(3):
            state = support.set_supported(conn, people.owner, target, True)
        assert state == support.SupportState(count=1, supported=True)
        support.set_supported(conn, people.other, target, True)
        assert support.state(conn, GUEST, target) == support.SupportState(2, False)
        assert support.counts(conn, [PROJECT, "VCS1"]) == {PROJECT: 2}
        assert support.set_supported(conn, people.owner, target, False) == \
            support.SupportState(1, False)
        assert support.set_supported(conn, people.owner, target, False).count == 1
    assert _refused(engine, support.set_supported, GUEST, target, True).problems[0].code \
        == "sign_in"


def test_concurrent_support_clicks_count_once(engine, people):
    members = [people.owner, people.other]
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def click(member: User) -> None:
        start.wait()
        try:
            with engine.begin() as conn:
                support.set_supported(conn, member, Target.project(PROJECT), True)
        except Exception as exc:  # any failure fails the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=click, args=(members[i % 2],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT user_id, count(*) FROM app.supports "
                                    "GROUP BY user_id ORDER BY user_id")).all()
    assert [tuple(r) for r in rows] == [(people.owner.id, 1), (people.other.id, 1)]


def test_support_of_a_published_proposal(engine, people):
    pid = _draft(engine, people.owner)
    target = Target.proposal(pid)
    assert _refused(engine, support.set_supported, people.other, target, True) \
        .problems[0].code == "not_found"   # not published yet
    with engine.begin() as conn:
        proposals.submit(conn, people.owner, pid)
        proposals.publish(conn, people.moderator, pid)
        support.set_supported(conn, people.other, target, True)
        assert proposals.get(conn, GUEST, pid).supporters == 1


# --- metacharacters --------------------------------------------------------------------------

@pytest.mark.parametrize("text", METACHARACTERS)
def test_metacharacters_are_stored_and_read_back_verbatim(engine, people, text):
    clean = text.replace("\\x00", "")   # NUL itself is refused (PostgreSQL text cannot hold it)
    fields = {"name": f"P {clean}", "country": clean, "project_type": clean,
              "methodology": clean, "description": clean}
    pid = _draft(engine, people.owner, **fields)
    with engine.begin() as conn:
        stored = proposals.update(conn, people.owner, pid, PROPOSAL | fields)
        proposals.submit(conn, people.owner, pid)
        proposals.publish(conn, people.moderator, pid)
        cid = comments.add(conn, people.owner, Target.proposal(pid), clean)
        comments.report(conn, people.other, cid, clean)
        [seen] = comments.thread(conn, people.other, Target.proposal(pid))
        [queued] = comments.open_reports(conn, people.admin)
    assert stored.name == " ".join(f"P {clean}".split()) and stored.methodology == clean.strip()
    assert seen.body == clean.strip() and queued["reasons"] == " ".join(clean.split())
    # as a project id: not a known project, refused with a message, no database error
    for project_id in (text, f"VCS{text}"):
        with pytest.raises(Refused), engine.begin() as conn:
            support.set_supported(conn, people.owner, Target.project(project_id), True)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM app.comments")).scalar_one() == 1


def test_nul_in_a_comment_is_a_field_message_not_a_database_error(engine, people):
    with pytest.raises(InputProblems) as problems, engine.begin() as conn:
        comments.add(conn, people.owner, Target.project(PROJECT), "hello\x00world")
    assert problems.value.fields() == {
        "body": "body: remove control characters (invisible characters such as NUL)."}


def test_explorer_sorts_by_support(engine, people):
    from tanso.vcm import queries

    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO core.vcm_projects (project_id, registry, name, sources, in_vrod, "
            "in_offsetsdb, in_registry_export, issued) VALUES ('VCS990002', 'verra', "
            "'Community test project two', 'vrod', true, false, false, 5) "
            "ON CONFLICT DO NOTHING"))
        for member in (people.owner, people.other):
            support.set_supported(conn, member, Target.project("VCS990002"), True)
        support.set_supported(conn, people.owner, Target.project(PROJECT), True)
    result = queries.search(engine, queries.Filters(query="VCS99000", sort="support"))
    assert list(result.rows["project_id"]) == ["VCS990002", PROJECT]
    assert list(result.rows["supporters"]) == [2, 1]
    ascending = queries.search(engine, queries.Filters(query="VCS99000", sort="support",
                                                       descending=False), facets=False)
    assert list(ascending.rows["project_id"]) == [PROJECT, "VCS990002"]
