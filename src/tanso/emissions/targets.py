"""National emission targets: the `Target` record and the validated loader of the targets CSV.

The CSV (``data/raw/targets/<version>/targets.csv``) has one row per target, stated as the source
states it: metric, base year and base value (Mt, blank when the source gives none), target year,
reduction % (a range as reduction_pct..reduction_pct_high) and/or target value (Mt), and the
target type. Only absolute targets can be compared with an emissions series as a level:
``absolute_vs_base`` (−x % vs a base year), ``absolute_level`` (a stated Mt level) and ``net_zero``.
``intensity_per_gdp``, ``vs_bau`` and ``peak`` targets are recorded faithfully but set no level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

METRICS = ("total_ghg", "total_ghg_excluding_lucf", "co2")
TARGET_TYPES = ("absolute_vs_base", "absolute_level", "intensity_per_gdp", "vs_bau", "peak", "net_zero")
LEVEL_TARGET_TYPES = ("absolute_vs_base", "absolute_level", "net_zero")

_INT_COLUMNS = ("base_year", "target_year", "net_zero_year")
_FLOAT_COLUMNS = ("base_value_mt", "reduction_pct", "reduction_pct_high", "target_value_mt")


class TargetsFileError(ValueError):
    """The targets CSV is malformed; the message lists every problem by row, CSV line and column."""


@dataclass(frozen=True)
class Target:
    """One stated target. Values in Mt CO2(e); percentages 0–100; None where the source is silent."""

    country_code: str
    country_name: str
    name: str
    metric: str
    target_type: str
    target_year: int
    base_year: int | None = None
    base_value: float | None = None          # as stated by the source, possibly another inventory edition
    reduction_pct: float | None = None       # the least ambitious end of a range
    reduction_pct_high: float | None = None  # the most ambitious end, for ranges
    target_value: float | None = None        # as stated (for a range: at reduction_pct)
    conditional: bool = False
    net_zero_year: int | None = None
    scope_note: str = ""
    source: str = ""
    source_url: str = ""
    notes: str = ""

    @property
    def sets_level(self) -> bool:
        """True when the target implies an absolute emission level that a series can be compared with."""
        return self.target_type in LEVEL_TARGET_TYPES

    def level(self, base_value: float | None = None) -> float | None:
        """The target level in Mt: the stated target value, else base × (1 − reduction_pct / 100).

        ``base_value`` overrides the stated base (e.g. the data's own base-year value); None when
        the target sets no level or the base is unknown.
        """
        if not self.sets_level:
            return None
        if self.target_value is not None and base_value is None:
            return self.target_value
        base = base_value if base_value is not None else self.base_value
        if base is None or self.reduction_pct is None:
            return self.target_value
        return base * (1.0 - self.reduction_pct / 100.0)


SCHEMA = pa.DataFrameSchema(
    {
        "country_code": pa.Column(str, pa.Check.str_matches(r"^(?:[A-Z]{3}|EU27)$")),
        "country_name": pa.Column(str),
        "target_name": pa.Column(str),
        "metric": pa.Column(str, pa.Check.isin(METRICS)),
        "scope_note": pa.Column(str, nullable=True),
        "base_year": pa.Column(float, pa.Check.in_range(1850, 2100), nullable=True),
        "base_value_mt": pa.Column(float, pa.Check.ge(0), nullable=True),
        "target_year": pa.Column(float, pa.Check.in_range(1990, 2100)),
        "reduction_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "reduction_pct_high": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "target_value_mt": pa.Column(float, pa.Check.ge(0), nullable=True),
        "target_type": pa.Column(str, pa.Check.isin(TARGET_TYPES)),
        "conditional": pa.Column(bool),
        "net_zero_year": pa.Column(float, pa.Check.in_range(2020, 2100), nullable=True),
        "source": pa.Column(str),
        "source_url": pa.Column(str, pa.Check.str_startswith("http")),
        "notes": pa.Column(str, nullable=True, required=False),
    },
    # Row-wise rules; `error` names the column reported for a failing row (see _CHECK_COLUMN).
    checks=[
        pa.Check(lambda f: f.base_year.isna() | (f.target_year > f.base_year),
                 error="target_year must be after base_year"),
        pa.Check(lambda f: f.reduction_pct_high.isna() | (f.reduction_pct_high >= f.reduction_pct),
                 error="reduction_pct_high must be at least reduction_pct"),
        pa.Check(lambda f: (f.target_type != "absolute_vs_base")
                 | (f.base_year.notna() & (f.reduction_pct.notna() | f.target_value_mt.notna())),
                 error="an absolute_vs_base target needs base_year and reduction_pct or target_value_mt"),
        pa.Check(lambda f: f.target_type.isin(["absolute_level", "net_zero"]).eq(False) | f.target_value_mt.notna(),
                 error="an absolute_level or net_zero target needs target_value_mt"),
        pa.Check(lambda f: f.target_type.ne("net_zero") | (f.net_zero_year == f.target_year),
                 error="a net_zero target needs net_zero_year equal to target_year"),
    ],
)
_CHECK_COLUMN = {
    "target_year must be after base_year": "target_year",
    "reduction_pct_high must be at least reduction_pct": "reduction_pct_high",
    "an absolute_vs_base target needs base_year and reduction_pct or target_value_mt": "base_year",
    "an absolute_level or net_zero target needs target_value_mt": "target_value_mt",
    "a net_zero target needs net_zero_year equal to target_year": "net_zero_year",
}


def _where(row: int) -> str:
    # Row numbers count data rows from 1; the CSV line adds the header.
    return f"row {row + 1} (CSV line {row + 2})"


def _parse(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Turn the all-text CSV into typed columns, reporting cells that are not numbers or booleans."""
    problems = []
    frame = raw.copy()
    for column in _INT_COLUMNS + _FLOAT_COLUMNS:
        parsed = pd.to_numeric(raw[column], errors="coerce")
        for row in raw.index[raw[column].notna() & parsed.isna()]:
            problems.append(f"{_where(row)}, column {column}: {raw.at[row, column]!r} is not a number")
        frame[column] = parsed.astype(float)
    for column in _INT_COLUMNS:
        fractional = frame[column].notna() & (frame[column] % 1 != 0)
        for row in frame.index[fractional]:
            problems.append(f"{_where(row)}, column {column}: {frame.at[row, column]} is not a whole year")
    flags = raw["conditional"].str.strip().str.lower()
    for row in raw.index[~flags.isin(["true", "false"])]:
        problems.append(f"{_where(row)}, column conditional: {raw.at[row, 'conditional']!r} is not true/false")
    frame["conditional"] = flags.eq("true")
    return frame, problems


def _schema_problems(frame: pd.DataFrame) -> list[str]:
    try:
        SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = []
        for case in errors.failure_cases.itertuples():
            if pd.isna(case.index):  # a whole-column problem, e.g. a wrong dtype
                problems.append(f"column {case.column}: {case.check} ({case.failure_case})")
            elif case.check in _CHECK_COLUMN:  # a row-wise rule, failing once per column: report it once
                problems.append(f"{_where(int(case.index))}, column {_CHECK_COLUMN[case.check]}: {case.check}")
            else:
                problems.append(f"{_where(int(case.index))}, column {case.column}: "
                                f"{case.failure_case!r} fails {case.check}")
        return list(dict.fromkeys(problems))
    return []


def read_targets(path: str | Path) -> pd.DataFrame:
    """Read and validate the targets CSV; return it typed (years as Int64, conditional as bool).

    Raises TargetsFileError listing every problem with its row, CSV line and column.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    required = [name for name, column in SCHEMA.columns.items() if column.required]
    missing = [name for name in required if name not in raw.columns]
    if missing:
        raise TargetsFileError(f"{path}: missing column(s) {', '.join(missing)}")
    frame, problems = _parse(raw)
    problems += _schema_problems(frame)
    if problems:
        raise TargetsFileError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    for column in _INT_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


def _optional(value):
    return None if pd.isna(value) else value


def targets_from_frame(frame: pd.DataFrame) -> list[Target]:
    """`Target` records from a frame shaped like `read_targets` output."""
    return [
        Target(
            country_code=row.country_code, country_name=row.country_name, name=row.target_name,
            metric=row.metric, target_type=row.target_type, target_year=int(row.target_year),
            base_year=None if pd.isna(row.base_year) else int(row.base_year),
            base_value=_optional(row.base_value_mt), reduction_pct=_optional(row.reduction_pct),
            reduction_pct_high=_optional(row.reduction_pct_high), target_value=_optional(row.target_value_mt),
            conditional=bool(row.conditional),
            net_zero_year=None if pd.isna(row.net_zero_year) else int(row.net_zero_year),
            scope_note=_optional(row.scope_note) or "", source=row.source, source_url=row.source_url,
            notes=_optional(getattr(row, "notes", None)) or "",
        )
        for row in frame.itertuples(index=False)
    ]


def load_targets(path: str | Path) -> list[Target]:
    """Read, validate and convert the targets CSV into `Target` records (see `read_targets`)."""
    return targets_from_frame(read_targets(path))
