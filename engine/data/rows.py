"""JSON rows as bars: the same columns, aliases and layouts as a CSV file.

:func:`read_rows` writes the rows (dicts) as the CSV text they describe and reads that with
:func:`engine.data.files.read_bars`, so ``{"Date": ..., "Close": ...}`` rows, close-only
rows, a ``timeframe`` option for rows without one, or a ``symbol`` option for rows without a
symbol behave exactly as the same table uploaded as a file. Row ``i`` of the report is the
``i``-th row given.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from engine.data.errors import DataFormatError
from engine.data.files import read_bars
from engine.data.validate import ValidationReport


def rows_to_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """CSV text of ``rows``: the header is every key in order of first appearance; a key a row
    lacks (or a null) is an empty cell."""
    header: dict[str, None] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise DataFormatError(f"rows[{i}] is not an object")
        header.update(dict.fromkeys(str(k) for k in row))
    if not header:
        raise DataFormatError("rows: no columns")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else _cell(row[k]) for k in header])
    return out.getvalue().encode()


def _cell(value: Any) -> str:
    if isinstance(value, (bool, dict, list)):
        return repr(value)  # not a number or a label: rejected by validation like in a file
    return str(value)


def read_rows(rows: Sequence[Mapping[str, Any]], **options: Any) -> ValidationReport:
    """Validate JSON rows as :func:`~engine.data.files.read_bars` validates a CSV file
    (``options`` are its keyword options)."""
    return read_bars(rows_to_csv(rows), file_format="csv", **options)
