"""Bad input and outside faults, said in one line: the shared error helpers of every command.

`UserError` is the base of the errors whose message is meant for the person at the terminal
(a wrong catalog or pipeline file, an unreachable database, impossible analysis inputs). The
`tanso` entry point prints them as `error: …` on stderr and exits 1, never with a traceback.
Helpers here turn the exceptions of YAML, SQLAlchemy and pandera into such messages.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any


class UserError(Exception):
    """Bad input or a fault the user can act on; the message says what and where."""


class Interrupted(UserError):
    """Ctrl-C or SIGTERM; raised from the signal handler so cleanup code runs.

    `args[0]` is the signal's name; `exit_code` is 128 + its number, as a shell reports it.
    """

    def __init__(self, signal_name: str, exit_code: int = 130, message: str | None = None):
        super().__init__(message or f"interrupted by {signal_name}")
        self.signal_name, self.exit_code = signal_name, exit_code


def read_yaml(path: Path, *, what: str) -> Any:
    """Parse a YAML file, or raise UserError naming the file, the line and the problem."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{what} {path}: cannot read it ({exc})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{where}: {what} is not valid YAML: {problem}") from None


def read_yaml_mapping(path: Path, *, what: str) -> dict:
    """A YAML file whose top level must be a mapping (empty files included in the check)."""
    data = read_yaml(path, what=what)
    if not isinstance(data, dict):
        found = "empty" if data is None else f"a {type(data).__name__}"
        raise UserError(f"{path}: {what} must be a YAML mapping of keys, but the file is {found}")
    return data


def pandera_lines(exc: Exception, *, source: str, limit: int = 20, frame=None,
                  key: tuple[str, ...] = ()) -> list[str]:
    """One line per problem of a pandera SchemaErrors: file, row, column, value, rule.

    With `frame` and `key` (columns that name a row, e.g. ("source_file", "source_row")), a
    row is named by its key values: the frame's row number means nothing to the reader when
    the frame was reshaped, sorted or built from several files.
    """
    cases = getattr(exc, "failure_cases", None)
    if cases is None:
        return [f"{source}: {str(exc).splitlines()[0]}"]
    unique = cases["check"].astype(str) == "multiple_fields_uniqueness"
    lines = _duplicate_lines(cases[unique], source=source, frame=frame, key=key)
    cases = cases[~unique]
    # A check of whole rows fails once per column of the row: one line per row and check.
    wide = (cases["schema_context"] == "DataFrameSchema") & cases["index"].notna()
    for (row, check), fields in cases[wide].groupby(["index", "check"], sort=False):
        values = ", ".join(f"{column}={_plain(value)!r}" for column, value
                           in zip(fields["column"], fields["failure_case"], strict=True)
                           if column not in key)
        lines.append(f"{source}, {_row(row, frame, key)}: {values} fails {check}")
    for case in cases[~wide].itertuples(index=False):
        column = getattr(case, "column", None)
        row = getattr(case, "index", None)
        where = source + ("" if row is None or _missing(row) else f", {_row(row, frame, key)}")
        where += "" if column is None or _missing(column) else f", column {column}"
        lines.append(f"{where}: value {_plain(case.failure_case)!r} fails {case.check}")
    if len(lines) > limit:
        lines[limit:] = [f"{source}: … and {len(lines) - limit} more problems"]
    return lines


def _row(row, frame, key: tuple[str, ...]) -> str:
    """`row 3`, or the row's key values when given (`source_file='a.csv' source_row=7`)."""
    if frame is None or not key or row not in frame.index:
        return f"row {row}"
    values = frame.loc[row, list(key)]
    return " ".join(f"{column}={_plain(values[column])!r}" for column in key)


def _plain(value):
    """numpy/pandas scalars as plain Python values, so a repr reads 7 and 'KOR'."""
    return value.item() if hasattr(value, "item") else value


def _duplicate_lines(cases, *, source: str, frame=None, key: tuple[str, ...] = ()) -> list[str]:
    """Rows sharing a unique key, one line per key: its value and every row holding it."""
    rows: dict = {}
    for case in cases.itertuples(index=False):
        rows.setdefault(case.index, {})[case.column] = case.failure_case
    by_key: dict = {}
    for row, fields in rows.items():
        by_key.setdefault(tuple(sorted(fields.items())), []).append(row)
    if frame is None or not key:
        return [f"{source}, rows {', '.join(str(r) for r in sorted(found))}: duplicate key "
                + ", ".join(f"{column}={_plain(value)!r}" for column, value in unique)
                for unique, found in by_key.items()]
    return [f"{source}: duplicate key " + ", ".join(f"{column}={_plain(value)!r}" for column, value in unique)
            + " in rows " + "; ".join(_row(row, frame, key) for row in sorted(found))
            for unique, found in by_key.items()]


def _missing(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def database_fault(exc: BaseException) -> str | None:
    """A one-line description when `exc` is the database going away mid-command, else None."""
    import sqlalchemy as sa

    try:
        import psycopg
        connection_errors: tuple[type[BaseException], ...] = (psycopg.OperationalError,)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        connection_errors = ()
    if isinstance(exc, sa.exc.DBAPIError) and (exc.connection_invalidated or isinstance(
            exc, sa.exc.OperationalError)):
        cause = str(exc.orig or exc).strip().splitlines()[0]
    elif isinstance(exc, connection_errors):
        cause = str(exc).strip().splitlines()[0]
    else:
        return None
    return f"lost the database connection ({cause})"


class DataError(UserError, ValueError):
    """A data file holds a value that cannot be loaded as it is; the message names where."""


def narrowed(series, dtype: str, *, source: str):
    """`series.astype(dtype)` for an integer dtype, after checking every value fits.

    numpy wraps out-of-range integers silently (a year 70000 becomes 4464 as int16), so a
    wrong value would load as a plausible one: check the range first, name the first offender.
    """
    import numpy as np
    import pandas as pd

    info = np.iinfo(dtype)
    numbers = pd.to_numeric(series, errors="coerce")
    bad = series.notna() & (numbers.isna() | (numbers < info.min) | (numbers > info.max)
                            | (numbers % 1 != 0))
    if bad.any():
        row = bad.idxmax()
        value = _plain(series[row])
        raise DataError(f"{source}: column {series.name}, row {row}: value {value!r} is not "
                        f"a whole number within {info.min}–{info.max} ({int(bad.sum())} such rows)")
    return numbers.astype(dtype)


def validated(schema, frame, *, source: str, key: tuple[str, ...] = ()):
    """`schema.validate(frame, lazy=True)`, failures raised as DataError: one line per problem
    (file, row — or the row's `key` values —, column, value, rule) instead of pandera's JSON report."""
    import pandera.errors

    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise DataError("\n".join(pandera_lines(exc, source=source, frame=frame, key=key))) from None
