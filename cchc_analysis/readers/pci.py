"""Reader for the official VCCI PCI (Provincial Competitiveness Index) workbooks, 2005-2019.

The yearly workbooks (``PCI_2005.xls`` ... ``PCI_2019.xlsx``, as VCCI published them on
pcivietnam.vn / pcivietnam.org) do not share one layout.  :func:`read_pci_workbook` finds the
summary table by its header labels, not by position, and returns one tidy row per
(province, component).

Layouts met
-----------
* **wide** -- one row per province, one column per component
  (2005 ``Bảng tóm tắt chỉ số`` + ``Xếp hạng theo chỉ số PCI`` for the rank, 2006 ``PCI Tóm tắt``,
  2007 ``Tóm tắt các chỉ số PCI``, 2009 ``Tong Hop``, 2017-2019 ``Summary``).
* **sorted pairs** -- every component has its own (province, score) column pair, each pair
  sorted best-first, with a ``Thứ tự`` / ``No`` order column giving the position (= the rank the
  workbook shows for that component) (2008 ``Tổng hợp``, 2010-2012 ``Tong hop``, 2013 ``Summary``,
  2014-2016 ``Summary_VN``).
  Trap: the 2014-2016 workbooks also hold a sheet called ``Summary`` that is the **2013** table;
  a sheet whose PCI header names another year is rejected.

Component keys (see :data:`PCI_COMPONENTS` for names, ranges and years)
-----------------------------------------------------------------------
==============================  ===========================================================  =========
key                             label in the workbooks                                       years
==============================  ===========================================================  =========
overall                         PCI có trọng số / PCI cuối cùng / PCI yyyy / Weighted PCI     2005-2019
overall_unweighted              PCI chưa có trọng số                                          2007, 2008, 2010
entry_costs                     Chi phí gia nhập thị trường / Entry Costs                      2005-2019
land_access                     Tiếp cận đất đai (và sự ổn định ...) / Land Access & Tenure    2005-2019
transparency                    Tính minh bạch (và tiếp cận thông tin) / Transparency          2005-2019
time_costs                      Chi phí (về) thời gian ... / Time Costs                        2005-2019
informal_charges                Chi phí không chính thức / Informal Charges                    2005-2019
central_policy_implementation   Thực hiện chính sách của Trung ương                           2005
state_sector_bias               Ưu đãi đối với DNNN (Môi trường cạnh tranh) / SOE Bias         2005-2008
policy_bias                     Cạnh tranh bình đẳng / Bias / Policy Bias                      2013-2019
proactivity                     Tính năng động (và tiên phong ...) / Proactivity               2005-2019
business_support                Chính sách phát triển khu vực KTTN (2005-2008), Dịch vụ hỗ     2005-2019
                                trợ DN / Business Support Services (2009-)
labor_training                  Đào tạo lao động / Labor Training / Labor Policy               2006-2019
legal_institutions              Thiết chế pháp lý / Legal Institutions / Law & Order           2006-2019
==============================  ===========================================================  =========

Not returned: the 2005 "traditional conditions" columns (development level, infrastructure,
distance to market -- context variables, not PCI sub-indices), tier labels (``Nhóm xếp hạng``),
Min/Max/Median rows, the single-province look-up block under some tables, and the indicator
sheets behind each sub-index.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = [
    "PCI_COMPONENTS",
    "PCI_YEARS",
    "EXPECTED_PROVINCES",
    "SOURCE",
    "PCILayoutError",
    "PCIComponent",
    "source_for",
    "components_for_year",
    "read_pci_workbook",
]

PCI_YEARS = tuple(range(2005, 2020))
PUBLISHER = "VCCI – Vietnam Chamber of Commerce and Industry"
URL = "https://pcivietnam.vn"
LICENCE = (
    "Published by VCCI (with USAID support) on pcivietnam.vn; copy obtained from public research "
    "repositories that redistribute the VCCI files (one states CC0). Cite VCCI as the source; check "
    "VCCI's terms before redistributing the raw workbook."
)


class PCILayoutError(ValueError):
    """A PCI workbook whose layout or content is not what the reader expects.

    The message names the file, the sheet (when known) and what was expected.
    """


@dataclass(frozen=True)
class PCIComponent:
    key: str
    name_vi: str
    name_en: str
    unit: str
    min: float
    max: float
    description: str
    years: tuple[int, ...] = field(default_factory=tuple)

    def __getitem__(self, item: str):  # dict-style access, e.g. comp["key"]
        return getattr(self, item)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _yrs(a: int, b: int) -> tuple[int, ...]:
    return tuple(range(a, b + 1))


PCI_COMPONENTS: list[PCIComponent] = [
    PCIComponent("overall", "Chỉ số PCI (có trọng số)", "Weighted PCI", "score", 0, 100,
                 "The published PCI: weighted sum of the sub-index scores, 0-100, with its rank.",
                 _yrs(2005, 2019)),
    PCIComponent("overall_unweighted", "Chỉ số PCI chưa có trọng số", "Unweighted PCI", "score", 0, 100,
                 "Simple sum of the sub-index scores, as printed beside the weighted PCI "
                 "(ten sub-indices in 2007-2008, so at most 100; nine in 2010, so at most 90).",
                 (2007, 2008, 2010)),
    PCIComponent("entry_costs", "Chi phí gia nhập thị trường", "Entry costs", "score", 0, 10,
                 "Time and difficulty of registering a business, getting licences and land.",
                 _yrs(2005, 2019)),
    PCIComponent("land_access", "Tiếp cận đất đai và sự ổn định trong sử dụng đất",
                 "Land access and security of tenure", "score", 0, 10,
                 "Ease of getting land and security of tenure once obtained (2005: land access only).",
                 _yrs(2005, 2019)),
    PCIComponent("transparency", "Tính minh bạch và tiếp cận thông tin",
                 "Transparency and access to information", "score", 0, 10,
                 "Access to planning and legal documents, predictability, openness.",
                 _yrs(2005, 2019)),
    PCIComponent("time_costs", "Chi phí thời gian để thực hiện các quy định của Nhà nước",
                 "Time costs of regulatory compliance", "score", 0, 10,
                 "Time spent on bureaucratic procedures and inspections.",
                 _yrs(2005, 2019)),
    PCIComponent("informal_charges", "Chi phí không chính thức", "Informal charges", "score", 0, 10,
                 "Extent of informal payments and their burden on firms.",
                 _yrs(2005, 2019)),
    PCIComponent("central_policy_implementation", "Thực hiện chính sách của Trung ương",
                 "Implementation of central policies", "score", 0, 10,
                 "PCI 2005 only: coordination with the centre in implementing national policy.",
                 (2005,)),
    PCIComponent("state_sector_bias", "Ưu đãi đối với doanh nghiệp nhà nước (Môi trường cạnh tranh)",
                 "State-owned enterprise bias (competition environment)", "score", 0, 10,
                 "Perceived and measured favouritism towards SOEs (higher = less bias); 2005-2008, "
                 "dropped in 2009 and succeeded in 2013 by policy_bias (a different methodology).",
                 _yrs(2005, 2008)),
    PCIComponent("policy_bias", "Cạnh tranh bình đẳng", "Policy bias (equal competition)", "score", 0, 10,
                 "Favouritism towards state, foreign or connected firms (higher = fairer); from 2013.",
                 _yrs(2013, 2019)),
    PCIComponent("proactivity", "Tính năng động và tiên phong của lãnh đạo tỉnh",
                 "Proactivity of provincial leadership", "score", 0, 10,
                 "Creativity and initiative of the provincial government in solving firms' problems.",
                 _yrs(2005, 2019)),
    PCIComponent("business_support", "Dịch vụ hỗ trợ doanh nghiệp (2005-2008: Chính sách phát triển "
                 "khu vực kinh tế tư nhân)", "Business support services (2005-2008: private sector "
                 "development policy)", "score", 0, 10,
                 "Provincial services for firms: market information, trade promotion, partner search, "
                 "technology (renamed in 2009; VCCI treats it as the same sub-index).",
                 _yrs(2005, 2019)),
    PCIComponent("labor_training", "Đào tạo lao động", "Labour training (2017-: labor policy)", "score", 0, 10,
                 "Quality of provincial education, vocational training and job-matching services.",
                 _yrs(2006, 2019)),
    PCIComponent("legal_institutions", "Thiết chế pháp lý (2017-: và an ninh trật tự)",
                 "Legal institutions (2017-: law and order)", "score", 0, 10,
                 "Confidence in provincial legal institutions to resolve disputes and enforce contracts.",
                 _yrs(2006, 2019)),
]
_COMPONENTS_BY_KEY = {c.key: c for c in PCI_COMPONENTS}

EXPECTED_PROVINCES = {y: 42 if y == 2005 else 64 if y <= 2008 else 63 for y in PCI_YEARS}


def components_for_year(year: int) -> list[str]:
    """Component keys a PCI year has, in :data:`PCI_COMPONENTS` order."""
    return [c.key for c in PCI_COMPONENTS if year in c.years]


def _file_name(year: int) -> str:
    return f"PCI_{year}.xls" if year <= 2011 else f"PCI_{year}.xlsx"


def source_for(year: int) -> dict:
    """Source metadata for one PCI year (``source_id`` ``pci-<year>-vcci``)."""
    if year not in PCI_YEARS:
        raise ValueError(f"PCI workbooks are read for {PCI_YEARS[0]}-{PCI_YEARS[-1]}, got {year!r}")
    return {
        "source_id": f"pci-{year}-vcci",
        "publisher": PUBLISHER,
        "title": f"PCI {year} provincial dataset",
        "url": URL,
        "file_name": _file_name(year),
        "licence": LICENCE,
        "year": year,
    }


SOURCE: dict[int, dict] = {y: source_for(y) for y in PCI_YEARS}

# --------------------------------------------------------------------------------------------
# header recognition
# --------------------------------------------------------------------------------------------


def _fold(text: object) -> str:
    s = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


_RANK, _TIER = "__rank__", "__tier__"

# Ordered: the first rule whose pattern occurs in the folded header label wins.
_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("overall_unweighted", (r"chua co trong so", r"\bunweighted\b")),
    (_TIER, (r"nhom xep hang", r"\btier\b")),
    (_RANK, (r"xep hang", r"thu hang", r"\brank(ing)?\b")),
    ("entry_costs", (r"gia nhap thi truong", r"\bentry\b")),
    ("land_access", (r"tiep can dat dai", r"\bland\b")),
    ("transparency", (r"minh bach", r"\btransparency\b")),
    ("time_costs", (r"chi phi (ve )?thoi gian", r"\btime costs?\b", r"regulatory compliance")),
    ("informal_charges", (r"khong chinh thuc", r"\binformal\b")),
    ("central_policy_implementation", (r"thuc hien chinh sach cua trung uong",)),
    ("state_sector_bias", (r"uu dai doi voi (dnnn|doanh nghiep nha nuoc)", r"\bsoe bias\b")),
    ("policy_bias", (r"canh tranh binh dang", r"\bpolicy bias\b")),
    ("__bias__", (r"\bbias\b",)),
    ("proactivity", (r"nang dong", r"\bproactiv")),
    ("business_support", (r"ho tro (doanh nghiep|dn)\b", r"business support", r"phat trien khu vuc",
                          r"private sector development")),
    ("labor_training", (r"dao tao lao dong", r"\blabou?r\b")),
    ("legal_institutions", (r"thiet che phap ly", r"\blegal\b", r"\blaw\b")),
    ("overall", (r"co trong so", r"\bweighted pci\b", r"pci cuoi cung", r"^(chi so )?pci( (19|20)\d\d)?$")),
]
_STAT_LABELS = {"min", "max", "median", "mean", "average", "trung vi", "trung binh", "tong", "total"}


def _match_label(label: str, year: int) -> str | None:
    folded = _fold(label)
    if not folded:
        return None
    for key, patterns in _RULES:
        if any(re.search(p, folded) for p in patterns):
            if key == "__bias__":  # bare "Bias": equal-competition index from 2013, SOE bias before
                return "policy_bias" if year >= 2013 else "state_sector_bias"
            return key
    return None


_YEAR_RE = re.compile(r"(?<!\d)(200[5-9]|201\d|202\d)(?!\d)")


def _label_year(label: str) -> int | None:
    m = _YEAR_RE.search(str(label))
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------------------------
# cell helpers
# --------------------------------------------------------------------------------------------


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _as_number(v: object) -> float | None:
    if _is_blank(v) or isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).strip().replace(",", "."))
    except ValueError:
        return None


def _province(v: object):
    """The registry unit a cell names, or None (numbers never count as names)."""
    from cchc_analysis.provinces import UnknownProvinceError, resolve_province

    if not isinstance(v, str) or not re.search(r"[^\W\d_]", v):
        return None
    try:
        return resolve_province(v.strip())
    except UnknownProvinceError:
        return None


def _is_stat(v: object) -> bool:
    return isinstance(v, str) and _fold(v) in _STAT_LABELS


def _looks_like_name(v: object) -> bool:
    return isinstance(v, str) and bool(re.search(r"[^\W\d_]", v)) and not _is_stat(v)


# --------------------------------------------------------------------------------------------
# sheet analysis
# --------------------------------------------------------------------------------------------


@dataclass
class _Table:
    sheet: str
    layout: str  # "wide" or "pairs"
    values: dict[str, dict[str, tuple[float, str]]]  # key -> code -> (value, printed name)
    ranks: dict[str, dict[str, int]]  # key -> code -> rank


def _err(path: Path, sheet: str | None, msg: str) -> PCILayoutError:
    where = f"{path.name}" + (f", sheet {sheet!r}" if sheet is not None else "")
    return PCILayoutError(f"PCI workbook {where}: {msg}")


def _first_data_row(df: pd.DataFrame, limit: int = 15) -> int | None:
    for r in range(min(limit, len(df))):
        row = df.iloc[r].tolist()
        if any(_province(v) is not None for v in row) and sum(_as_number(v) is not None for v in row) >= 2:
            return r
    return None


def _years_named(df: pd.DataFrame, sheet: str, r0: int, labels: dict[int, str],
                 keys: dict[int, str]) -> dict[int, str]:
    """PCI years the sheet itself names, each with where: its name, the labels of the score, rank
    and tier columns, and titles above the table that mention PCI (not sub-index notes such as
    "Transparency Sub-Index (As PCI 2005)")."""
    from openpyxl.utils import get_column_letter

    found: dict[int, str] = {}
    for y in _YEAR_RE.findall(sheet):
        found.setdefault(int(y), f"sheet name {sheet!r}")
    for c, label in labels.items():
        if keys.get(c) in ("overall", "overall_unweighted", _RANK, _TIER):
            for y in _YEAR_RE.findall(label):
                found.setdefault(int(y), f"column {get_column_letter(c + 1)}: {label!r}")
    for r in range(r0):
        for c in range(df.shape[1]):
            v = df.iat[r, c]
            if c in keys or not isinstance(v, str) or "pci" not in _fold(v):
                continue
            for y in _YEAR_RE.findall(v):
                found.setdefault(int(y), f"cell {get_column_letter(c + 1)}{r + 1}: {v.strip()!r}")
    return found


def _analyse_sheet(df: pd.DataFrame, sheet: str, year: int, path: Path,
                   other_years: dict[str, tuple[int, str]] | None = None) -> _Table | None:
    """Parse one sheet if it is a PCI summary table; None if it is not one (or is one of another
    year: then ``other_years[sheet]`` = (that year, where the sheet says so))."""
    r0 = _first_data_row(df)
    if r0 is None or r0 == 0:
        return None
    ncols = df.shape[1]
    labels = {}
    for c in range(ncols):
        parts = [str(df.iat[r, c]).strip() for r in range(max(0, r0 - 3), r0) if not _is_blank(df.iat[r, c])]
        labels[c] = " ".join(parts)
    keys = {c: k for c, k in ((c, _match_label(lab, year) if lab else None) for c, lab in labels.items()) if k}
    matched = {c: k for c, k in keys.items() if k != _TIER}
    if "overall" not in matched.values():
        return None
    named = _years_named(df, sheet, r0, labels, keys)
    if named and year not in named:
        # e.g. the 'Summary' sheet of the 2014-2016 files is PCI 2013; a file renamed to another year
        if other_years is not None:
            other_years[sheet] = min(named.items())
        return None

    # Which columns hold province names in the first data row?
    first = df.iloc[r0].tolist()
    prov_cols = [c for c in range(ncols) if _province(first[c]) is not None]
    layout = "pairs" if len(prov_cols) >= 2 else "wide"

    def block(pcol: int) -> list[int]:
        rows = []
        for r in range(r0, len(df)):
            v = df.iat[r, pcol]
            if _is_blank(v) or _is_stat(v):
                break
            rows.append(r)
        return rows

    def prov_col_for(c: int) -> int:
        if layout == "wide":
            return prov_cols[0]
        left = [p for p in prov_cols if p < c]
        if not left:
            raise _err(path, sheet, f"no province column to the left of column {c + 1} ({labels[c]!r})")
        return left[-1]

    values: dict[str, dict[str, tuple[float, str]]] = {}
    ranks: dict[str, dict[str, int]] = {}
    rank_cols = [c for c, k in matched.items() if k == _RANK]
    comp_cols = {c: k for c, k in matched.items() if k != _RANK}
    seen: dict[str, int] = {}
    for c, key in comp_cols.items():
        if key in seen:
            raise _err(path, sheet, f"two columns ({seen[key] + 1} and {c + 1}) look like {key!r}: "
                       f"{labels[seen[key]]!r} / {labels[c]!r}")
        seen[key] = c

    def read_column(c: int, what: str, integer: bool = False) -> dict[str, tuple[float, str, int]]:
        pcol = prov_col_for(c)
        out: dict[str, tuple[float, str, int]] = {}
        for r in block(pcol):
            name = df.iat[r, pcol]
            unit = _province(name)
            if unit is None:
                raise _err(path, sheet, f"row {r + 1}, column {pcol + 1}: province name {name!r} is not "
                           "in the registry (add it to the aliases of cchc_analysis/registry/"
                           "provinces_legacy.csv)")
            num = _as_number(df.iat[r, c])
            if num is None:
                raise _err(path, sheet, f"row {r + 1}, column {c + 1} ({what}, {str(name).strip()}): "
                           f"expected a number, found {df.iat[r, c]!r}")
            if integer and num != int(num):
                raise _err(path, sheet, f"row {r + 1}, column {c + 1}: rank {num!r} is not a whole number")
            if unit.code in out:
                raise _err(path, sheet, f"column {c + 1} ({what}): {unit.name} appears twice "
                           f"(rows {out[unit.code][2] + 1} and {r + 1})")
            out[unit.code] = (num, str(name).strip(), r)
        return out

    for c, key in comp_cols.items():
        col = read_column(c, key)
        values[key] = {code: (v, name) for code, (v, name, _) in col.items()}
        if layout == "pairs":
            # The order column ("Thứ tự"/"No") gives each row's position in the sorted pair.
            order = _order_column(df, block(prov_col_for(c)), prov_cols)
            if order is None:
                raise _err(path, sheet, "sorted-pairs layout without an order column (1, 2, 3, ...) "
                           "in front of the province/score pairs")
            vals = [v for v, _, _ in sorted(col.values(), key=lambda t: t[2])]
            if any(b > a + 1e-9 for a, b in zip(vals, vals[1:])):
                raise _err(path, sheet, f"column {c + 1} ({labels[c]!r}) is not sorted best-first as the "
                           "sorted-pairs layout requires")
            ranks[key] = {code: order[r] for code, (_, _, r) in col.items()}

    if rank_cols:
        if len(rank_cols) > 1:
            raise _err(path, sheet, f"several rank columns: {[labels[c] for c in rank_cols]}")
        col = read_column(rank_cols[0], "rank", integer=True)
        ranks["overall"] = {code: int(v) for code, (v, _, _) in col.items()}
    elif layout == "wide":
        # 2006: no rank column, the table is sorted by PCI with a sequence number in front.
        rows = block(prov_cols[0])
        order = _order_column(df, rows, prov_cols)
        ov = values["overall"]
        seq = [ov[_province(df.iat[r, prov_cols[0]]).code][0] for r in rows]
        if order is not None and all(b <= a + 1e-9 for a, b in zip(seq, seq[1:])):
            ranks["overall"] = {_province(df.iat[r, prov_cols[0]]).code: order[r] for r in rows}
    return _Table(sheet, layout, values, ranks)


def _order_column(df: pd.DataFrame, rows: list[int], prov_cols: list[int]) -> dict[int, int] | None:
    """Row -> position for the first column holding exactly 1, 2, ..., n over ``rows``."""
    if not rows:
        return None
    for c in range(df.shape[1]):
        if c in prov_cols:
            continue
        nums = [_as_number(df.iat[r, c]) for r in rows]
        if all(n is not None for n in nums) and nums == [float(i) for i in range(1, len(rows) + 1)]:
            return {r: int(n) for r, n in zip(rows, nums)}
    return None


# --------------------------------------------------------------------------------------------
# public reader
# --------------------------------------------------------------------------------------------

COLUMNS = ["year", "province_code", "province", "component", "value", "rank", "province_as_printed"]


def _span(years: list[int]) -> str:
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _infer_year(path: Path) -> int:
    found = re.findall(r"(?<!\d)(20[0-2]\d)(?!\d)", path.name)
    if len(set(found)) != 1:
        raise PCILayoutError(f"PCI workbook {path.name}: cannot infer the year from the file name "
                             f"(expected e.g. PCI_2014.xlsx); pass year=...")
    return int(found[0])


def read_pci_workbook(path: str | Path, *, year: int | None = None) -> pd.DataFrame:
    """Read one official PCI workbook into tidy rows.

    Parameters
    ----------
    path : the workbook as VCCI published it (``PCI_2005.xls`` ... ``PCI_2019.xlsx``).
    year : PCI year; inferred from the file name when None.  Either way the workbook must agree:
        a summary table whose sheet name, score/rank headers or PCI title name another year is
        refused (and components or province counts that fit other years are pointed out).

    Returns
    -------
    DataFrame with columns ``year`` (int), ``province_code`` (GSO code, str), ``province``
    (registry name), ``component`` (see :data:`PCI_COMPONENTS`), ``value`` (float, as stored in
    the workbook, unrounded), ``rank`` (nullable Int64: the published rank for ``overall``; for
    sub-indices the position printed in sorted-pairs workbooks, else <NA>) and
    ``province_as_printed``.  One row per (province, component), sorted by component order and
    GSO code.

    Raises
    ------
    PCILayoutError (a ValueError)
        naming the file and sheet when no summary table is recognised, a component of that
        year is missing, a province name is unknown, or the number of provinces is not
        42 (2005), 64 (2006-2008) or 63 (2009-).
    """
    path = Path(path)
    year_given = year is not None
    if year is None:
        year = _infer_year(path)
    year = int(year)
    if not path.exists():
        raise FileNotFoundError(f"PCI workbook not found: {path}")
    try:
        with warnings.catch_warnings():
            # xlrd is the only reader of the 2005-2011 .xls files here; its pandas deprecation
            # notice and openpyxl's "unknown extension" notice say nothing about the data.
            warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated.*")
            warnings.filterwarnings("ignore", message="Unknown extension is not supported.*")
            sheets = pd.read_excel(path, sheet_name=None, header=None)
    except Exception as exc:  # xlrd/openpyxl errors vary
        raise PCILayoutError(f"PCI workbook {path.name}: cannot be opened as an Excel file ({exc})") from exc

    tables = []
    other_years: dict[str, tuple[int, str]] = {}
    for name, df in sheets.items():
        if df.empty:
            continue
        t = _analyse_sheet(df.astype(object), str(name), year, path, other_years)
        if t is not None:
            tables.append(t)
    expected = components_for_year(year) if year in PCI_YEARS else None
    if not tables and other_years:
        sheet, (named, where) = next(iter(other_years.items()))
        asked = "year=" if year_given else "the file name"
        raise _err(path, sheet, f"this is the PCI {named} summary table ({where}), not PCI {year} as {asked} "
                   f"says; pass year={named} if the file holds PCI {named}, or use the PCI {year} workbook")
    if not tables:
        raise _err(path, None, f"no sheet looks like a PCI {year} summary table (expected a header row "
                   "with a province column, the weighted PCI and sub-index columns such as "
                   f"'Chi phí gia nhập thị trường' / 'Entry Costs'); sheets: {list(sheets)}")
    n_sub = lambda t: sum(k not in ("overall", "overall_unweighted") for k in t.values)  # noqa: E731
    main = max(tables, key=n_sub)
    if n_sub(main) == 0:
        raise _err(path, main.sheet, f"found the PCI {year} score but no sub-index columns")

    if "overall" not in main.ranks:
        # 2005: the rank is on its own sheet with the PCI score.
        for t in tables:
            if t is main or "overall" not in t.ranks:
                continue
            a, b = main.values["overall"], t.values["overall"]
            if set(a) == set(b) and all(abs(a[k][0] - b[k][0]) < 1e-6 for k in a):
                main.ranks["overall"] = t.ranks["overall"]
                break

    found = list(main.values)
    if expected is not None:
        missing = [k for k in expected if k not in found]
        extra = [k for k in found if k not in expected]
        if missing or extra:
            fits = [y for y in PCI_YEARS if set(components_for_year(y)) == set(found)]
            hint = f" (these columns fit PCI {_span(fits)}: is the year right?)" if fits else ""
            raise _err(path, main.sheet, f"PCI {year} should have components {expected}; "
                       f"missing {missing}, unexpected {extra}{hint}")
    n_expected = EXPECTED_PROVINCES.get(year)
    codes = set(main.values["overall"])
    for key, vals in main.values.items():
        if set(vals) != codes:
            diff = sorted(set(vals) ^ codes)
            raise _err(path, main.sheet, f"component {key!r} covers other provinces than the PCI "
                       f"column (differences: {diff})")
    if n_expected is not None and len(codes) != n_expected:
        fits = [y for y, n in EXPECTED_PROVINCES.items() if n == len(codes)]
        hint = f" ({len(codes)} provinces fit PCI {_span(fits)}: is the year right?)" if fits else ""
        raise _err(path, main.sheet, f"expected {n_expected} provinces for PCI {year}, found {len(codes)}{hint}")
    if "overall" not in main.ranks:
        raise _err(path, main.sheet, f"no published rank found for the PCI {year} score")

    from cchc_analysis.provinces import resolve_province

    order = {c.key: i for i, c in enumerate(PCI_COMPONENTS)}
    rows = []
    for key in sorted(main.values, key=lambda k: order.get(k, 99)):
        rk = main.ranks.get(key, {})
        for code in sorted(main.values[key]):
            value, printed = main.values[key][code]
            rows.append((year, code, resolve_province(code).name, key, float(value), rk.get(code), printed))
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["year"] = out["year"].astype(int)
    out["rank"] = pd.array(out["rank"].tolist(), dtype="Int64")
    out.attrs["source"] = source_for(year) if year in PCI_YEARS else None
    out.attrs["sheet"] = main.sheet
    out.attrs["layout"] = main.layout
    return out
