"""Community rules without a database: the permission matrix of every role, field
validation with messages naming the field, the rate-limit settings."""

from __future__ import annotations

import pytest

from tanso.auth import GUEST, User
from tanso.community import permissions as can
from tanso.community.errors import InputProblems, Refused
from tanso.community.policy import CommunityPolicy, community_policy
from tanso.community.validation import clean_body, clean_proposal, clean_reason

OWNER = User(id=1, email="o@x.org", display_name="o", language="en", role="member")
OTHER = User(id=2, email="m@x.org", display_name="m", language="en", role="member")
MODERATOR = User(id=3, email="mod@x.org", display_name="mod", language="en", role="moderator")
ADMIN = User(id=4, email="a@x.org", display_name="a", language="en", role="admin")
ROLES = {"guest": GUEST, "owner": OWNER, "other": OTHER, "moderator": MODERATOR,
         "admin": ADMIN}


def allowed(check, **kwargs) -> set[str]:
    return {name for name, user in ROLES.items() if check(user, **kwargs)}


@pytest.mark.parametrize(("status", "view", "edit", "submit", "decide"), [
    ("draft", {"owner", "admin"}, {"owner", "admin"}, {"owner", "admin"}, set()),
    ("submitted", {"owner", "moderator", "admin"}, {"admin"}, set(), {"moderator", "admin"}),
    ("published", set(ROLES), {"admin"}, set(), set()),
    ("rejected", {"owner", "moderator", "admin"}, {"admin"}, set(), set()),
])
def test_proposal_permissions(status, view, edit, submit, decide):
    owned = {"owner_id": OWNER.id, "status": status}
    assert allowed(can.can_view_proposal, **owned) == view
    assert allowed(can.can_edit_proposal, **owned) == edit
    assert allowed(can.can_submit_proposal, **owned) == submit
    assert allowed(can.can_decide_proposal, status=status) == decide


def test_comment_permissions():
    mine = {"author_id": OWNER.id}
    assert allowed(can.can_edit_comment, **mine, gone=False) == {"owner", "admin"}
    assert allowed(can.can_edit_comment, **mine, gone=True) == set()
    assert allowed(can.can_delete_comment, **mine, deleted=False) == {"owner", "admin"}
    assert allowed(can.can_delete_comment, **mine, deleted=True) == set()
    assert allowed(can.can_hide_comment) == {"moderator", "admin"}
    assert allowed(can.can_report_comment, **mine) == {"other", "moderator", "admin"}
    assert allowed(can.can_create) == {"owner", "other", "moderator", "admin"}


def test_require_asks_guests_to_sign_in_and_refuses_members():
    with pytest.raises(Refused, match=r"^Sign in to comment\.$"):
        can.require(False, GUEST, "comment")
    with pytest.raises(Refused, match=r"^You are not allowed to edit this comment\.$"):
        can.require(False, OTHER, "edit this comment")
    can.require(True, OTHER, "comment")


def test_a_draft_needs_a_name_only_and_is_cleaned():
    clean = clean_proposal({"name": "  Solar \n  Jeju ", "registry": "Verra",
                            "links": "https://a.example/x  http://b.example",
                            "expected_credits": "1,250,000.5"})
    assert clean == {"name": "Solar Jeju", "country": "", "project_type": "", "methodology": "",
                     "description": "", "registry": "verra",
                     "links": ["https://a.example/x", "http://b.example"],
                     "expected_credits": 1_250_000.5}


def test_every_bad_field_is_named_with_its_reason():
    with pytest.raises(InputProblems) as problems:
        clean_proposal({"name": "", "registry": "moon", "links": "ftp://x.example",
                        "expected_credits": "-5", "description": "x" * 20_001},
                       submitting=True)
    assert problems.value.fields() == {
        "name": "name: required.",
        "registry": "registry: unknown registry 'moon'; choose one from the list or none.",
        "links": "links: 'ftp://x.example' is not an http(s) address.",
        "expected_credits": "expected_credits: must be between 0 and 10,000,000,000.",
        "description": "description: at most 20000 characters (this has 20001).",
        "country": "country: required.",
        "project_type": "project_type: required.",
        "methodology": "methodology: required.",
    }


@pytest.mark.parametrize(("value", "message"), [
    ("nan", "must be between 0"), ("inf", "must be between 0"), ("1e11", "must be between 0"),
    ("12 tonnes", "enter a number such as 125000, not '12 tonnes'"),
])
def test_expected_credits(value, message):
    with pytest.raises(InputProblems, match=message):
        clean_proposal({"name": "abc", "expected_credits": value})


def test_links_javascript_and_too_many():
    with pytest.raises(InputProblems, match="'javascript:alert\\(1\\)' is not an http"):
        clean_proposal({"name": "abc", "links": ["javascript:alert(1)"]})
    with pytest.raises(InputProblems, match="at most 10 links"):
        clean_proposal({"name": "abc", "links": [f"https://e.example/{i}" for i in range(11)]})


def test_comment_body_keeps_lines_and_refuses_empty_long_and_control():
    assert clean_body("  **bold**\r\n\r\n- item  ") == "**bold**\n\n- item"
    for body, message in (("  ", "body: required."), ("a" * 5001, "at most 5000"),
                          ("a\x00b", "control characters"), ("\x1b[31m", "control")):
        with pytest.raises(InputProblems, match=message):
            clean_body(body)
    with pytest.raises(InputProblems, match=r"^reason: required\.$"):
        clean_reason("")


def test_policy_from_the_environment(monkeypatch):
    assert community_policy() == CommunityPolicy(5, 60)
    monkeypatch.setenv("TANSO_COMMENTS_PER_WINDOW", "2")
    monkeypatch.setenv("TANSO_COMMENT_WINDOW_SECONDS", "10")
    assert community_policy() == CommunityPolicy(2, 10)
    monkeypatch.setenv("TANSO_COMMENTS_PER_WINDOW", "two")
    with pytest.raises(ValueError, match="TANSO_COMMENTS_PER_WINDOW='two'"):
        community_policy()


def test_refusals_read_in_korean():
    from tanso.community.errors import Problem
    from tanso.ui.vcm.community import problem_text

    refused = Refused.because("forbidden", action="edit this comment")
    assert problem_text(refused, "ko") == "이 작업(이 댓글 수정)을 할 권한이 없습니다."
    assert problem_text(refused, "en") == "You are not allowed to edit this comment."
    status = Refused([Problem("wrong_status", values={"status": "draft", "needed": "submitted",
                                                      "action": "published"})])
    assert problem_text(status, "ko") == ("이 제안의 상태는 초안입니다. 검토 중 상태의 제안만 "
                                          "처리(게시)할 수 있습니다.")
    with pytest.raises(InputProblems) as problems:
        clean_proposal({"name": "", "expected_credits": "x"})
    assert problem_text(problems.value, "ko") == ("이름: 필수 항목입니다.\n"
                                                  "예상 크레딧 (tCO2e): “x” 대신 125000 같은 숫자를 "
                                                  "입력하세요.")
