import numpy as np
import pandas as pd
import pytest

from tanso.db import pgbinary


def test_one_row_hand_encoded():
    frame = pd.DataFrame({"code": ["ab"], "year": [7], "x": [np.nan], "y": [1.5]})
    payload = pgbinary.encode(frame, ["text", "int2", "float8", "float8"])
    expected = (pgbinary.HEADER
                + b"\x00\x04"                               # 4 fields
                + b"\x00\x00\x00\x02" + b"ab"                # text, 2 bytes
                + b"\x00\x00\x00\x02" + b"\x00\x07"          # int2 7
                + b"\xff\xff\xff\xff"                        # NULL: length -1, no bytes
                + b"\x00\x00\x00\x08" + b"\x3f\xf8" + b"\x00" * 6  # float8 1.5
                + pgbinary.TRAILER)
    assert payload == expected


def test_text_nulls_and_varying_lengths_keep_row_boundaries():
    frame = pd.DataFrame({"code": ["KOR", None, "OWID_WRL"], "n": [1, 2, 3]})
    payload = pgbinary.encode(frame, ["text", "int4"])
    body = payload[len(pgbinary.HEADER):-2]
    assert body == (b"\x00\x02\x00\x00\x00\x03KOR\x00\x00\x00\x04\x00\x00\x00\x01"
                    b"\x00\x02\xff\xff\xff\xff\x00\x00\x00\x04\x00\x00\x00\x02"
                    b"\x00\x02\x00\x00\x00\x08OWID_WRL\x00\x00\x00\x04\x00\x00\x00\x03")


def test_chunks_join_to_the_whole_payload():
    frame = pd.DataFrame({"x": np.arange(10, dtype=float)})
    chunks = list(pgbinary.encode_chunks(frame, ["float8"], rows_per_chunk=3))
    assert len(chunks) == 2 + 4 and b"".join(chunks) == pgbinary.encode(frame, ["float8"])


def test_unsupported_types_are_named():
    with pytest.raises(TypeError, match=r"column 'when'.*timestamptz"):
        pgbinary.encode(pd.DataFrame({"when": [1]}), ["timestamptz"])
