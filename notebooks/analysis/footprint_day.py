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
# `-p member=EMAIL` for that member's saved history and points balance.

# %% tags=["parameters"]
day = ""               # path to DAY.json
factors = "ecojourney" # factor set NAME[@VERSION] (the seed's set by default)
lang = "en"            # en | ko: labels, summary and tips
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
from tanso.ui.footprint.views import source_text
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


by_category = pd.DataFrame({"category": [category_name(c) for c in CATEGORIES],
                            "kg CO2e": [result.by_category.get(c, 0.0) for c in CATEGORIES]})
benchmarks = result.to_dict()["benchmarks"]
comparison = pd.DataFrame({"figure": ["this day", "benchmark (seed)", "Korea territorial"],
                           "kg CO2e": [result.total_kg, result.average_kg, result.territorial_kg]})
columns = {k: t(f"footprint.col.{k}", lang) for k in ("category", "item", "quantity", "unit", "factor", "kg", "source")}
lines = pd.DataFrame([{columns["category"]: category_name(line.category), columns["item"]: line.item,
                       columns["quantity"]: round(line.quantity, 3), columns["unit"]: line.unit,
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
    by_category.hvplot.bar(x="category", y="kg CO2e", title=t("footprint.by_category", lang), height=300, width=700),
    comparison.hvplot.barh(x="figure", y="kg CO2e", title="This day against both reference figures (kg CO2e)",
                           height=200, width=700),
    safe.Markdown(safe.markdown("- {a}: {av} kg — {al}\n- {b}: {bv} kg — {bl}",
                                a="benchmark (seed)", av=f"{result.average_kg:g}", al=benchmarks["average_kg"]["label"],
                                b="Korea territorial", bv=f"{result.territorial_kg:g}",
                                bl=benchmarks["territorial_kg"]["label"])),
    safe.Markdown(safe.escape(result.summary.text)),
    safe.Markdown(safe.Markup(safe.markdown("**{h}**\n\n", h=t("footprint.suggestions", lang)) + "\n".join(tips))),
    safe.Markdown(safe.markdown("**{h}**", h=t("footprint.lines", lang))),
    pn.pane.DataFrame(lines, index=False, escape=True, width=900),  # item names can be user text: escaped
    safe.Markdown(safe.markdown("Factors: **{id}**. Summary: {source}. Generated by Tanso.",
                                id=chosen.id, source=result.summary.source)),
)
if balance is not None:
    report.append(safe.Markdown(markup("footprint.balance", lang, points=balance)))
    if not history:
        report.append(safe.Markdown(markup("footprint.history.empty", lang)))
    for freq, frame in history.items():
        report.append(frame.hvplot.bar(x="period", y="kg_per_day", height=250, width=700,
                                       title=f"{t('footprint.history.chart', lang)} "
                                             f"({t(f'footprint.history.freq.{freq}', lang)})"))
if output_html:
    save_html(report, output_html, title="Tanso — footprint")
