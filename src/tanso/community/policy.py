"""The comment rate limit, from the environment (tests shorten it).

| variable                          | default | meaning                                    |
|-----------------------------------|---------|--------------------------------------------|
| TANSO_COMMENTS_PER_WINDOW         | 5       | comments a member may post in the window   |
| TANSO_COMMENT_WINDOW_SECONDS      | 60      | the window                                 |

Counted in PostgreSQL (`app.comments` of the author, newer than now() - window), so the limit
holds across processes and pods.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class CommunityPolicy:
    comments_per_window: int = 5
    comment_window_seconds: int = 60


def community_policy() -> CommunityPolicy:
    values = {}
    for field, variable in (("comments_per_window", "TANSO_COMMENTS_PER_WINDOW"),
                            ("comment_window_seconds", "TANSO_COMMENT_WINDOW_SECONDS")):
        if raw := os.environ.get(variable):
            try:
                values[field] = int(raw)
            except ValueError:
                raise ValueError(f"{variable}={raw!r} is not a whole number") from None
    return CommunityPolicy(**values)
