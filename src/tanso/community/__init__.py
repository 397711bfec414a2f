"""VCM community (issue 13): members' project proposals, comments, support, moderation.

The rules live here, not in the UI, so every caller (app, test, CLI) gets the same answer:

- `permissions`: who may do what to which object (guest < member < moderator < admin; owners
  act on their own things only) — pure functions of a `tanso.auth.User` and a row.
- `validation`: field rules with messages that name the field and the reason.
- `proposals`, `comments`, `support`: the operations, each on an open connection inside the
  caller's transaction; they check permissions and input before writing and raise
  `CommunityError` (a `Refused`, `InputProblems` or `RateLimited`) otherwise.

Tables: `tanso.db.tables.community`. Rendering user text is the UI's job and goes only
through `tanso.ui.safe` (Markdown bodies through `safe.user_markdown`, the nh3 allow-list).
"""
