"""Curated targets and baselines from provincial PAR plans: schema, loading, validation.

Two tidy tables live in ``data/targets/`` (folder from :data:`cchc_analysis.config.DATA_DIR`):

* ``documents.csv`` -- one row per source document (key ``document_id``).
* ``targets.csv`` -- one row per quantitative target or baseline quoted in a document
  (key ``target_id``; ``document_id`` resolves to ``documents.csv``).

A *target* is what a plan aims for ("phấn đấu ... thuộc nhóm 20 tỉnh đứng đầu"); a
*baseline* is a past result the plan quotes ("PAR INDEX năm 2021 xếp 33"), with
``deadline`` holding the year it was measured.  Both carry character offsets
(``evidence_start``/``evidence_end``) into the source text, so every number can be checked
against the document without storing the document's sentences.

The vocabularies below are shared with :mod:`cchc_analysis.extract`.  This module does
not import pandas until a table is built, so importing it is cheap.

Examples
--------
>>> qn = load_targets(province="Quảng Nam", kind="baseline")      # doctest: +SKIP
>>> qn[["metric_index", "value", "deadline"]].values.tolist()      # doctest: +SKIP
[['par', 33.0, 2021], ['sipas', 57.0, 2021], ['papi', 35.0, 2021], ['pci', 19.0, 2021]]
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "DOCUMENT_COLUMNS",
    "TARGET_COLUMNS",
    "OPTIONAL_DOCUMENT_COLUMNS",
    "OPTIONAL_TARGET_COLUMNS",
    "BOUNDARIES",
    "COMPARATORS",
    "UNITS",
    "KINDS",
    "DOMAINS",
    "METRIC_INDICES",
    "METRIC_FIELDS",
    "CONFIDENCE_LEVELS",
    "DOCUMENT_KINDS",
    "TargetsValidationError",
    "targets_dir",
    "load_documents",
    "load_targets",
    "validate_documents",
    "validate_targets",
]

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "document_id",
    "province_code",
    "province",
    "issuer",
    "number",
    "date",
    "title",
    "plan_period",
    "plan_start",
    "plan_end",
    "kind",
    "source_file",
    "source_url",
    "note",
)

#: Columns added for the harvested corpus; a table without them reads with these defaults.
#: ``boundaries`` says which province set ``province_code`` belongs to (``legacy``: the 63 units
#: until 30 June 2025; ``2025``: the 34 units since 1 July 2025); ``retrieved`` is the date the
#: text was retrieved from ``source_url``; ``text_sha256``/``text_chars`` identify that text.
OPTIONAL_DOCUMENT_COLUMNS: dict[str, str] = {
    "boundaries": "legacy",
    "retrieved": "",
    "text_sha256": "",
    "text_chars": "",
}

TARGET_COLUMNS: tuple[str, ...] = (
    "target_id",
    "document_id",
    "province_code",
    "province",
    "plan_period",
    "kind",
    "domain",
    "indicator_vi",
    "indicator_en",
    "comparator",
    "value",
    "unit",
    "deadline",
    "metric_index",
    "metric_component",
    "metric_field",
    "mapping_confidence",
    "mapping_note",
    "evidence_start",
    "evidence_end",
    "source_file",
)

#: ``scope`` is ``national`` (rank among all provinces) or ``region:<slug>`` (a rank within a
#: region, never graded against national ranks); ``rank_out_of`` is the N printed with a rank
#: ("18/63"); ``reviewed_by_hand`` is ``yes`` when a person checked the row against the text.
OPTIONAL_TARGET_COLUMNS: dict[str, str] = {
    "boundaries": "legacy",
    "scope": "national",
    "rank_out_of": "",
    "reviewed_by_hand": "",
}
BOUNDARIES: tuple[str, ...] = ("legacy", "2025")

#: ``top`` means "rank N or better" (in the group of the N best provinces).
COMPARATORS: tuple[str, ...] = (">", ">=", "=", "<=", "<", "top")
#: ``places`` counts ranks gained (positive) or lost (negative); ``rank`` is a position.
UNITS: tuple[str, ...] = ("%", "rank", "places", "score", "count", "days", "hours", "months")
KINDS: tuple[str, ...] = ("target", "baseline")
DOMAINS: tuple[str, ...] = (
    "institutional",
    "procedures",
    "apparatus",
    "civil_service",
    "public_finance",
    "digital_government",
    "direction",
    "socio_economic",
    "other",
)
METRIC_INDICES: tuple[str, ...] = ("par", "sipas", "papi", "pci", "dti", "svc766")
#: ``value_change`` (points gained on an index) extends the three fields of the issue.
METRIC_FIELDS: tuple[str, ...] = ("value", "rank", "rank_change", "value_change")
CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")
DOCUMENT_KINDS: tuple[str, ...] = ("decision", "plan", "news_report", "directive", "report")

_INT_DOC = ("plan_start", "plan_end")
_INT_TGT = ("deadline", "evidence_start", "evidence_end", "rank_out_of")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_SCOPE = re.compile(r"^(national|region:[a-z0-9][a-z0-9-]*)$")


class TargetsValidationError(ValueError):
    """A curated table breaks the schema.  ``problems`` lists one message per fault."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the targets data:"
        super().__init__("\n  ".join([head, *self.problems]))


