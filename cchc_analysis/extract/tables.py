"""Tables in plan text (``a | b | c`` lines, as ``cchc extract`` writes Word tables and as web
pages and PDF copies often look): which row and column a figure sits in.

A figure in a table cell belongs to its **row label** (the first cell with words: "Chỉ số PAR
INDEX", "Tỷ lệ hồ sơ đúng hạn"), never to an index named in another row; its year is the
**column's** year ("Năm 2025", "Kế hoạch 2024"); a column of results ("Kết quả 2023", "Thực
hiện năm 2023", "Ước thực hiện") holds baselines; a unit column ("Đơn vị": "điểm", "hạng",
"%") gives the unit of bare numbers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_RESULT_HEAD = re.compile(r"kết\s+quả|thực\s+hiện|ước|hiện\s+trạng|đạt\s+được|năm\s+trước|cơ\s+sở|hiện\s+nay")
_AIM_HEAD = re.compile(r"kế\s+hoạch|mục\s+tiêu|chỉ\s+tiêu|phấn\s+đấu|dự\s+kiến|đến\s+năm|lộ\s+trình")
_UNIT_HEAD = re.compile(r"^\s*(?:đơn\s+vị(?:\s+tính)?|đvt)\s*$")
_LABEL_HEAD = re.compile(r"chỉ\s+tiêu|chỉ\s+số|nội\s+dung|tên|tiêu\s+chí")
_NUMBER_CELL = re.compile(r"\s*(?P<n>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)\s*$")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_UNIT_WORDS = (
    (re.compile(r"^\s*%\s*$|phần\s+trăm|tỷ\s+lệ"), "percent"),
    (re.compile(r"điểm"), "score"),
    (re.compile(r"bậc"), "places"),
    (re.compile(r"hạng|vị\s+trí|thứ"), "position"),
)


@dataclass
class Column:
    year: int | None = None
    hint: str | None = None  # "t" (aims), "p" (results) or None
    unit: bool = False  # the unit column


@dataclass
class Row:
    start: int
    end: int
    cells: list[tuple[int, int]]
    label: tuple[int, int] | None
    table: "Table"
    unit: str | None = None  # unit named in the row's unit cell


@dataclass
class Table:
    start: int
    end: int
    columns: list[Column] = field(default_factory=list)


def find_tables(w: str) -> tuple[list[int], list[Row]]:
    """Rows of every table in the working text ``w`` (lines with two or more '|'), sorted by
    start; returns (row starts, rows)."""
    rows: list[Row] = []
    pos = 0
    n = len(w)
    block: list[tuple[int, int]] = []

    def close() -> None:
        if len(block) >= 2:
            _read_block(w, block, rows)
        block.clear()

    while pos < n:
        nl = w.find("\n", pos)
        end = n if nl == -1 else nl
        if w.count("|", pos, end) >= 2 and end - pos < 5000:
            block.append((pos, end))
        else:
            close()
        pos = end + 1
    close()
    return [r.start for r in rows], rows


def _cells(w: str, a: int, b: int) -> list[tuple[int, int]]:
    out, start = [], a
    for i in range(a, b + 1):
        if i == b or w[i] == "|":
            x, y = start, i
            while x < y and w[x].isspace():
                x += 1
            while y > x and w[y - 1].isspace():
                y -= 1
            out.append((x, y))
            start = i + 1
    # drop the empty cells made by a leading or trailing '|'
    if out and out[0][0] == out[0][1] and w[a:b].lstrip().startswith("|"):
        out = out[1:]
    if out and out[-1][0] == out[-1][1]:
        out = out[:-1]
    return out


def _read_block(w: str, lines: list[tuple[int, int]], rows: list[Row]) -> None:
    table = Table(lines[0][0], lines[-1][1])
    header_cols: list[Column] | None = None
    for a, b in lines:
        cells = _cells(w, a, b)
        texts = [w[x:y] for x, y in cells]
        numbers = [t for t in texts if _NUMBER_CELL.fullmatch(t) and not _YEAR_IN.fullmatch(t.strip())]
        is_header = header_cols is None and not numbers and (
            any(_YEAR_IN.search(t) for t in texts) or any(_LABEL_HEAD.search(t) or _UNIT_HEAD.match(t) for t in texts)
        )
        if is_header:
            header_cols = []
            for t in texts:
                ys = _YEAR_IN.findall(t)
                hint = "p" if _RESULT_HEAD.search(t) else ("t" if _AIM_HEAD.search(t) else None)
                header_cols.append(Column(year=int(ys[-1]) if ys else None, hint=hint, unit=bool(_UNIT_HEAD.match(t))))
            table.columns = header_cols
            continue
        label = next(((x, y) for (x, y), t in zip(cells, texts) if _WORDS.search(t) and not _NUMBER_CELL.fullmatch(t)), None)
        unit = None
        for k, col in enumerate(table.columns):
            if col.unit and k < len(texts):
                unit = next((kind for rx, kind in _UNIT_WORDS if rx.search(texts[k])), None)
        rows.append(Row(a, b, cells, label, table, unit))


def row_at(starts: list[int], rows: list[Row], p: int) -> Row | None:
    i = bisect.bisect_right(starts, p) - 1
    if i >= 0 and rows[i].start <= p <= rows[i].end:
        return rows[i]
    return None


def column_of(row: Row, p: int) -> Column | None:
    """The column of the cell holding ``p``, when the table has a header of that width."""
    for k, (x, y) in enumerate(row.cells):
        if x <= p <= y:
            cols = row.table.columns
            if not cols:
                return None
            # a row with fewer cells than the header (merged first cells) aligns on the right
            shift = len(cols) - len(row.cells)
            j = k + shift if shift > 0 else k
            return cols[j] if 0 <= j < len(cols) else None
    return None


def number_cells(w: str, rows: list[Row]) -> list[tuple[int, int, str]]:
    """Bare numbers in cells of rows that say what they measure (a unit cell, or a row label
    naming a rate, a rank or a score): (start, end, kind) with kind percent, score, places or
    position."""
    out = []
    for row in rows:
        kind = row.unit
        if kind is None and row.label is not None:
            label = w[row.label[0] : row.label[1]]
            kind = next((k for rx, k in _UNIT_WORDS if rx.search(label)), None)
        if kind is None or not row.table.columns:
            continue
        for x, y in row.cells:
            if row.label and x <= row.label[0]:
                continue
            m = _NUMBER_CELL.fullmatch(w, x, y)
            if m and not _YEAR_IN.fullmatch(w[x:y].strip()):
                col = column_of(row, x)
                if col is not None and (col.year is not None or col.hint is not None):
                    out.append((m.start("n"), m.end("n"), kind))
    return out
