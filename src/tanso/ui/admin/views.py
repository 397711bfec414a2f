"""The admin page: three tabs (accounts, reports queue, pipeline runs) for administrators; a
plain refusal for guests, members and moderators (nothing is read for them).

Account names, emails, comment bodies and report reasons are user-written: they reach the page
as Tabulator cells and widget options (text), and messages go through `tanso.ui.safe`.
"""

from __future__ import annotations

import pandas as pd
import panel as pn

from tanso.auth import User, current_user
from tanso.auth.users import AccountError
from tanso.community.errors import CommunityError
from tanso.db.tables.accounts import ROLES
from tanso.ui import safe
from tanso.ui.admin.store import AdminStore, Refused, refusal
from tanso.ui.app import AppContext, Page
from tanso.ui.data_runs import table, utc_text
from tanso.ui.i18n import markup, t

FAILED_ROW = "background-color: #fde2e2; color: #7f1d1d; font-weight: 600"


def failed_rows(frame: pd.DataFrame):
    """Tabulator style: a failed, abandoned or interrupted run's row in red."""
    def style(row):
        return [FAILED_ROW if row.get("_failed") else ""] * len(row)
    return style


class AdminPage:
    """Builds the tabs and runs the actions; a message line says what happened or why not."""

    def __init__(self, store: AdminStore, lang: str):
        self.store, self.lang = store, lang
        self.message = safe.Alert(alert_type="info", visible=False, sizing_mode="stretch_width")
        self._users = pn.Column(sizing_mode="stretch_width")
        self._reports = pn.Column(sizing_mode="stretch_width")
        self._runs = pn.Column(sizing_mode="stretch_width")

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def say(self, text: str, *, ok: bool) -> None:
        self.message.object = text   # plain text: escaped by the pane
        self.message.alert_type = "success" if ok else "danger"
        self.message.visible = True

    def act(self, action, *args) -> None:
        try:
            self.say(action(*args), ok=True)
        except AccountError as exc:
            self.say(exc.text(self.lang), ok=False)
        except (Refused, CommunityError) as exc:
            self.say(str(exc), ok=False)
        self.refresh()

    # --- tabs -------------------------------------------------------------------------------
    def users_tab(self):
        frame = self.store.users()
        frame["created_at"] = utc_text(frame["created_at"])
        frame["enabled"] = frame["enabled"].map(lambda v: self.t("yes" if v else "no"))
        listing = table(frame, {"id": "id", "email": self.t("admin.email"),
                                "display_name": self.t("admin.name"),
                                "role": self.t("admin.role"), "enabled": self.t("admin.enabled"),
                                "created_at": self.t("admin.created")}, "users")
        others = [e for e in frame["email"] if e != self.store.user.email]
        who = pn.widgets.Select(label=self.t("admin.account"), options=others, width=300)
        role = pn.widgets.Select(label=self.t("admin.role"), options=list(ROLES), width=160)
        change = pn.widgets.Button(label=self.t("admin.change_role"), color="primary")
        disable = pn.widgets.Button(label=self.t("admin.disable"), color="danger")
        enable = pn.widgets.Button(label=self.t("admin.enable"))
        # what the buttons will do, from the values the server has (not what the browser shows)
        plan = safe.Markdown(sizing_mode="stretch_width", css_classes=["admin-plan"])

        def show_plan(*_):
            plan.object = (markup("admin.plan", self.lang, email=who.value, role=role.value)
                           if who.value else "")
        who.param.watch(show_plan, "value")
        role.param.watch(show_plan, "value")
        show_plan()
        change.on_click(lambda _: self.act(self.store.change_role, who.value or "", role.value))
        disable.on_click(lambda _: self.act(self.store.set_enabled, who.value or "", False))
        enable.on_click(lambda _: self.act(self.store.set_enabled, who.value or "", True))
        audit = self.store.audit()
        audit["at"] = utc_text(audit["at"])
        return [listing, pn.Row(who, role, change), plan, pn.Row(disable, enable),
                safe.Markdown(safe.markdown("### {h}", h=self.t("admin.audit"))),
                table(audit, {"at": self.t("admin.when"), "event": self.t("admin.event"),
                              "email": self.t("admin.email"), "actor": self.t("admin.actor"),
                              "detail": self.t("admin.detail")}, "audit")]

    def reports_tab(self):
        frame = self.store.reports()
        if frame.empty:
            return [safe.Alert(markup("admin.no_reports", self.lang), alert_type="info")]
        frame["first_reported"] = utc_text(frame["first_reported"])
        frame["where"] = frame["project_id"].fillna(
            frame["proposal_id"].map(lambda p: f"proposal {int(p)}" if pd.notna(p) else ""))
        listing = table(frame, {"comment_id": self.t("admin.comment"), "where": self.t("admin.where"),
                                "author": self.t("admin.author"), "body": self.t("admin.body"),
                                "reports": self.t("admin.reports"), "reasons": self.t("admin.reasons"),
                                "first_reported": self.t("admin.first_reported")}, "reports")
        which = pn.widgets.Select(label=self.t("admin.comment"),
                                  options=[int(c) for c in frame["comment_id"]], width=160)
        reason = pn.widgets.TextInput(label=self.t("admin.hide_reason"), width=360)
        hide = pn.widgets.Button(label=self.t("admin.hide"), color="danger")
        dismiss = pn.widgets.Button(label=self.t("admin.dismiss"))
        hide.on_click(lambda _: self.act(self.store.hide_comment, which.value, reason.value))
        dismiss.on_click(lambda _: self.act(self.store.dismiss_reports, which.value))
        return [listing, pn.Row(which, reason), pn.Row(hide, dismiss)]

    def runs_tab(self):
        frame = self.store.runs()
        if frame.empty:
            return [safe.Alert(markup("data_runs.no_runs", self.lang), alert_type="info")]
        failed = int(frame["failed"].sum())
        summary = (safe.Alert(markup("admin.runs_failed", self.lang, failed=failed, shown=len(frame)),
                              alert_type="danger") if failed else
                   safe.Alert(markup("admin.runs_ok", self.lang, shown=len(frame)), alert_type="success"))
        frame["started_at"] = utc_text(frame["started_at"])
        frame["seconds"] = frame["seconds"].astype(float).round(1)
        frame["rows_written"] = frame["rows_written"].astype("Int64")
        frame["_failed"] = frame["failed"]
        titles = {"run_id": self.t("col.run"), "pipeline": self.t("col.pipeline"),
                  "step": self.t("col.step"), "status": self.t("col.status"),
                  "started_at": self.t("col.started"), "seconds": self.t("col.seconds"),
                  "rows_written": self.t("col.rows"), "error": self.t("col.error"), "_failed": "_failed"}
        runs = table(frame, titles, "runs", hidden_columns=["_failed"])
        runs.style.apply(failed_rows(frame), axis=1)
        return [summary, runs]

    def refresh(self) -> None:
        self._users.objects = self.users_tab()
        self._reports.objects = self.reports_tab()
        self._runs.objects = self.runs_tab()

    def layout(self):
        self.refresh()
        tabs = pn.Tabs((self.t("admin.tab.users"), self._users),
                       (self.t("admin.tab.reports"), self._reports),
                       (self.t("admin.tab.runs"), self._runs), sizing_mode="stretch_width")
        head = safe.Markdown(markup("admin.signed_in", self.lang, name=self.store.user.display_name,
                                    email=self.store.user.email), sizing_mode="stretch_width")
        return pn.Column(head, self.message, tabs, sizing_mode="stretch_width")


def refused_page(user: User, lang: str) -> Page:
    reason = refusal(user)
    text = (markup("admin.refused_guest", lang) if reason == "guest"
            else markup("admin.refused_role", lang, role=user.role))
    return Page(main=[safe.Alert(text, alert_type="warning", sizing_mode="stretch_width",
                                 css_classes=["admin-refused"])])


def page_for(user: User, ctx: AppContext) -> Page:
    """Refused before anything is read unless `user` is an administrator."""
    if refusal(user):
        return refused_page(user, ctx.lang)
    return Page(main=[AdminPage(AdminStore(ctx.engine, user), ctx.lang).layout()])


def build(ctx: AppContext) -> Page:
    return page_for(current_user(), ctx)
