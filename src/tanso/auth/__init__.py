"""Accounts and sign-in, shared by every app (issue 10; OWASP ASVS 5.0 level 1).

For apps, one question: who is looking at this session?

    from tanso.auth import current_user
    user = current_user()          # a User; GUEST (user.is_guest) when not signed in
    if user.has_role("moderator"): ...

Modules: passwords (argon2id, rules), tokens (session ids, XSRF), redirects (`next=`),
policy (timeouts and limits), throttle (failed sign-ins), sessions (`app.sessions`),
users (accounts), audit (`ops.security_events`, Prometheus counter), web (the cookie on
every request), live (ending open app sessions), pages (the forms), bokeh_auth (the
`--auth-module` file).
"""

from __future__ import annotations

import weakref

from tanso.auth.users import GUEST, User

__all__ = ["GUEST", "User", "current_user"]

_by_document: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def current_user() -> User:
    """The user of the current Panel session (GUEST outside a served session).

    Read once per session from the session's ref (see tanso.auth.web) and kept for the
    session's life; a revoked sign-in ends the session itself (tanso.auth.live).
    """
    import panel as pn

    document = pn.state.curdoc
    if document is None or document.session_context is None:
        return GUEST
    if document in _by_document:
        return _by_document[document]
    from tanso.auth.live import session_ref
    from tanso.auth.web import lookup

    ref = session_ref(document.session_context)
    user = (lookup(ref) if ref else None) or GUEST
    _by_document[document] = user
    return user
