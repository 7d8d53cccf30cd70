"""House style for charts: colours, fonts, figure sizes and source captions.

* :func:`use_style` -- seaborn "paper" context, a colour-blind-safe palette (Okabe & Ito),
  a font that covers Vietnamese (DejaVu Sans, shipped with matplotlib), and export
  settings that keep text as text in SVG and PDF.  Works globally or as a context manager.
* Colours -- :data:`HIGHLIGHT` for the province in focus, :data:`CONTEXT` grey for the
  others, :data:`STATUS_COLOURS` for target statuses.
* :func:`source_caption` -- "Nguồn: VCCI, PCI 2023" / "Source: VCCI, PCI 2023", built from
  the ``source_id`` column of the data a chart shows.
* :func:`figure_size` -- brief sizes: single column 8.5 cm, double column 17 cm.

matplotlib and seaborn are imported inside the functions that need them, so importing
this module (for :func:`source_caption`, say) stays cheap.

Examples
--------
>>> with use_style():                                   # doctest: +SKIP
...     ax = plot_trend(data, province="Quảng Nam", index="pci")
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import labels as L

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "HIGHLIGHT",
    "HIGHLIGHTS",
    "CONTEXT",
    "MEDIAN",
    "BAND",
    "TARGET",
    "BREAK",
    "STATUS_COLOURS",
    "FONT_FAMILY",
    "VIETNAMESE_SAMPLE",
    "WIDTHS_CM",
    "use_style",
    "check_font",
    "figure_size",
    "source_caption",
    "add_caption",
    "get_caption",
    "set_alt_text",
    "get_alt_text",
]

#: The Okabe & Ito (2008) palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
#: Colour cycle set by :func:`use_style` (yellow last: weak on white).
PALETTE: list[str] = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black", "yellow")]
#: The province in focus.
HIGHLIGHT: str = OKABE_ITO["vermillion"]
#: Further focus provinces, after :data:`HIGHLIGHT`.
HIGHLIGHTS: tuple[str, ...] = (HIGHLIGHT, OKABE_ITO["blue"], OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"], OKABE_ITO["orange"])
#: Every other province.
CONTEXT: str = "#BDBDBD"
#: National median line.
MEDIAN: str = "#4D4D4D"
#: Region band (IQR or min-max).
BAND: str = "#D9D9D9"
#: Targets.
TARGET: str = OKABE_ITO["blue"]
#: Comparability breaks.
BREAK: str = "#737373"
#: Target statuses (as returned by ``assess_targets``).
STATUS_COLOURS: dict[str, str] = {
    "met": OKABE_ITO["bluish_green"],
    "on track": OKABE_ITO["sky_blue"],
    "off track": OKABE_ITO["orange"],
    "not met": OKABE_ITO["vermillion"],
    "no data": "#999999",
    "not measurable": "#999999",
}

#: Font family of the house style; ships with matplotlib and covers Vietnamese.
FONT_FAMILY = "DejaVu Sans"
#: Every Vietnamese letter (both cases, all tones) -- what a chart font must cover.
VIETNAMESE_SAMPLE: str = ""
_BASES = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _vietnamese_letters() -> str:
    import unicodedata

    letters = {unicodedata.normalize("NFC", b + t) for b in _BASES for t in _TONES}
    letters |= set("bcdđghklmnpqrstvx")
    letters |= {c.upper() for c in letters}
    return "".join(sorted(letters))


VIETNAMESE_SAMPLE = _vietnamese_letters()

#: Widths of brief figures in centimetres.
WIDTHS_CM: dict[str, float] = {"single": 8.5, "double": 17.0}

#: rcParams that make saved files keep text as text and stay byte-identical.
EXPORT_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.hashsalt": "cchc-analysis",
    "savefig.dpi": 300,
}

CAPTION_GID = "cchc-caption"


class StyleContext:
    """Returned by :func:`use_style`; as a context manager it restores the previous style."""

    def __init__(self, saved: dict):
        self._saved = saved

    def restore(self) -> None:
        """Put back the rcParams that were in force before :func:`use_style`."""
        import matplotlib as mpl

        dict.update(mpl.rcParams, self._saved)

    def __enter__(self) -> "StyleContext":
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()


def use_style(*, context: str = "paper", font_scale: float = 1.0, font: str = FONT_FAMILY, rc: Mapping[str, Any] | None = None) -> StyleContext:
    """Apply the house style to matplotlib.

    Parameters
    ----------
    context : seaborn context ("paper" for briefs, "notebook", "talk").
    font_scale : multiplies every font size of the context.
    font : font family; checked with :func:`check_font` (must exist and cover Vietnamese).
    rc : further rcParams, applied last.

    Returns
    -------
    StyleContext
        Use ``with use_style(): ...`` to restore the previous settings afterwards;
        a plain call changes the style for the rest of the session.

    What it sets: seaborn ``ticks`` style with a light horizontal grid, the
    :data:`PALETTE` colour cycle, ``font`` first in ``font.sans-serif`` (DejaVu Sans
    after it as fallback), constrained layout, and :data:`EXPORT_RC` (SVG text as
    text, TrueType/Type 42 fonts in PDF, a fixed SVG hash salt, 300 dpi).
    """
    import matplotlib as mpl
    import seaborn as sns

    check_font(font)
    saved = dict(mpl.rcParams.copy())
    sns.set_theme(context=context, style="ticks", palette=PALETTE, font="sans-serif", font_scale=font_scale)
    families = [font] + [f for f in ("DejaVu Sans",) if f != font]
    k = font_scale
    # "paper": sizes for a figure 8.5 cm wide (7-9 pt text, as in printed briefs);
    # other contexts keep seaborn's sizes.
    sizes: dict[str, Any] = {
        "font.size": 8 * k,
        "axes.labelsize": 8 * k,
        "axes.titlesize": 9 * k,
        "xtick.labelsize": 7 * k,
        "ytick.labelsize": 7 * k,
        "legend.fontsize": 7 * k,
        "legend.title_fontsize": 7 * k,
        "axes.linewidth": 0.8,
        "xtick.major.width": 0.8,
        "ytick.major.width": 0.8,
        "xtick.major.size": 3.0,
        "ytick.major.size": 3.0,
        "lines.linewidth": 1.2,
        "lines.markersize": 4.0,
    } if context == "paper" else {"axes.titlesize": mpl.rcParams["axes.labelsize"]}
    settings: dict[str, Any] = {
        **sizes,
        "font.family": "sans-serif",
        "font.sans-serif": families + [f for f in mpl.rcParams["font.sans-serif"] if f not in families],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#E5E5E5",
        "grid.linewidth": 0.6,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "legend.frameon": False,
        "figure.constrained_layout.use": True,
        "figure.dpi": 100,
        "image.cmap": "viridis",
    }
    settings.update(EXPORT_RC)
    if rc:
        settings.update(rc)
    mpl.rcParams.update(settings)
    return StyleContext(saved)


def check_font(family: str = FONT_FAMILY) -> str:
    """Path of the font file ``family`` resolves to; raise if it is missing or lacks Vietnamese.

    Raises
    ------
    ValueError
        when no installed font matches ``family`` (no silent fallback), or when the
        font lacks a Vietnamese letter (the message lists them).
    """
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    try:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        raise ValueError(f"font {family!r} is not installed (matplotlib cannot find it); use {FONT_FAMILY!r}, which ships with matplotlib") from None
    charmap = FT2Font(path).get_charmap()
    missing = [c for c in VIETNAMESE_SAMPLE if ord(c) not in charmap]
    if missing:
        raise ValueError(f"font {family!r} ({path}) lacks {len(missing)} Vietnamese letters, e.g. {''.join(missing[:12])!r}; use {FONT_FAMILY!r}")
    return path


def figure_size(width: str | float = "single", height: float | None = None, *, aspect: float = 0.75) -> tuple[float, float]:
    """Figure size in inches for a brief.

    Parameters
    ----------
    width : "single" (8.5 cm), "double" (17 cm) or a width in centimetres.
    height : height in centimetres; None gives ``width * aspect``.
    """
    if isinstance(width, str):
        try:
            w_cm = WIDTHS_CM[width]
        except KeyError:
            raise ValueError(f"width must be 'single', 'double' or a number of centimetres, got {width!r}") from None
    else:
        w_cm = float(width)
    if not w_cm > 0:
        raise ValueError(f"width must be positive, got {width!r}")
    h_cm = w_cm * aspect if height is None else float(height)
    if not h_cm > 0:
        raise ValueError(f"height must be positive, got {height!r}")
    return w_cm / 2.54, h_cm / 2.54


# ---------------------------------------------------------------------------------------
# source captions

# "VCCI, PCI 2023" -> ("VCCI, PCI", 2023); "PAPI 2011-2019" is left alone (a range already)
_YEAR_AT_END = re.compile(r"^(.*[^\s,])[ ,]+((?:19|20)\d\d)$")


_SUFFIX = re.compile(r"^(.*\S)\s+\(([^()]*)\)$")


def _compress(citations: list[str]) -> list[str]:
    """Merge citations that differ only in a trailing year ("VCCI, PCI 2019–2021, 2023")
    or only in a trailing "(where)" ("Bộ Nội vụ, PAR INDEX 2023 (a.vn, b.vn)")."""
    by_where: dict[str, list[str]] = {}
    plain: list[str] = []
    for c in citations:
        m = _SUFFIX.match(c)
        if m:
            where = by_where.setdefault(m.group(1), [])
            if m.group(2) not in where:
                where.append(m.group(2))
        elif c not in plain:
            plain.append(c)
    years: dict[str, set[int]] = {}
    rest: list[str] = []
    for c in plain:
        m = _YEAR_AT_END.match(c)
        if m and c not in by_where:
            years.setdefault(m.group(1), set()).add(int(m.group(2)))
        elif c not in by_where:
            rest.append(c)
    merged = [f"{prefix} {L.format_years(ys)}" for prefix, ys in years.items()]
    merged += [f"{main} ({', '.join(sorted(where))})" for main, where in by_where.items()]
    # a citation that also appears without a "(where)" keeps the plain form once
    merged += [c for c in plain if c in by_where]
    return sorted(dict.fromkeys(merged + rest))


def source_caption(
    data: "pd.DataFrame | Iterable[str]",
    *,
    lang: str = "vi",
    sources: "pd.DataFrame | None" = None,
    source_col: str = "source_id",
) -> str:
    """The source line for a chart: ``"Nguồn: VCCI, PCI 2023"`` / ``"Source: VCCI, PCI 2023"``.

    Parameters
    ----------
    data : the rows a chart shows (its ``source_col`` is read) or an iterable of source ids.
    lang : "vi" or "en"; picks ``short_citation_vi`` or ``short_citation_en``.
    sources : the sources table (``source_id``, ``short_citation_vi``,
        ``short_citation_en``); None loads the bundled one (``load_sources()``).
    source_col : column of ``data`` holding the ids.

    Returns
    -------
    str
        Citations that differ only by their final year are merged
        ("VCCI, PCI 2019–2021, 2023"); several sources are joined with "; " in
        alphabetical order.  Empty ids (NaN) are ignored; no ids gives "".

    Raises
    ------
    ValueError
        when ``data`` lacks ``source_col`` or an id is not in ``sources``.

    Examples
    --------
    >>> import pandas as pd
    >>> src = pd.DataFrame({"source_id": ["pci2023"], "short_citation_vi": ["VCCI, PCI 2023"],
    ...                     "short_citation_en": ["VCCI, PCI 2023"]})
    >>> source_caption(["pci2023"], lang="en", sources=src)
    'Source: VCCI, PCI 2023'
    """
    L.check_lang(lang)
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        if source_col not in data.columns:
            raise ValueError(f"source_caption: `data` has no column {source_col!r}; pass the rows the chart shows, with their source ids")
        ids = data[source_col]
    else:
        ids = pd.Series(list(data), dtype="object")
    ids = [str(i) for i in pd.unique(ids.dropna()) if str(i).strip()]
    if not ids:
        return ""
    if sources is None:
        from .indicators import load_sources

        sources = load_sources()
    col = f"short_citation_{lang}"
    for needed in ("source_id", col):
        if needed not in sources.columns:
            raise ValueError(f"source_caption: `sources` has no column {needed!r}; expected the table of load_sources()")
    table = dict(zip(sources["source_id"].astype(str), sources[col]))
    unknown = [i for i in ids if i not in table]
    if unknown:
        raise ValueError(f"source_caption: source id(s) {unknown[:5]} not in the sources table; add them to data/sources.csv")
    citations = []
    for i in ids:
        c = table[i]
        if c is None or c != c or not str(c).strip():  # missing citation: fall back to the other language, then the id
            other = sources.loc[sources["source_id"].astype(str) == i, f"short_citation_{'en' if lang == 'vi' else 'vi'}"]
            c = other.iloc[0] if len(other) and isinstance(other.iloc[0], str) and other.iloc[0].strip() else i
        citations.append(L.nfc(str(c).strip()))
    merged = _compress(list(dict.fromkeys(citations)))
    key = "source_one" if len(merged) == 1 else "source_many"
    return L.text(key, lang, sources="; ".join(merged))


def _decorations_bbox(ax: "Axes", exclude: object):
    """Callable for annotation coordinates: the Axes' extent with its decorations.

    Legends placed with ``loc="best"`` are left out: such a legend looks at the Axes'
    texts, the caption among them, which would make the two depend on each other.
    Legends at a fixed place (e.g. below the Axes) are included, so the caption goes
    under them.
    """
    from matplotlib.legend import Legend

    def bbox(renderer):
        artists = [
            a for a in ax.get_children()
            if a is not exclude and a.get_visible() and a.get_in_layout()
            and not (isinstance(a, Legend) and getattr(a, "_loc", 0) == 0)
        ]
        box = ax.get_tightbbox(renderer, bbox_extra_artists=artists)
        return box if box is not None else ax.bbox

    return bbox


def add_caption(ax: "Axes", caption: str, *, fontsize: float | None = None) -> "Annotation | None":
    """Write ``caption`` under the Axes (below tick labels, axis label and legend).

    The caption is an annotation of the Axes (gid ``"cchc-caption"``), so constrained
    layout makes room for it and :func:`get_caption` / ``save_figure`` find it.  An
    existing caption on ``ax`` is replaced.  Empty text adds nothing.
    """
    import matplotlib as mpl

    for old in [t for t in ax.texts if t.get_gid() == CAPTION_GID]:
        old.remove()
    if not caption:
        return None
    size = fontsize if fontsize is not None else 0.85 * mpl.rcParams["font.size"]
    ann = ax.annotate(
        L.nfc(caption),
        xy=(0, 0),
        xytext=(0, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=size,
        color="#4D4D4D",
        annotation_clip=False,
        wrap=True,
    )
    ann.xycoords = _decorations_bbox(ax, ann)
    ann.set_gid(CAPTION_GID)
    return ann


def get_caption(ax: "Axes") -> str | None:
    """The caption :func:`add_caption` wrote on ``ax``, or None."""
    for t in ax.texts:
        if t.get_gid() == CAPTION_GID:
            return t.get_text()
    return None


def set_alt_text(ax: "Axes", alt_text: str) -> None:
    """Attach an alt text to ``ax`` (``save_figure`` writes it beside the figure)."""
    ax._cchc_alt_text = L.nfc(alt_text)  # type: ignore[attr-defined]


def get_alt_text(ax: "Axes") -> str | None:
    """The alt text a chart function attached to ``ax``, or None."""
    return getattr(ax, "_cchc_alt_text", None)
