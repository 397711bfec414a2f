"""State of the footprint app: the day's activities as small tables (one per category), the result
computed from them on every edit, and — for a signed-in member — the saved history and points.

A guest calculates with the same code and nothing is saved. Lines are priced with the local factor set
(the app answers every edit at once; the CLI is where Climatiq is asked first).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import pandas as pd
import param

from tanso.footprint import FootprintInputError, estimate_day, load_factor_set, set_names
from tanso.footprint.history import goal_progress, roll_up_history
from tanso.ui.i18n import t

# The columns of each category's table: the item column first, then the quantities (blank = not given).
COLUMNS = {
    "transport": ("mode", "minutes", "km"),
    "clothing": ("item", "count", "second_hand"),
    "food": ("dish", "servings"),
    "waste": ("type", "kg", "count"),
    "electricity": ("appliance", "hours"),
    "water": ("use", "count", "minutes"),
}
EXAMPLE_DAY = {  # the example day, so a first visit shows a worked result
    "transport": [{"mode": "car", "minutes": 30}],
    "clothing": [{"item": "tshirt", "count": 1, "second_hand": True}],
    "food": [{"dish": "gimbap", "servings": 1}],
    "waste": [{"type": "plastic", "kg": 0.5}, {"type": "can", "count": 3}],
    "electricity": [{"appliance": "aircon", "hours": 2}],
    "water": [{"use": "shower", "count": 1}],
}


def frame_of(category: str, entries: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(entries, columns=list(COLUMNS[category]))
    if category == "clothing":
        frame["second_hand"] = frame["second_hand"].fillna(False).astype(bool)
    return frame


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


def day_from_tables(tables: dict[str, pd.DataFrame]) -> dict:
    """DAY.json from the edited tables: blank cells left out, empty rows dropped; what remains goes to
    the parser as typed, so a half-filled row gets a message naming its field."""
    day = {}
    for category, frame in tables.items():
        entries = []
        for row in frame.to_dict("records"):
            entry = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items() if not _blank(v)}
            if entry.get("second_hand") is False:
                entry.pop("second_hand")
            if entry:
                entries.append(entry)
        if entries:
            day[category] = entries
    return day


class FootprintStore(param.Parameterized):
    lang = param.Selector(objects=["en", "ko"], default="en")
    tab = param.Selector(objects=["day", "history"], default="day", doc="Active tab")
    factors = param.Selector(objects=set_names(), default="ecojourney", doc="Factor set name")
    day = param.Date(default=None, doc="The day logged (today by default)")
    tables = param.Dict(default={}, doc="Category → DataFrame of that category's entries")
    result = param.Parameter(default=None, doc="DayResult of the tables, None while they have problems")
    problems = param.List(default=[], doc="(field, message) of entries that cannot be used")
    user_id = param.Integer(default=None, allow_None=True, doc="Signed-in member; None = guest")
    freq = param.Selector(objects=["day", "week", "month"], default="day", doc="History roll-up")
    history = param.DataFrame(default=pd.DataFrame(), doc="Saved history rolled up by `freq`")
    goal_kg = param.Number(default=None, allow_None=True, doc="The member's daily goal (kg CO2e)")
    balance = param.Integer(default=0, doc="Points balance (sum of the ledger)")
    notice = param.String(default="", doc="What the last save did")

    def __init__(self, *, engine=None, **params):
        params.setdefault("tables", {c: frame_of(c, EXAMPLE_DAY.get(c, [])) for c in COLUMNS})
        params.setdefault("day", dt.date.today())
        super().__init__(**params)
        self.engine = engine
        self._recompute()

    @property
    def factor_set(self):
        return load_factor_set(self.factors)

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None and self.engine is not None

    @param.depends("tables", "factors", "lang", watch=True)
    def _recompute(self):
        try:
            result = estimate_day(day_from_tables(self.tables), factors=self.factor_set, lang=self.lang)
        except FootprintInputError as exc:
            self.param.update(result=None, problems=list(exc.problems))
            return
        self.param.update(result=result, problems=[])

    def set_table(self, category: str, frame: pd.DataFrame) -> None:
        frame = frame.reset_index(drop=True)
        if frame.equals(self.tables.get(category)):
            return  # the same rows handed back (a table showing what the store just set)
        self.tables = {**self.tables, category: frame}

    def add_row(self, category: str) -> None:
        frame = self.tables[category]
        blank = {c: None for c in frame.columns} | ({"second_hand": False} if category == "clothing" else {})
        self.set_table(category, pd.concat([frame, pd.DataFrame([blank])], ignore_index=True))

    def day_csv(self) -> str:
        """The day's result as CSV: one row per line (its factor and the source that produced it), then
        the totals by category, the total, the benchmark and the points; the factor set is named."""
        result = self.result
        if result is None:
            return ""
        rows = [{"section": "line", "category": line.category, "item": line.item, "quantity": line.quantity,
                 "unit": line.unit, "factor": line.factor, "kg_co2e": line.kg,
                 "source": json.dumps(line.source, sort_keys=True)} for line in result.lines]
        rows += [{"section": "category", "category": c, "kg_co2e": kg} for c, kg in result.by_category.items()]
        rows += [{"section": "total", "kg_co2e": result.total_kg},
                 {"section": "benchmark", "item": "everyday_average", "kg_co2e": result.average_kg},
                 {"section": "benchmark", "item": "korea_territorial", "kg_co2e": result.territorial_kg}]
        rows += [{"section": "points", "item": k, "quantity": v} for k, v in result.points.to_dict().items()
                 if k != "saved_kg"]
        rows.append({"section": "factor_set", "item": f"{result.factor_set['name']}@{result.factor_set['version']}",
                     "source": str(self.day)})
        out = io.StringIO()
        pd.DataFrame(rows, columns=["section", "category", "item", "quantity", "unit", "factor", "kg_co2e",
                                    "source"]).to_csv(out, index=False)
        return out.getvalue()

    # -------------------------------------------------------- saved (signed in)
    def save(self) -> bool:
        if not self.signed_in:
            self.notice = t("footprint.sign_in", self.lang)
            return False
        if self.result is None:
            self.notice = t("footprint.fix_first", self.lang)
            return False
        from tanso.db.footprint_log import save_day

        save_day(self.engine, user_id=self.user_id, day=self.day, activities=day_from_tables(self.tables),
                 result=self.result)
        self.notice = t("footprint.saved", self.lang, day=str(self.day), total=f"{self.result.total_kg:.2f}",
                        points=self.result.points.total)
        self.reload()
        return True

    def set_goal(self, kg_per_day: float) -> None:
        if not self.signed_in:
            return
        from tanso.db.footprint_log import set_goal

        set_goal(self.engine, user_id=self.user_id, kg_per_day=kg_per_day)
        self.reload()

    @param.depends("freq", watch=True)
    def reload(self) -> None:
        if not self.signed_in:
            return
        from tanso.db.footprint_log import goal, logged_lines, points_balance

        lines = logged_lines(self.engine, user_id=self.user_id)
        history = roll_up_history(lines, freq=self.freq) if not lines.empty else pd.DataFrame()
        target = goal(self.engine, user_id=self.user_id)
        if target and not history.empty:
            history = goal_progress(history, goal_kg_per_day=target)
        self.param.update(history=history, goal_kg=target, balance=points_balance(self.engine, user_id=self.user_id))
