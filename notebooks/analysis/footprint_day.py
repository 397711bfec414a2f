# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Personal carbon footprint of a day
# One day's kg CO2e from a DAY.json (the format of `tanso footprint estimate --input`), computed by the
# same `tanso.footprint` functions as the app and the CLI: total and by category, every line with its
# factor and source, the seed's 14.5 kg benchmark and Korea's territorial figure, the three largest
# reductions, the plain-language summary and points. Exported by
# `tanso report notebooks/analysis/footprint_day.py -p day=DAY.json -o footprint.html`; add
# `-p member=EMAIL` for that member's saved history and points balance, `-p lang=ko` for Korean
# (every label, axis and item name comes from the app's gettext catalogs and Korean item names).

# %% tags=["parameters"]
day = ""               # path to DAY.json
factors = "ecojourney" # factor set NAME[@VERSION] (the seed's set by default)
lang = "en"            # en | ko: labels, charts, item names, summary and tips
offline = True         # True: never call Climatiq or a summary LLM (a report calls no network unless asked)
member = ""            # an account email: add its saved history (day / week / month) and points balance
output_html = None     # set by `tanso report`

# %% [markdown]
# ## Load inputs

# %%
import os
from pathlib import Path

import hvplot.pandas  # noqa: F401 - registers .hvplot
import pandas as pd
import panel as pn

from tanso.footprint import FootprintInputError, UnknownFactorSet, estimate_day, load_factor_set, read_day
from tanso.footprint.factors import CATEGORIES
from tanso.reports import save_html
from tanso.ui import safe
from tanso.ui.footprint.views import item_label, source_text, unit_label
from tanso.ui.i18n import markup, t

if lang not in ("en", "ko"):
    raise ValueError(f"lang: {lang!r} is not en or ko")
if not str(day).strip():
    raise ValueError("day: give the path of a DAY.json (-p day=DAY.json)")
try:
    text = Path(day).read_text(encoding="utf-8")
except FileNotFoundError:
    raise ValueError(f"day: {day} does not exist") from None
except (OSError, UnicodeDecodeError) as exc:
    raise ValueError(f"day: cannot read {day} ({type(exc).__name__})") from None
try:
    chosen = load_factor_set(factors or None)
except UnknownFactorSet as exc:
    raise ValueError(f"factors: {exc}") from None

# %% [markdown]
# ## Process data

# %%
remote, llm = None, {}
if not offline:
    from tanso.footprint.climatiq import ClimatiqClient

    client = ClimatiqClient.from_env()
    remote = client.estimate if client else None
    llm = {"llm_url": os.environ.get("TANSO_LLM_URL") or None,
           "llm_model": os.environ.get("TANSO_LLM_MODEL", "default"),
           "llm_key": os.environ.get("TANSO_LLM_API_KEY") or None}
try:
    result = estimate_day(read_day(text), factors=chosen, remote=remote, lang=lang, **llm)
except FootprintInputError as exc:
    # One line naming the file and every bad field, as `tanso footprint estimate` does.
    raise ValueError(f"{day}: " + "; ".join(f"{name}: {message}" for name, message in exc.problems)) from None


def category_name(category: str) -> str:
    return t(f"footprint.cat.{category}", lang).split(" (")[0]


# Chart frames are named in the report's language: their column names are the axis and hover labels.
columns = {k: t(f"footprint.col.{k}", lang) for k in ("category", "item", "quantity", "unit", "factor", "kg", "source")}
figure_column = t("footprint.compare.figure", lang)
by_category = pd.DataFrame({columns["category"]: [category_name(c) for c in CATEGORIES],
                            columns["kg"]: [result.by_category.get(c, 0.0) for c in CATEGORIES]})
reference = {"day": result.total_kg, "benchmark": result.average_kg, "territorial": result.territorial_kg}
comparison = pd.DataFrame({figure_column: [t(f"footprint.compare.{k}", lang) for k in reference],
                           columns["kg"]: list(reference.values())})
