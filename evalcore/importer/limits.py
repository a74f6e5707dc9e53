"""How much an import reads, at most: every limit in one table, checked before the work it
bounds (a file's size before decoding it, a workbook's declared sizes before unpacking it, a
sheet's declared range before reading its rows). README (Security) lists them; a test checks.

Sized for real files with room to spare: a round's scores are about 100 rows of 20 columns;
Zhejiang's communities, every batch since 2019 in one file, about 12,000 rows of 31 columns
(~4 MB as CSV, ~25 MB unpacked as Excel writes it).
"""

from __future__ import annotations

from typing import NamedTuple


class Limit(NamedTuple):
    name: str
    value: int
    help: str


LIMITS: tuple[Limit, ...] = (
    Limit("max_file_mb", 10, "size of an uploaded CSV or XLSX file (server.maxUploadSize too)"),
    Limit("max_unpacked_mb", 50, "an XLSX's declared uncompressed size, all parts together"),
    Limit("max_ratio", 100, "compression ratio of any XLSX part larger than 1 MB unpacked"),
    Limit("max_parts", 1000, "parts (files) inside an XLSX"),
    Limit("max_rows", 20_000, "data rows (a sheet's declared range is checked first)"),
    Limit("max_columns", 200, "columns of the header or of any row"),
    Limit("max_cells", 1_000_000, "data rows × header columns"),
    Limit("max_problems", 200, "problems listed in a report; the rest are counted"),
)
_BY_NAME = {limit.name: limit.value for limit in LIMITS}

MB = 1024 * 1024
MAX_FILE_BYTES = _BY_NAME["max_file_mb"] * MB
MAX_UNPACKED_BYTES = _BY_NAME["max_unpacked_mb"] * MB
MAX_RATIO = _BY_NAME["max_ratio"]
RATIO_FROM_BYTES = 1 * MB  # smaller parts may compress better: the total bounds them
MAX_PARTS = _BY_NAME["max_parts"]
MAX_ROWS = _BY_NAME["max_rows"]
MAX_COLUMNS = _BY_NAME["max_columns"]
MAX_CELLS = _BY_NAME["max_cells"]
MAX_PROBLEMS = _BY_NAME["max_problems"]


def megabytes(size: int) -> str:
    """'12.3 MB': a size as messages show it (the unit is the same in both languages)."""
    return f"{size / MB:.1f} MB"
