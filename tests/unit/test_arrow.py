"""Frames typed for ADBC's binary COPY: each column cast to the Arrow type of its column."""

import datetime as dt
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tanso.db import arrow

NUMERIC_14_4 = 917512  # pg_attribute.atttypmod of a numeric(14, 4) column, read from PostgreSQL


def test_numeric_typmod_gives_precision_and_scale():
    assert arrow.arrow_type("numeric", NUMERIC_14_4) == pa.decimal128(14, 4)
    assert arrow.arrow_type("numeric", -1) == pa.decimal128(38, 9)  # unconstrained


def test_every_column_gets_the_type_of_its_target_and_missing_values_become_null():
    frame = pd.DataFrame({
        "code": pd.array(["KOR", None], dtype="string"),
        "year": np.array([2024, 1990], dtype="int64"),
        "day": [dt.date(2024, 2, 29), None],
        "at": pd.to_datetime(["2024-02-29T12:00:00.000001Z", None], utc=True),
        "amount": [1.5, np.nan],
        "detail": [{"serial": "S-1"}, None],
        "share": [0.25, np.nan],
    })
    types = [("text", -1), ("int2", -1), ("date", -1), ("timestamptz", -1),
             ("numeric", NUMERIC_14_4), ("jsonb", -1), ("float8", -1)]
    table = arrow.table_for(frame, types, table="ops.t")
    assert [str(t) for t in table.schema.types] == [
        "string", "int16", "date32[day]", "timestamp[us, tz=UTC]", "decimal128(14, 4)",
        "extension<arrow.json>", "double"]
    assert table.column("amount").to_pylist() == [Decimal("1.5000"), None]
    assert table.column("detail").chunk(0).storage.to_pylist() == ['{"serial": "S-1"}', None]
    assert table.column("at").to_pylist()[0] == dt.datetime(2024, 2, 29, 12, 0, 0, 1,
                                                            tzinfo=dt.UTC)
    assert table.column("share").null_count == 1


def test_a_year_beyond_smallint_is_refused_not_wrapped():
    frame = pd.DataFrame({"year": [2024, 70000]})
    with pytest.raises(ValueError, match=r"ops\.t\.year: cannot load as int2"):
        arrow.table_for(frame, [("int2", -1)], table="ops.t")


def test_an_unsupported_column_type_is_named():
    with pytest.raises(ValueError, match=r"ops\.t\.shape: .*geometry is not supported"):
        arrow.table_for(pd.DataFrame({"shape": ["x"]}), [("geometry", -1)], table="ops.t")


def test_json_text_is_what_json_dumps_writes():
    values = [{"serial": "S-1", "blocks": [1, 2.5, None, True]}, [], "already JSON",
              {"name": "탄소 \"quoted\"\n", "nested": {"x": [{"y": -0.0}]}}, 1e-300, 7]
    array = arrow.column_array(pd.Series([*values, None, np.nan]), arrow.JSON)
    expected = [v if isinstance(v, str) else json.dumps(v) for v in values] + [None, None]
    assert array.storage.to_pylist() == expected


def test_json_that_json_cannot_hold_is_refused_naming_the_column():
    cyclic: dict = {}
    cyclic["self"] = cyclic
    for bad, reason in (({"share": float("nan")}, "not JSON compliant"),
                        (cyclic, "Circular reference"), ({"at": dt.date(2024, 1, 1)}, "date")):
        frame = pd.DataFrame({"detail": [{"ok": 1}, bad]})
        with pytest.raises(ValueError, match=rf"ops\.t\.detail: cannot load as jsonb: .*{reason}"):
            arrow.table_for(frame, [("jsonb", -1)], table="ops.t")
