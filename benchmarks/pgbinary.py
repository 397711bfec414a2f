"""PostgreSQL binary COPY payloads built from a DataFrame with numpy, not row by row.

The loader's encoder until ADBC replaced it (tanso.db.load); kept here only as the baseline
`benchmarks/etl_load.py` measures ADBC against. float/int/bool/text only.

Binary COPY is the cheapest format for the server to read, but psycopg's `write_row`
walks every value in Python. Here every row is first laid out at a fixed width — a 2-byte
field count, then per field a 4-byte length and the widest value of that column — in one
uint8 matrix filled column by column; a mask then keeps the bytes that exist (a NULL keeps
only its length word, a short text only its own bytes), and boolean indexing flattens the
rows in order into the payload.

Format: https://www.postgresql.org/docs/current/sql-copy.html#COPY-BINARY-FORMAT
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"

# PostgreSQL type → numpy big-endian dtype of its binary representation
FIXED = {"float8": ">f8", "float4": ">f4", "int8": ">i8", "int4": ">i4", "int2": ">i2",
         "bool": ">u1"}
TEXT = {"text", "varchar", "bpchar"}


def _be_bytes(values: np.ndarray, dtype: str) -> np.ndarray:
    """Big-endian bytes of `values`: shape (*values.shape, width) as uint8."""
    array = np.ascontiguousarray(values, dtype=dtype)
    return array.view(np.uint8).reshape(*array.shape, -1)


def _text_block(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Value bytes (n, 1, width) padded to the longest value, and lengths (n, 1); -1 = NULL."""
    codes, uniques = pd.factorize(series)  # NULL → code -1, which picks the last table row
    encoded = [str(u).encode() for u in uniques]
    width = max((len(e) for e in encoded), default=0)
    table = np.zeros((len(encoded) + 1, width), dtype=np.uint8)
    for i, e in enumerate(encoded):
        table[i, : len(e)] = np.frombuffer(e, dtype=np.uint8)
    lengths = np.array([len(e) for e in encoded] + [-1], dtype=np.int64)
    return table[codes][:, None, :], lengths[codes][:, None]


def _fixed_block(frame: pd.DataFrame, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """Value bytes (n, m, width) of m same-typed columns, and lengths (n, m); -1 = NULL."""
    null = frame.isna().to_numpy()
    values = frame.to_numpy(dtype=np.float64 if dtype.startswith(">f") else np.int64,
                            na_value=0)
    encoded = _be_bytes(values, dtype)
    return encoded, np.where(null, -1, encoded.shape[2])


def _blocks(frame: pd.DataFrame, pg_types: list[str]):
    """Runs of adjacent columns of one type, encoded together (a text column is its own run)."""
    start = 0
    for end in range(1, len(pg_types) + 1):
        if end < len(pg_types) and pg_types[end] == pg_types[start] \
                and pg_types[start] not in TEXT:
            continue
        pg_type, part = pg_types[start], frame.iloc[:, start:end]
        if pg_type in TEXT:
            yield _text_block(part.iloc[:, 0])
        elif pg_type in FIXED:
            yield _fixed_block(part, FIXED[pg_type])
        else:
            raise TypeError(f"column {part.columns[0]!r}: binary COPY of {pg_type} "
                            "is not supported")
        start = end


def _rows(blocks: list[tuple[np.ndarray, np.ndarray]], k: int) -> bytes:
    """The tuples of one chunk of rows (no file header or trailer)."""
    n = len(blocks[0][1])
    row_width = 2 + sum(v.shape[1] * (4 + v.shape[2]) for v, _ in blocks)
    rows = np.empty((n, row_width), dtype=np.uint8)
    keep = np.zeros((n, row_width), dtype=bool)
    rows[:, :2] = _be_bytes(np.full(n, k), ">i2")
    keep[:, :2] = True
    at = 2
    for values, lengths in blocks:
        m, width = values.shape[1], values.shape[2]
        field_rows = rows[:, at:at + m * (4 + width)].reshape(n, m, 4 + width)
        field_keep = keep[:, at:at + m * (4 + width)].reshape(n, m, 4 + width)
        field_rows[:, :, :4] = _be_bytes(lengths, ">i4")
        field_rows[:, :, 4:] = values
        field_keep[:, :, :4] = True
        field_keep[:, :, 4:] = np.arange(width) < lengths[:, :, None]
        at += m * (4 + width)
    # np.compress on flat views is several times faster than rows[keep] here
    return np.compress(keep.ravel(), rows.ravel()).tobytes()


def encode_chunks(frame: pd.DataFrame, pg_types: list[str], *, rows_per_chunk: int = 8192):
    """The COPY ... (FORMAT binary) payload for `frame`, in chunks of rows.

    Chunks let the server parse one while the next is encoded, and keep memory small.
    """
    blocks = list(_blocks(frame, pg_types))
    yield HEADER
    for start in range(0, len(frame), rows_per_chunk):
        end = start + rows_per_chunk
        yield _rows([(v[start:end], n[start:end]) for v, n in blocks], frame.shape[1])
    yield TRAILER


def encode(frame: pd.DataFrame, pg_types: list[str]) -> bytes:
    """The whole payload as one bytes object (for tests and small frames)."""
    return b"".join(encode_chunks(frame, pg_types))