lines = pd.DataFrame([{columns["category"]: category_name(line.category), columns["item"]: item_label(line, lang),
                       columns["quantity"]: round(line.quantity, 3), columns["unit"]: unit_label(line.unit, lang),
                       columns["factor"]: line.factor, columns["kg"]: round(line.kg, 3),
                       columns["source"]: source_text(line.source)} for line in result.lines],
                     columns=list(columns.values()))

history, balance = {}, None
if member:
    import sqlalchemy as sa

    from tanso.db.engine import get_engine
    from tanso.db.footprint_log import logged_lines, points_balance
    from tanso.db.tables.accounts import users
    from tanso.footprint.history import roll_up_history

    engine = get_engine()
    with engine.connect() as conn:
        user_id = conn.execute(sa.select(users.c.id).where(users.c.email == member.strip().lower())).scalar()
    if user_id is None:
        raise ValueError(f"member: no account {member.strip()}")
    saved = logged_lines(engine, user_id=user_id)
    if not saved.empty:
        history = {freq: roll_up_history(saved, freq=freq) for freq in ("day", "week", "month")}
    balance = points_balance(engine, user_id=user_id)

# %% [markdown]
# ## Save outputs

# %%
p = result.points
tips = [safe.markdown("1. {tip}", tip=t("footprint.suggestion", lang, text=s.text_ko if lang == "ko" else s.text,
                                         kg=f"{s.saving_kg:.2f}")) for s in result.suggestions]
print(f"total {result.total_kg:.2f} kg CO2e, points {p.total}")
report = pn.Column(
    safe.Markdown(safe.markdown("# {title}", title=t("app.footprint.title", lang))),
    # The benchmark sentence is the app's own (catalog key footprint.total), with both figures labelled.
    safe.Markdown(markup("footprint.total", lang, total=f"{result.total_kg:.2f}", average=f"{result.average_kg:g}",
                         territorial=f"{result.territorial_kg:g}")),
    safe.Markdown(markup("footprint.points", lang, total=p.total, saved=p.saved, second_hand=p.second_hand,
                         below=p.below_average)),
    by_category.hvplot.bar(x=columns["category"], y=columns["kg"], title=t("footprint.by_category", lang),
                           height=300, width=700),
    comparison.hvplot.barh(x=figure_column, y=columns["kg"], title=t("footprint.compare.title", lang),
                           height=200, width=700),
    safe.Markdown(safe.markdown("- {a}: {av} kg — {al}\n- {b}: {bv} kg — {bl}",
                                a=t("footprint.compare.benchmark", lang), av=f"{result.average_kg:g}",
                                al=t("footprint.benchmark.average", lang),
                                b=t("footprint.compare.territorial", lang), bv=f"{result.territorial_kg:g}",
                                bl=t("footprint.benchmark.territorial", lang))),
    safe.Markdown(safe.escape(result.summary.text)),
    safe.Markdown(safe.Markup(safe.markdown("**{h}**\n\n", h=t("footprint.suggestions", lang)) + "\n".join(tips))),
    safe.Markdown(safe.markdown("**{h}**", h=t("footprint.lines", lang))),
    pn.pane.DataFrame(lines, index=False, escape=True, width=900),  # item names can be user text: escaped
    safe.Markdown(markup("footprint.report.footer", lang, id=chosen.id, source=result.summary.source)),
)
if balance is not None:
    report.append(safe.Markdown(markup("footprint.balance", lang, points=balance)))
    if not history:
        report.append(safe.Markdown(markup("footprint.history.empty", lang)))
    period = t("footprint.history.period", lang)
    for freq, frame in history.items():
        named = frame.rename(columns={"period": period, "kg_per_day": t("footprint.history.chart", lang)})
        report.append(named.hvplot.bar(x=period, y=t("footprint.history.chart", lang), height=250, width=700,
                                       title=f"{t('footprint.history.chart', lang)} "
                                             f"({t(f'footprint.history.freq.{freq}', lang)})"))
if output_html:
    save_html(report, output_html, title="Tanso — footprint")
