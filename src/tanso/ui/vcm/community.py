"""The community parts of the VCM explorer: support and comments under a project page, and the
Proposals tab (members' drafts, submission, moderators' decisions, published proposals as
pages of their own).

Every action calls `tanso.community`, which checks who may do it; buttons are only shown to
those who may, as a convenience. Comment bodies and proposal descriptions are Markdown
rendered by `safe.user_markdown` (nh3 allow-list); every other user text is escaped. A refused
or invalid action shows its message and keeps what the user typed.
"""

from __future__ import annotations

import html
import re
from datetime import UTC

import pandas as pd
import panel as pn

from tanso.community import comments, proposals, support
from tanso.community.errors import CommunityError
from tanso.community.targets import Target
from tanso.community.validation import LIMITS
from tanso.ui import safe
from tanso.ui.view import TabView, View
from tanso.vcm.ids import REGISTRIES

THREAD_CSS = """
:host .comment {border-top: 1px solid #e5e7eb; padding: 6px 0}
:host .comment-head {color: #555; font-size: 0.9em}
:host .comment-gone {color: #777; font-style: italic}
:host .comment-hidden {background: #fff7ed}
"""
PROPOSAL_FIELDS = ("name", "registry", "country", "project_type", "methodology",
                   "description", "links", "expected_credits")


def problem_text(error: CommunityError, lang: str) -> str:
    """The error's problems in the UI language, one per line (plain text)."""
    from tanso.ui.i18n import t

    lines = []
    for problem in error.problems:
        field = t(f"community.field.{problem.field}", lang) if problem.field else ""
        values = dict(problem.values)
        if "action" in values:   # "edit this comment" → community.action.edit_this_comment
            key = "community.action." + re.sub(r"\W+", "_", values["action"]).strip("_")
            values["action"] = t(key, lang) if t(key, lang) != key else values["action"]
        for name in ("status", "needed"):
            if name in values:
                values[name] = t(f"community.status.{values[name]}", lang)
        lines.append(t(f"community.problem.{problem.code}", lang, field=field, **values))
    return "\n".join(lines)


