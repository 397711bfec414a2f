"""What the community operations refuse, with a message key for the UI's catalogs.

Each problem has a `code` (the catalog key is `community.problem.<code>`), the `field` it is
about (None for the whole request) and `values` for the message; `str()` gives the English
text, for logs, the CLI and tests.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

ENGLISH = {
    "required": "{field}: required.",
    "too_long": "{field}: at most {limit} characters (this has {length}).",
    "too_short": "{field}: at least {limit} characters.",
    "control": "{field}: remove control characters (invisible characters such as NUL).",
    "not_number": "{field}: enter a number such as 125000, not {value!r}.",
    "out_of_range": "{field}: must be between 0 and {limit:,}.",
    "bad_link": "{field}: {value!r} is not an http(s) address.",
    "too_many_links": "{field}: at most {limit} links.",
    "unknown_registry": "{field}: unknown registry {value!r}; choose one from the list or none.",
    "forbidden": "You are not allowed to {action}.",
    "sign_in": "Sign in to {action}.",
    "not_found": "Not found: {what}.",
    "wrong_status": "This proposal is {status}; only a {needed} proposal can be {action}.",
    "rate_limited": "You have posted {limit} comments in the last {window} seconds; "
                    "wait {retry_after} seconds.",
    "gone": "This comment was deleted or hidden.",
}


@dataclass(frozen=True)
class Problem:
    code: str
    field: str | None = None
    values: dict = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return ENGLISH[self.code].format(field=self.field or "", **self.values)


class CommunityError(ValueError):
    """A request the community rules refuse; `problems` say what and where."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(" ".join(str(p) for p in self.problems))

    def fields(self) -> dict[str, str]:
        """{field: English message} of the problems about a field."""
        return {p.field: str(p) for p in self.problems if p.field}


class InputProblems(CommunityError):
    """One or more fields are invalid; nothing was saved."""


class Refused(CommunityError):
    """The user may not do this to this object (or must sign in first)."""

    @classmethod
    def because(cls, code: str, **values) -> Refused:
        return cls([Problem(code, values=values)])


class RateLimited(CommunityError):
    def __init__(self, *, limit: int, window: int, retry_after: int):
        self.retry_after = retry_after
        super().__init__([Problem("rate_limited", values={"limit": limit, "window": window,
                                                          "retry_after": retry_after})])