def targets_dir() -> Path:
    """Folder of the curated tables, read at call time: ``targets/`` in your data folder
    (``CCHC_DATA_DIR``) when it has one, else the bundled ``targets/``."""
    from . import config

    return config.data_path("targets/targets.csv").parent


def _read_csv(path: Path) -> "pd.DataFrame":
    import pandas as pd

    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist. The curated targets tables ship inside the package (data/targets/ "
            "in a clone); with a data folder of your own (CCHC_DATA_DIR), its targets/ needs both "
            "documents.csv and targets.csv."
        )
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    optional = OPTIONAL_TARGET_COLUMNS if "target_id" in df.columns else OPTIONAL_DOCUMENT_COLUMNS
    for col, default in optional.items():
        if col not in df.columns:
            df[col] = default
    df.attrs["source"] = str(path)
    return df


def _to_int(df: "pd.DataFrame", cols: Iterable[str]) -> None:
    import pandas as pd

    for col in cols:
        if col in df.columns:
            df[col] = pd.to_numeric(df[col].replace("", None), errors="coerce").astype("Int64")


def load_documents(*, validate: bool = True) -> "pd.DataFrame":
    """The source documents, one row per document.

    Parameters
    ----------
    validate : run :func:`validate_documents` first (default True).

    Returns
    -------
    DataFrame
        Key ``document_id``.  Columns:

        ==============  =====================================================================
        document_id     stable id, e.g. ``quangnam-2023-qd3532``
        province_code   GSO code of the province (63-unit boundaries before 1 July 2025)
        province        canonical name from :func:`cchc_analysis.provinces.resolve_province`
        issuer          body that issued the plan or directive the document carries or reports
        number          number of that legal document ("3532/QĐ-UBND"); empty if not stated
        date            ISO date of the document itself (publication date for news); may be empty
        title           short descriptive title (our wording, or the legal document's name)
        plan_period     "2023" or "2011-2020"
        plan_start      first year of the plan period (Int64)
        plan_end        last year of the plan period (Int64)
        kind            decision, plan, news_report, directive or report
        source_file     file name of the text the offsets refer to
        source_url      address if known, else empty (required when ``retrieved`` is set)
        note            provenance and caveats
        boundaries      ``legacy`` (63 units) or ``2025`` (34 units): the set of province_code
        retrieved       ISO date the text was retrieved from source_url (harvested documents)
        text_sha256     SHA-256 of the retrieved text the offsets refer to; text_chars: its length
        ==============  =====================================================================

    Examples
    --------
    >>> load_documents().set_index("document_id").loc["quangnam-2023-qd3532", "number"]  # doctest: +SKIP
    '3532/QĐ-UBND'
    """
    df = _read_csv(targets_dir() / "documents.csv")
    if validate:
        validate_documents(df)
    _to_int(df, _INT_DOC)
    return df