def _when(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def thread_html(items: list[comments.Comment], t) -> safe.Markup:
    """The thread as one HTML block: names and dates escaped, bodies as rendered by
    safe.user_markdown; the pane (safe.HTML) cleans the whole block with the allow-list again,
    one nh3 pass per view."""
    parts = []
    for c in items:
        head = (f"<strong>{html.escape(c.author_name)}</strong> · #{c.id} · {_when(c.created_at)}"
                + (f" · {html.escape(t('community.comment.edited'))}" if c.edited_at else ""))
        if c.deleted:
            body = f'<p class="comment-gone">{html.escape(t("community.comment.deleted"))}</p>'
        elif c.body is None:
            body = f'<p class="comment-gone">{html.escape(t("community.comment.hidden"))}</p>'
        else:   # rendered by safe.user_markdown when written; the pane cleans it again
            body = c.html
            if c.hidden:   # a moderator's view of a hidden comment
                body += (f'<p class="comment-gone">{html.escape(t("community.comment.hidden_by"))}'
                         f" {html.escape(c.hidden_reason or '')}</p>")
        if c.reports:
            head += f" · {html.escape(t('community.comment.reports', count=c.reports))}"
        css = "comment comment-hidden" if c.hidden else "comment"
        parts.append(f'<div class="{css}" id="comment-{c.id}" data-testid="comment-{c.id}">'
                     f'<div class="comment-head">{head}</div>'
                     f'<div class="comment-body">{body}</div></div>')
    return safe.Markup("".join(parts))


class CommunityPanel(View):
    """Support count and toggle, the comments thread and the comment form of one target."""

    def __init__(self, **params):
        super().__init__(**params)
        self.target: Target | None = None
        self.editing: int | None = None
        self._items: list[comments.Comment] = []
        user = self.user
        self._support = pn.widgets.Button(label="", color="primary", width=220,
                                          disabled=user.is_guest)
        self._support.on_click(self._toggle_support)
        self._guest_note = safe.Markdown(self.md("community.sign_in_note"),
                                         visible=user.is_guest, sizing_mode="stretch_width")
        self._title = safe.Markdown(sizing_mode="stretch_width")
        self._thread = safe.HTML(safe.Markup(""), sizing_mode="stretch_width",
                                 stylesheets=[THREAD_CSS])
        self._message = safe.Alert(alert_type="warning", visible=False,
                                   sizing_mode="stretch_width")
        self._editor = pn.widgets.TextAreaInput(
            label=self.t("community.comment.editor"), max_length=LIMITS["body"], height=110,
            placeholder=self.t("community.comment.placeholder"), sizing_mode="stretch_width")
        self._post = pn.widgets.Button(label=self.t("community.comment.post"),
                                       color="primary", width=160)
        self._post.on_click(self._save)
        self._cancel = pn.widgets.Button(label=self.t("community.cancel"), width=120,
                                         visible=False)
        self._cancel.on_click(lambda _: self._stop_editing())
        self._choice = pn.widgets.Select(label=self.t("community.comment.choose"), options={},
                                         width=320)
        self._reason = pn.widgets.TextInput(label=self.t("community.reason"),
                                            max_length=LIMITS["reason"], width=320)
        from tanso.community import permissions as can

        # a member's page gets the buttons a member can ever use (each is a model on every page
        # build); moderators also hide, show again and dismiss reports
        self._actions = {}
        for action in ("edit", "delete", "report",
                       *(("hide", "unhide", "dismiss") if can.can_hide_comment(user) else ())):
            button = pn.widgets.Button(label=self.t(f"community.comment.{action}"), width=110)
            button.on_click(lambda _, a=action: self._act(a))
            self._actions[action] = button
        self._choice.param.watch(lambda _: self._show_actions(), "value")
        self._form = pn.Column(self._editor, pn.Row(self._post, self._cancel),
                               pn.Row(self._choice, self._reason),
                               pn.Row(*self._actions.values()),
                               visible=not user.is_guest, sizing_mode="stretch_width")
        # the support bar can sit apart from the thread (under a project's title)
        self.support_bar = pn.Row(self._support, self._guest_note, visible=False,
                                  sizing_mode="stretch_width")
        # a guest's page has no form at all (hidden, its ~15 widgets were still built into every page)
        self._layout = pn.Column(self._title, self._thread, self._message,
                                 *([] if user.is_guest else [self._form]),
                                 sizing_mode="stretch_width", visible=False)

    @property
    def user(self):
        return self.store.user

    @property
    def engine(self):
        return self.store.engine

    def show(self, target: Target | None) -> None:
        if target != self.target:
            self._stop_editing()
            self._message.visible = False
        self.target = target
        self._layout.visible = self.support_bar.visible = target is not None
        if target is not None:
            self.refresh()

    def refresh(self) -> None:
        with self.engine.connect() as conn:
            state = support.state(conn, self.user, self.target)
            self._items = comments.thread(conn, self.user, self.target)
        self._show_support(state)
        self._title.object = self.md("community.comment.title", count=len(self._items))
        self._thread.object = thread_html(self._items, self.t)
        user = self.user
        options = {}
        for c in self._items:
            if c.deleted or (c.body is None and not user.has_role("moderator")):
                continue
            preview = " ".join(c.body.split())[:40]
            options[f"#{c.id} {c.author_name}: {preview}"] = c.id
        self._choice.options = options
        if self._choice.value not in options.values():   # the browser shows the first one
            self._choice.value = next(iter(options.values()), None)
        self._show_actions()

    def _show_actions(self) -> None:
        """Only the buttons this user may use on the chosen comment (the operations check
        again)."""
        from tanso.community import permissions as can

        user, chosen = self.user, next((c for c in self._items
                                        if c.id == self._choice.value), None)
        author = chosen.author_id if chosen is not None else None
        allowed = {
            "edit": chosen is not None and can.can_edit_comment(
                user, author_id=author, gone=chosen.deleted or chosen.hidden),
            "delete": chosen is not None and can.can_delete_comment(
                user, author_id=author, deleted=chosen.deleted),
            "report": chosen is not None and can.can_report_comment(user, author_id=author),
            "hide": can.can_hide_comment(user) and chosen is not None and not chosen.hidden,
            "unhide": can.can_hide_comment(user) and chosen is not None and chosen.hidden,
            "dismiss": can.can_hide_comment(user) and chosen is not None and chosen.reports > 0,
        }
        for action, button in self._actions.items():
            button.visible = allowed[action]

    def _show_support(self, state: support.SupportState) -> None:
        self._supported = state.supported
        key = "community.support.withdraw" if state.supported else "community.support.add"
        self._support.label = self.t(key, count=state.count)
        self._support.color = "success" if state.supported else "primary"

    def _say(self, text: str, kind: str = "warning") -> None:
        self._message.object = text          # plain text: escaped by the pane
        self._message.alert_type = kind
        self._message.visible = bool(text)

    def _run(self, action) -> bool:
        """Run one community operation in a transaction; show a refusal as a message."""
        try:
            with self.engine.begin() as conn:
                action(conn)
        except CommunityError as error:
            self._say(problem_text(error, self.lang))
            return False
        self._say("")
        return True

    def _toggle_support(self, _=None) -> None:
        wanted = not self._supported
        result = {}

        def change(conn):
            result["state"] = support.set_supported(conn, self.user, self.target, wanted)
        if self._run(change):
            self._show_support(result["state"])

    def _save(self, _=None) -> None:
        text, editing = self._editor.value_input or self._editor.value, self.editing
        if editing is None:
            done = self._run(lambda conn: comments.add(conn, self.user, self.target, text))
        else:
            done = self._run(lambda conn: comments.edit(conn, self.user, editing, text))
        if done:   # on failure the text stays in the editor
            self._editor.value = self._editor.value_input = ""
            self._stop_editing()
            self.refresh()

    def _stop_editing(self) -> None:
        self.editing = None
        self._post.label = self.t("community.comment.post")
        self._cancel.visible = False

    def _act(self, action: str) -> None:
        comment_id = self._choice.value
        if comment_id is None:
            self._say(self.t("community.comment.choose_first"))
            return
        if action == "edit":
            chosen = next((c for c in self._items if c.id == comment_id), None)
            if chosen is not None and chosen.body is not None:
                self.editing = comment_id
                self._editor.value = chosen.body
                self._post.label = self.t("community.comment.save")
                self._cancel.visible = True
            return
        reason = self._reason.value_input or self._reason.value
        calls = {"delete": lambda conn: comments.delete(conn, self.user, comment_id),
                 "report": lambda conn: comments.report(conn, self.user, comment_id, reason),
                 "hide": lambda conn: comments.hide(conn, self.user, comment_id, reason),
                 "unhide": lambda conn: comments.unhide(conn, self.user, comment_id),
                 "dismiss": lambda conn: comments.dismiss_reports(conn, self.user, comment_id)}
        if self._run(calls[action]):
            if action in ("report", "hide"):
                self._reason.value = self._reason.value_input = ""
            if action == "report":
                self._say(self.t("community.comment.reported"), "success")
            self.refresh()

    def __panel__(self):
        return self._layout


class ProposalsView(TabView):
    """Members' proposals: a list, a form for one's drafts, moderators' decisions, and the
    page of a published proposal with its support and comments."""

    tab = "proposals"
    depends = ("proposal", "lang")

    def body(self):
        user = self.store.user
        self._list = pn.widgets.Tabulator(pd.DataFrame(), disabled=True, show_index=False,
                                          layout="fit_data_fill", sizing_mode="stretch_width",
                                          height=260, selectable=1)
        self._list.on_click(self._clicked)
        new = pn.widgets.Button(label=self.t("community.proposal.new"), color="primary",
                                width=200, visible=not user.is_guest)
        new.on_click(lambda _: self._open_new())
        self._intro = self.note("community.proposal.intro" if not user.is_guest
                                else "community.sign_in_note")
        self._head = safe.Markdown(sizing_mode="stretch_width")
        self._details = safe.Markdown(sizing_mode="stretch_width")
        self._description = safe.HTML(safe.Markup(""), sizing_mode="stretch_width")
        self._message = safe.Alert(alert_type="warning", visible=False,
                                   sizing_mode="stretch_width")
        registries = {"—": ""} | {name: name for name in REGISTRIES}
        self._fields = {
            "name": pn.widgets.TextInput(max_length=LIMITS["name"]),
            "registry": pn.widgets.Select(options=registries),
            "country": pn.widgets.TextInput(max_length=LIMITS["country"]),
            "project_type": pn.widgets.TextInput(max_length=LIMITS["project_type"]),
            "methodology": pn.widgets.TextInput(max_length=LIMITS["methodology"]),
            "description": pn.widgets.TextAreaInput(max_length=LIMITS["description"],
                                                    height=140),
            "links": pn.widgets.TextAreaInput(height=70),
            "expected_credits": pn.widgets.TextInput(),
        }
        for name, widget in self._fields.items():
            widget.label = self.t(f"community.field.{name}")
            widget.sizing_mode = "stretch_width"
        self._save = pn.widgets.Button(label=self.t("community.proposal.save"),
                                       color="primary", width=160)
        self._save.on_click(lambda _: self._save_form())
        self._submit = pn.widgets.Button(label=self.t("community.proposal.submit"), width=200)
        self._submit.on_click(lambda _: self._decide("submit"))
        self._form = pn.Column(*self._fields.values(), pn.Row(self._save, self._submit),
                               sizing_mode="stretch_width", visible=False)
        self._reason = pn.widgets.TextInput(label=self.t("community.reason"),
                                            max_length=LIMITS["reason"], width=360)
        self._publish = pn.widgets.Button(label=self.t("community.proposal.publish"),
                                          color="success", width=140)
        self._publish.on_click(lambda _: self._decide("publish"))
        self._reject = pn.widgets.Button(label=self.t("community.proposal.reject"),
                                         color="danger", width=140)
        self._reject.on_click(lambda _: self._decide("reject"))
        self._moderation = pn.Row(self._reason, self._publish, self._reject, visible=False)
        self._history = pn.widgets.Tabulator(pd.DataFrame(), disabled=True, show_index=False,
                                             layout="fit_data_fill", height=180,
                                             sizing_mode="stretch_width", visible=False)
        self._community = CommunityPanel(store=self.store)
        return pn.Column(self._intro, new, self._list, self._message, self._head, self._form,
                         self._community.support_bar, self._details, self._description,
                         self._moderation, self._history, self._community,
                         sizing_mode="stretch_width")

    # --- list and selection ---

    def _clicked(self, event):
        frame = self._list.value
        if event.row is not None and 0 <= event.row < len(frame):
            self.store.proposal = int(frame["id"].iloc[event.row])

    def _open_new(self):
        self._say("")
        if self.store.proposal != 0:
            self.store.proposal = 0      # refresh() shows the empty form
        else:
            self.refresh()
        self._creating = True
        self._show_form(None)

    def refresh(self):
        self._creating = getattr(self, "_creating", False) and self.store.proposal == 0
        with self.store.engine.connect() as conn:
            listed = proposals.visible(conn, self.store.user)
        self._list.value = pd.DataFrame(
            [{"id": p.id, self.t("community.field.name"): p.name,
              self.t("community.field.status"): self.t(f"community.status.{p.status}"),
              self.t("community.field.owner"): p.owner_name,
              self.t("community.field.supporters"): p.supporters,
              self.t("community.field.updated"): _when(p.updated_at)} for p in listed])
        chosen = None
        if self.store.proposal:
            try:
                with self.store.engine.connect() as conn:
                    chosen = proposals.get(conn, self.store.user, self.store.proposal)
            except CommunityError as error:
                self._say(problem_text(error, self.lang))
        self._show(chosen)

    def _say(self, text: str, kind: str = "warning") -> None:
        self._message.object = text
        self._message.alert_type = kind
        self._message.visible = bool(text)

    # --- one proposal ---

    def _show(self, proposal: proposals.Proposal | None) -> None:
        from tanso.community import permissions as can

        user = self.store.user
        self._current = proposal
        if proposal is None:
            self._head.object = self.md("community.proposal.none") if not self._creating else ""
            for pane in (self._details, self._description):
                pane.object = safe.Markup("")
            self._form.visible = self._creating
            self._moderation.visible = self._history.visible = False
            self._community.show(None)
            self._intro.visible = True
            return
        self._head.object = self.md("community.proposal.head", name=proposal.name,
                                    status=self.t(f"community.status.{proposal.status}"),
                                    owner=proposal.owner_name, id=proposal.id)
        editable = can.can_edit_proposal(user, owner_id=proposal.owner_id,
                                         status=proposal.status)
        self._form.visible = editable
        self._submit.visible = can.can_submit_proposal(user, owner_id=proposal.owner_id,
                                                       status=proposal.status)
        if editable:
            self._show_form(proposal)
        self._details.object = safe.Markup("") if editable else self._details_markdown(proposal)
        self._description.object = (safe.Markup("") if editable
                                    else safe.user_markdown(proposal.description))
        self._moderation.visible = can.can_decide_proposal(user, status=proposal.status)
        self._show_history(proposal)
        published = proposal.status == "published"
        self._community.show(Target.proposal(proposal.id) if published else None)
        # a guest reads "Sign in to…" once: beside the support button when it is shown
        self._intro.visible = not (user.is_guest and published)

    def _details_markdown(self, p: proposals.Proposal) -> safe.Markup:
        rows = [self.md("community.proposal.row", field=self.t(f"community.field.{name}"),
                        value=value)
                for name, value in (("registry", p.registry or "—"), ("country", p.country),
                                    ("project_type", p.project_type),
                                    ("methodology", p.methodology),
                                    ("expected_credits", f"{p.expected_credits:,.0f} tCO2e"
                                     if p.expected_credits is not None else "—"))]
        links = [safe.link(url, url, target="_blank", rel="noopener noreferrer")
                 for url in p.links]
        if links:
            rows.append(safe.Markup(self.md("community.proposal.row",
                                            field=self.t("community.field.links"), value="")
                                    + " ".join(links)))
        if p.status == "rejected":
            rows.append(self.md("community.proposal.rejected", reason=p.rejection_reason or ""))
        return safe.Markup("  \n".join(rows))

    def _show_form(self, proposal: proposals.Proposal | None) -> None:
        self._form.visible = True
        for name, widget in self._fields.items():
            value = getattr(proposal, name) if proposal is not None else None
            if name == "links":
                value = "\n".join(value or [])
            elif name == "expected_credits":
                value = "" if value is None else f"{value:,.0f}"
            widget.value = value or ""
        self._submit.visible = proposal is not None and proposal.status == "draft"

    def _show_history(self, proposal) -> None:
        user = self.store.user
        if not (user.id == proposal.owner_id or user.has_role("moderator")):
            self._history.visible = False
            return
        with self.store.engine.connect() as conn:
            trail = proposals.history(conn, user, proposal.id)
        self._history.value = pd.DataFrame(
            [{self.t("community.field.updated"): _when(e["at"]),
              self.t("community.history.action"): e["action"],
              self.t("community.history.actor"): e["actor"],
              self.t("community.history.changed"): ", ".join(
                  k for k in (e["after"] or {}) if (e["before"] or {}).get(k)
                  != (e["after"] or {}).get(k))} for e in trail])
        self._history.visible = True

    def _form_values(self) -> dict:
        return {name: (getattr(widget, "value_input", None) or widget.value)
                for name, widget in self._fields.items()}

    def _save_form(self) -> None:
        values, current = self._form_values(), self._current
        try:
            with self.store.engine.begin() as conn:
                if current is None:
                    saved = proposals.create(conn, self.store.user, values)
                else:
                    saved = proposals.update(conn, self.store.user, current.id, values)
        except CommunityError as error:   # the form keeps what was typed
            self._say(problem_text(error, self.lang))
            return
        self._creating = False
        self._say(self.t("community.proposal.saved"), "success")
        if self.store.proposal != saved.id:
            self.store.proposal = saved.id
        else:
            self.refresh()
        self._say(self.t("community.proposal.saved"), "success")

    def _decide(self, action: str) -> None:
        current, user = self._current, self.store.user
        if current is None:
            return
        reason = self._reason.value_input or self._reason.value
        calls = {"submit": lambda conn: proposals.submit(conn, user, current.id),
                 "publish": lambda conn: proposals.publish(conn, user, current.id),
                 "reject": lambda conn: proposals.reject(conn, user, current.id, reason)}
        try:
            with self.store.engine.begin() as conn:
                if action == "submit":   # what is on screen is what gets submitted
                    proposals.update(conn, user, current.id, self._form_values())
                calls[action](conn)
        except CommunityError as error:
            self._say(problem_text(error, self.lang))
            return
        self._reason.value = ""
        self.refresh()
        self._say(self.t(f"community.proposal.done.{action}"), "success")
