"""Input checks shared by the source parsers: every message names the file, row and column.

Row numbers are the line numbers a person sees in the CSV (header = line 1), so a message
can be checked against the file by eye.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


class InputError(ValueError):
    """A source file does not have the shape or values a parser needs; says what and where."""


def collapse_headers(raw: pd.DataFrame) -> pd.DataFrame:
    """'Total Credits \\nIssued' → 'Total Credits Issued': spreadsheet line breaks, doubled and
    trailing blanks in headers are not meaningful and differ between exports."""
    return raw.rename(columns=lambda c: " ".join(str(c).split()))


def require_columns(frame: pd.DataFrame, columns, *, source: str) -> None:
    """Refuse a file whose header lacks (or renamed) a column the mapping needs."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{source}: required column(s) missing: {', '.join(repr(c) for c in missing)}"
            f" (found: {', '.join(repr(c) for c in frame.columns[:12])}"
            f"{', …' if len(frame.columns) > 12 else ''})")


def require_unique_ids(project_ids: pd.Series, *, source: str) -> None:
    """A project list names each project once (after id normalisation)."""
    duplicated = project_ids.duplicated(keep=False)
    if duplicated.any():
        raise InputError(f"{source}: project id {project_ids[duplicated].iloc[0]} appears more "
                         f"than once (rows {_rows(project_ids.index, duplicated.to_numpy())})")


def read_mapping(module_file: str, name: str) -> dict:
    """A JSON mapping beside a module, without its "_comment" keys."""
    path = Path(module_file).with_name(name)
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items()
            if not k.startswith("_")}


def _rows(frame_index, mask) -> str:
    lines = [str(int(i) + 2) for i in frame_index[mask][:5]]
    more = int(mask.sum()) - len(lines)
    return ", ".join(lines) + (f" and {more} more" if more > 0 else "")


def parse_quantities(values: pd.Series, *, source: str, column: str,
                     allow_missing: bool = False) -> pd.Series:
    """Credit quantities as float64: "1,234" → 1234; non-numeric or negative is an error."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        return _checked(numbers, values, source=source, column=column,
                        allow_missing=allow_missing)
    text = values.astype("string").str.strip().str.replace(",", "", regex=False)
    text = text.mask(text == "")
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = (numbers.isna() & text.notna()).to_numpy()
    if bad.any():
        examples = ", ".join(repr(v) for v in values[bad].astype(str).unique()[:3])
        raise InputError(f"{source}: column {column!r} is not a number in row(s) "
                         f"{_rows(values.index, bad)}: {examples}")
    return _checked(numbers, values, source=source, column=column, allow_missing=allow_missing)


def _checked(numbers: pd.Series, values: pd.Series, *, source: str, column: str,
             allow_missing: bool) -> pd.Series:
    negative = (numbers < 0).fillna(False).to_numpy()
    if negative.any():
        raise InputError(f"{source}: column {column!r} is negative in row(s) "
                         f"{_rows(values.index, negative)}")
    if not allow_missing and numbers.isna().any():
        raise InputError(f"{source}: column {column!r} is empty in row(s) "
                         f"{_rows(values.index, numbers.isna().to_numpy())}")
    return numbers


def parse_years(values: pd.Series, *, source: str, column: str,
                low: int = 1980, high: int = 2100) -> pd.Series:
    """Years (vintage, issuance year) as nullable Int16 within a plausible range."""
    numbers = parse_quantities(values, source=source, column=column, allow_missing=True)
    wrong = (numbers.notna() & ((numbers < low) | (numbers > high) | (numbers % 1 != 0)))
    if wrong.any():
        raise InputError(f"{source}: column {column!r} is not a year in {low}–{high} in row(s) "
                         f"{_rows(values.index, wrong.to_numpy())}")
    return numbers.astype("Int16")


# Registry exports write dates as ISO (with or without a time), US month/day/year, or
# month/day/two-digit-year (VROD 2021 tabs); the time of day is not used.
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


def parse_dates(values: pd.Series, *, source: str, column: str) -> pd.Series:
    """Dates as ISO 'YYYY-MM-DD' text (the loader has no date type yet; views cast)."""
    text = values.astype("string").str.strip().str.replace(r"[ T].*$", "", regex=True)
    text = text.mask(text == "")
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for date_format in DATE_FORMATS:
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=date_format, errors="coerce")
    bad = (parsed.isna() & text.notna()).to_numpy()
    if bad.any():
        examples = ", ".join(repr(v) for v in values[bad].astype(str).unique()[:3])
        raise InputError(f"{source}: column {column!r} is not a date in row(s) "
                         f"{_rows(values.index, bad)}: {examples}")
    return parsed.dt.strftime("%Y-%m-%d").astype("string")


def clean_text(values: pd.Series) -> pd.Series:
    """Trimmed text with empty strings as missing."""
    text = values.astype("string").str.strip()
    return text.mask(text == "")