def load_targets(
    *,
    province: str | None = None,
    document: str | None = None,
    kind: str | None = None,
    validate: bool = True,
) -> "pd.DataFrame":
    """The curated targets and baselines, one row per stated figure.

    Parameters
    ----------
    province : any spelling :func:`~cchc_analysis.provinces.resolve_province` accepts
        ("Quảng Nam", "quang nam", "49"); None for all.  A name selects the rows of the legacy
        unit it names and those of the 2025 unit it names (plans issued after 1 July 2025).
    document : a ``document_id`` or a ``source_file`` name; None for all.
    kind : "target" or "baseline"; None for both.
    validate : run :func:`validate_targets` (against the documents table) first.

    Returns
    -------
    DataFrame
        Key ``target_id``.  Columns:

        ==================  =================================================================
        target_id           ``<document_id>-NN``, numbered in text order
        document_id         resolves to :func:`load_documents`
        province_code       GSO code; province: canonical name
        plan_period         period of the plan the figure belongs to ("2023", "2011-2020")
        kind                "target" or "baseline" (a past result quoted by the plan)
        domain              one of :data:`DOMAINS` (the PAR reform areas plus direction;
                            ``socio_economic`` marks targets that are not reform targets)
        indicator_vi        short Vietnamese description (our wording, not the source sentence)
        indicator_en        short English description
        comparator          ``>``, ``>=``, ``=``, ``<=``, ``<`` or ``top`` (rank N or better)
        value               float
        unit                one of :data:`UNITS`
        deadline            Int64: target year; for baselines the year measured
        metric_index        par, sipas, papi, pci, dti or empty (no published index)
        metric_component    index component, "overall" for the headline index
        metric_field        value, rank, rank_change or value_change; empty without an index
        mapping_confidence  high, medium or low: how well the figure maps to index/domain
        mapping_note        reasoning, ambiguities, restatements elsewhere in the text
        evidence_start      Int64 character offset into the source text (UTF-8, as read by
        evidence_end        ``Path.read_text(encoding="utf-8")``), end exclusive
        source_file         file the offsets refer to
        boundaries          ``legacy`` or ``2025``: the province set of province_code
        scope               ``national`` or ``region:<slug>`` (a rank within a region)
        rank_out_of         Int64: the N printed with a rank ("18/63"), else missing
        reviewed_by_hand    ``yes`` when a person checked the row against the text
        ==================  =================================================================

    Raises
    ------
    TargetsValidationError
        when ``validate`` and a row breaks the schema (message names file, row and fix).
    ValueError
        for an unknown ``kind`` or a ``document`` that matches nothing.

    Examples
    --------
    >>> t = load_targets(province="quang nam", kind="target")          # doctest: +SKIP
    >>> t.query("metric_index == 'pci'")[["comparator", "value", "unit"]].values.tolist()  # doctest: +SKIP
    [['top', 6.0, 'rank']]
    """
    df = _read_csv(targets_dir() / "targets.csv")
    if validate:
        docs = _read_csv(targets_dir() / "documents.csv")
        validate_documents(docs)
        validate_targets(df, documents=docs)
    source = df.attrs.get("source")
    import pandas as pd

    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype(float)
    _to_int(df, _INT_TGT)
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS} or None, got {kind!r}")
        df = df[df["kind"] == kind]
    if province is not None:
        df = df[_province_rows(df, province)]
    if document is not None:
        sel = (df["document_id"] == document) | (df["source_file"] == document)
        if not sel.any():
            known = sorted(set(df["document_id"]))
            raise ValueError(f"document {document!r} matches no document_id or source_file; known ids: {known}")
        df = df[sel]
    df = df.reset_index(drop=True)
    if province is None and document is None and kind is None:  # line numbers still hold
        df.attrs["source"] = source
    else:
        df.attrs.pop("source", None)
    return df


def _province_rows(df: "pd.DataFrame", province: str) -> "pd.Series":
    """Rows about ``province``: a legacy name matches legacy rows, a 2025 name 2025 rows."""
    from .provinces import UnknownProvinceError, resolve_province

    sel = df["province_code"].isna()  # all False
    errors = []
    for boundaries in BOUNDARIES:
        try:
            code = resolve_province(province, boundaries=boundaries).code
        except UnknownProvinceError as exc:
            errors.append(exc)
            continue
        sel |= (df["boundaries"] == boundaries) & (df["province_code"] == code)
    if len(errors) == len(BOUNDARIES):
        raise errors[0]
    return sel


# ----------------------------------------------------------------------------- validation


def _where(df: "pd.DataFrame", default: str) -> tuple[str, bool]:
    src = df.attrs.get("source")
    return (Path(src).name if src else default), bool(src)


def _row_label(i: int, from_csv: bool, df: "pd.DataFrame", key: str) -> str:
    line = f"line {i + 2}" if from_csv else f"row {i}"
    ident = df[key].iloc[i] if key in df.columns else ""
    return f"{line} ({key} {ident!r})" if ident != "" else line


def _s(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    try:
        import pandas as pd

        if v is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return str(v).strip()


def _int_or_none(v: object) -> int | None:
    s = _s(v)
    if s == "":
        return None
    try:
        f = float(s)
    except ValueError:
        raise ValueError(s) from None
    if not f.is_integer():
        raise ValueError(s)
    return int(f)


def _check_province(code: str, name: str, boundaries: str = "legacy") -> str | None:
    from .provinces import UnknownProvinceError, resolve_province

    if boundaries not in BOUNDARIES:
        return f"boundaries {boundaries!r} is not 'legacy' or '2025'. Fix: write 'legacy' for the 63 units, '2025' for the 34."
    try:
        unit = resolve_province(name, boundaries=boundaries)
    except UnknownProvinceError as exc:
        return f"province {name!r} is unknown ({exc}). Fix: use a registry name such as 'Quảng Nam'."
    if code and unit.code != code:
        return (
            f"province_code {code!r} does not match province {name!r} (registry code {unit.code}). "
            f"Fix: set province_code to {unit.code!r}."
        )
    if not code:
        return f"province_code is empty. Fix: set it to {unit.code!r} ({unit.name})."
    if unit.name != name:
        return f"province {name!r} is not the canonical spelling. Fix: write {unit.name!r}."
    return None


def validate_documents(df: "pd.DataFrame") -> "pd.DataFrame":
    """Check a documents table; return it unchanged or raise :class:`TargetsValidationError`.

    Checks: required columns, unique non-empty ``document_id``, known ``kind``, provinces that
    resolve (and match their code), ``plan_period`` agreeing with ``plan_start``/``plan_end``,
    ISO dates.
    """
    fname, from_csv = _where(df, "documents table")
    problems: list[str] = []
    missing = [c for c in DOCUMENT_COLUMNS if c not in df.columns]
    if missing:
        raise TargetsValidationError([f"{fname}: missing column(s) {missing}. Fix: add them to the header."])
    seen: dict[str, int] = {}
    for i in range(len(df)):
        row = {c: _s(df[c].iloc[i]) for c in DOCUMENT_COLUMNS}
        for col, default in OPTIONAL_DOCUMENT_COLUMNS.items():
            row[col] = _s(df[col].iloc[i]) if col in df.columns else default
        where = f"{fname} {_row_label(i, from_csv, df, 'document_id')}"
        did = row["document_id"]
        if not did:
            problems.append(f"{where}: document_id is empty. Fix: give the document a unique id.")
        elif did in seen:
            problems.append(f"{where}: duplicate document_id {did!r} (first at row {seen[did]}). Fix: make ids unique.")
        else:
            seen[did] = i
        if row["kind"] not in DOCUMENT_KINDS:
            problems.append(f"{where}: kind {row['kind']!r} is not one of {', '.join(DOCUMENT_KINDS)}.")
        msg = _check_province(row["province_code"], row["province"], row["boundaries"])
        if msg:
            problems.append(f"{where}: {msg}")
        if row["retrieved"]:
            try:
                date.fromisoformat(row["retrieved"])
            except ValueError:
                problems.append(f"{where}: retrieved {row['retrieved']!r} is not an ISO date (YYYY-MM-DD).")
            if not row["source_url"]:
                problems.append(f"{where}: a retrieved document needs its source_url. Fix: write the address it was retrieved from.")
        m = _PERIOD.match(row["plan_period"])
        try:
            start, end = _int_or_none(row["plan_start"]), _int_or_none(row["plan_end"])
        except ValueError:
            start = end = None
            problems.append(f"{where}: plan_start/plan_end must be whole years.")
        if not m:
            problems.append(f"{where}: plan_period {row['plan_period']!r} is not 'YYYY' or 'YYYY-YYYY'.")
        else:
            want = (int(m.group(1)), int(m.group(2) or m.group(1)))
            if (start, end) != want:
                problems.append(
                    f"{where}: plan_start/plan_end ({start}, {end}) disagree with plan_period "
                    f"{row['plan_period']!r}. Fix: set them to {want[0]} and {want[1]}."
                )
        if row["date"]:
            try:
                date.fromisoformat(row["date"])
            except ValueError:
                problems.append(f"{where}: date {row['date']!r} is not an ISO date (YYYY-MM-DD). Fix: write e.g. 2022-12-23.")
        if not row["source_file"]:
            problems.append(f"{where}: source_file is empty. Fix: name the text file the offsets refer to.")
    if problems:
        raise TargetsValidationError(problems)
    return df


_FIX_COMPARATOR = (
    "Fix: use '>' (trên, hơn), '>=' (từ … trở lên, tối thiểu, ít nhất, đạt), '<=' (không quá, tối đa), "
    "'<' (dưới), '=' (a measured baseline) or 'top' (in the group of the N best)."
)


def validate_targets(df: "pd.DataFrame", *, documents: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Check a targets table; return it unchanged or raise :class:`TargetsValidationError`.

    Parameters
    ----------
    df : targets table (as read from ``targets.csv``, or built by hand).
    documents : documents table to resolve ``document_id`` against; by default
        :func:`load_documents` (unvalidated).

    Checks
    ------
    duplicate or empty ``target_id``; unknown ``kind``, ``comparator``, ``unit``, ``domain``,
    ``metric_index``, ``metric_field`` or ``mapping_confidence``; rank rules (``top`` needs unit
    ``rank``; ``rank`` goes with metric_field ``rank``, ``places`` with ``rank_change``);
    provinces that do not resolve; ``document_id`` values missing from ``documents`` or whose
    province, plan period or source file disagree with it (a baseline may name another province
    and boundaries: a plan quoting the leader's figure, or a 2025 unit's plan quoting a former
    province's); non-numeric values; bad offsets.
    Every message names the file, the CSV line (or row) and a fix.

    Examples
    --------
    >>> import pandas as pd
    >>> bad = pd.DataFrame([{c: "" for c in TARGET_COLUMNS}])
    >>> try:
    ...     validate_targets(bad, documents=pd.DataFrame(columns=list(DOCUMENT_COLUMNS)))
    ... except TargetsValidationError as e:
    ...     print(e.problems[0])
    targets table row 0: target_id is empty. Fix: give every row a unique id such as '<document_id>-01'.
    """
    fname, from_csv = _where(df, "targets table")
    missing = [c for c in TARGET_COLUMNS if c not in df.columns]
    if missing:
        raise TargetsValidationError([f"{fname}: missing column(s) {missing}. Fix: add them to the header."])
    if documents is None:
        documents = load_documents(validate=False)
    docs = {}
    for j in range(len(documents)):
        rec = {c: _s(documents[c].iloc[j]) for c in documents.columns}
        docs[rec.get("document_id", "")] = rec
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i in range(len(df)):
        row = {c: _s(df[c].iloc[i]) for c in TARGET_COLUMNS}
        for col, default in OPTIONAL_TARGET_COLUMNS.items():
            row[col] = _s(df[col].iloc[i]) if col in df.columns else default
        where = f"{fname} {_row_label(i, from_csv, df, 'target_id')}"
        add = problems.append
        if not _SCOPE.match(row["scope"]):
            add(f"{where}: scope {row['scope']!r} is not 'national' or 'region:<slug>'. Fix: e.g. 'region:tay-nguyen' for a rank within a region.")
        if row["reviewed_by_hand"] not in ("", "yes", "no"):
            add(f"{where}: reviewed_by_hand {row['reviewed_by_hand']!r} is not 'yes', 'no' or empty.")
        if row["rank_out_of"]:
            try:
                out_of = _int_or_none(row["rank_out_of"])
                if row["unit"] == "rank" and out_of is not None and float(row["value"] or 0) > out_of:
                    add(f"{where}: rank {row['value']} is larger than rank_out_of {out_of}.")
            except ValueError:
                add(f"{where}: rank_out_of {row['rank_out_of']!r} is not a whole number (the N printed in '18/63').")
        tid = row["target_id"]
        if not tid:
            add(f"{where}: target_id is empty. Fix: give every row a unique id such as '<document_id>-01'.")
        elif tid in seen:
            add(f"{where}: duplicate target_id {tid!r} (also at {_row_label(seen[tid], from_csv, df, 'target_id')}). Fix: renumber.")
        else:
            seen[tid] = i
        if row["kind"] not in KINDS:
            add(f"{where}: kind {row['kind']!r} is not 'target' or 'baseline'.")
        if row["comparator"] not in COMPARATORS:
            add(f"{where}: unknown comparator {row['comparator']!r}. {_FIX_COMPARATOR}")
        if row["unit"] not in UNITS:
            add(f"{where}: unknown unit {row['unit']!r}. Fix: use one of {', '.join(UNITS)}.")
        if row["domain"] not in DOMAINS:
            add(f"{where}: unknown domain {row['domain']!r}. Fix: use one of {', '.join(DOMAINS)}.")
        if row["mapping_confidence"] not in CONFIDENCE_LEVELS:
            add(f"{where}: mapping_confidence {row['mapping_confidence']!r} is not high, medium or low.")
        if row["metric_index"]:
            if row["metric_index"] not in METRIC_INDICES:
                add(f"{where}: unknown metric_index {row['metric_index']!r}. Fix: use one of {', '.join(METRIC_INDICES)} or leave empty.")
            if row["metric_field"] not in METRIC_FIELDS:
                add(f"{where}: metric_field {row['metric_field']!r} is not one of {', '.join(METRIC_FIELDS)}.")
            if not row["metric_component"]:
                add(f"{where}: metric_component is empty although metric_index is set. Fix: write 'overall' for the headline index.")
        elif row["metric_field"] or row["metric_component"]:
            add(f"{where}: metric_component/metric_field are set but metric_index is empty. Fix: fill metric_index or clear both.")
        if row["comparator"] == "top" and row["unit"] != "rank":
            add(f"{where}: comparator 'top' needs unit 'rank' (got {row['unit']!r}).")
        if row["metric_index"] and row["unit"] == "rank" and row["metric_field"] != "rank":
            add(f"{where}: unit 'rank' goes with metric_field 'rank' (got {row['metric_field']!r}).")
        if row["metric_index"] and row["unit"] == "places" and row["metric_field"] != "rank_change":
            add(f"{where}: unit 'places' goes with metric_field 'rank_change' (got {row['metric_field']!r}).")
        try:
            value = float(row["value"])
            if not math.isfinite(value):
                raise ValueError
            if row["unit"] == "%" and not -100 <= value <= 100:
                add(f"{where}: value {value} is outside -100..100 for unit '%'.")
        except ValueError:
            add(f"{where}: value {row['value']!r} is not a number. Fix: write a plain decimal with a dot (85.5).")
        try:
            deadline = _int_or_none(row["deadline"])
            start, end = _int_or_none(row["evidence_start"]), _int_or_none(row["evidence_end"])
        except ValueError as exc:
            add(f"{where}: {exc.args[0]!r} is not a whole number (deadline and evidence offsets are integers).")
            deadline, start, end = 0, 0, 1
        if deadline is None and row["kind"] == "target":
            add(f"{where}: a target needs a deadline year. Fix: use the plan year when the text gives none.")
        if deadline is not None and not 1990 <= deadline <= 2100:
            add(f"{where}: deadline {deadline} is not a plausible year.")
        if start is None or end is None or start < 0 or end <= start:
            add(f"{where}: evidence_start/evidence_end ({start}, {end}) must be offsets with start < end.")
        msg = _check_province(row["province_code"], row["province"], row["boundaries"])
        if msg:
            add(f"{where}: {msg}")
        doc = docs.get(row["document_id"])
        if doc is None:
            add(
                f"{where}: document_id {row['document_id']!r} does not resolve to documents.csv. "
                "Fix: add the document there or correct the id."
            )
        else:
            doc.setdefault("boundaries", OPTIONAL_DOCUMENT_COLUMNS["boundaries"])
            # a quoted past figure may be another province's ("Quảng Ninh dẫn đầu") or a former
            # province's in a 2025 unit's plan: a baseline keeps its own province and boundaries
            own = ("province_code", "boundaries") if row["kind"] == "baseline" else ()
            for col in ("province_code", "plan_period", "source_file", "boundaries"):
                if col in doc and doc[col] != row[col] and col not in own:
                    hint = " (only a baseline, a quoted past figure, may name another province)" if col in ("province_code", "boundaries") else ""
                    add(f"{where}: {col} {row[col]!r} differs from document {row['document_id']!r} ({doc[col]!r}){hint}. "
                        "Fix: copy it from documents.csv.")
    if problems:
        raise TargetsValidationError(problems)
    return df
