"""Save figures for briefs: PNG, SVG and PDF at brief sizes, reproducibly and atomically.

:func:`save_figure` writes, for a figure called ``name``:

* ``name.png`` at 300 dpi (the dpi is recorded in the file, so Word places it at the
  intended physical size), ``name.svg`` with text kept as ``<text>`` elements, and
  ``name.pdf`` with embedded TrueType (Type 42) fonts, so text stays selectable and
  searchable;
* ``name.csv``: the data behind the figure, when ``data`` is given (UTF-8 with a byte
  order mark so that Excel shows Vietnamese correctly);
* ``name.txt``: the caption and the alt text (for Word's "alt text" box), as
  ``caption: ...`` and ``alt_text: ...`` lines; further lines of a caption are indented
  by two spaces.

Files are byte-for-byte reproducible: no creation dates or software versions in the
metadata, a fixed SVG hash salt (the ids of clip paths and glyphs), and the same
rendering settings every time.  Each file is written to a temporary file in the same
folder and moved into place with :func:`os.replace`, so an interrupted save leaves
either the old file or the new one, never half a file.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import style as S

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "save_figure"]

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

# Metadata that would differ between runs or machines is removed.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


def _as_figure(fig: Any) -> "Figure":
    from matplotlib.figure import Figure, SubFigure

    if isinstance(fig, Figure):
        return fig
    if isinstance(fig, SubFigure):
        return fig.figure  # type: ignore[return-value]
    try:
        import numpy as np

        if isinstance(fig, np.ndarray) and fig.size:
            fig = fig.flat[0]
    except ImportError:  # pragma: no cover
        pass
    figure = getattr(fig, "figure", None)
    if isinstance(figure, Figure):
        return figure
    raise TypeError(f"save_figure: `fig` must be a matplotlib Figure or Axes (or an array of Axes), got {type(fig).__name__}")


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"save_figure: `name` must be a non-empty file stem such as 'pci_trend_quang_nam', got {name!r}")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise ValueError(f"save_figure: `name` {name!r} must be a plain file stem, without folders (use out_dir=) or a leading dot")
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in FORMATS + ("csv", "txt"):
        raise ValueError(f"save_figure: `name` {name!r} should not carry an extension; formats= picks them")
    return name


def _atomic_write(path: Path, write: Callable[[Any], None]) -> Path:
    """Write through ``write(file_object)`` to a temporary file beside ``path``, then replace."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "xb") as fh:  # "x": never clobber; respects the umask, unlike mkstemp
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    return path


def _freeze_layout(figure: "Figure") -> None:
    """Run the layout engine once, round the Axes positions, then switch the engine off.

    Constrained layout is not exactly idempotent: each draw moves the Axes by ~1e-14 of
    the figure.  That is invisible, but SVG clip-path ids hash the exact clip box, so two
    saves of one figure would differ.  Laying out once per save, rounding positions to
    1e-9 of the figure and drawing every format from that frozen layout gives the same
    bytes each time (and the same layout in PNG, SVG and PDF).
    """
    import numpy as np
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = figure.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        return
    figure.draw_without_rendering()
    for ax in figure.get_axes():
        if ax.get_axes_locator() is None:  # inset Axes follow their parent
            ax.set_position(np.round(ax.get_position(original=False).bounds, 9).tolist(), which="both")
    figure.set_layout_engine("none")


def _field(key: str, value: str | None) -> str:
    """``key: value`` with continuation lines indented by two spaces (readable, and
    parseable as YAML)."""
    lines = (value or "").splitlines() or [""]
    return f"{key}: {lines[0]}\n" + "".join(f"  {line}\n" for line in lines[1:])


def _captions(fig: "Figure") -> tuple[str | None, str | None]:
    caps, alts = [], []
    for ax in fig.axes:
        c, a = S.get_caption(ax), S.get_alt_text(ax)
        if c and c not in caps:
            caps.append(c)
        if a and a not in alts:
            alts.append(a)
    return ("\n".join(caps) or None), ("\n".join(alts) or None)


def save_figure(
    fig: "Figure | Any",
    name: str,
    *,
    formats: Iterable[str] = FORMATS,
    width: str | float = "single",
    height: float | None = None,
    out_dir: str | os.PathLike | None = None,
    data: "pd.DataFrame | pd.Series | None" = None,
    caption: str | None = None,
    alt_text: str | None = None,
    dpi: int = 300,
) -> dict[str, Path]:
    """Save ``fig`` as ``name.png``, ``name.svg`` and ``name.pdf`` at a brief size.

    Parameters
    ----------
    fig : a Figure, or an Axes (or array of Axes, as returned by the plot functions).
    name : file stem, without folder or extension.
    formats : any of "png", "svg", "pdf".
    width : "single" (8.5 cm), "double" (17 cm) or centimetres.
    height : centimetres; None keeps the figure's aspect ratio.
    out_dir : folder (created if needed); default ``cchc_analysis.config.FIGURES_DIR``.
    data : the data behind the figure, written to ``name.csv`` (UTF-8 with BOM, no index).
    caption, alt_text : written to ``name.txt``; when None, the caption and alt text the
        plot functions attached to the figure's Axes are used.
    dpi : resolution of the PNG.

    Returns
    -------
    dict
        format -> path, for every file written ("png", "svg", "pdf", "csv", "txt").

    Notes
    -----
    The figure is drawn at the brief size (a figure without a layout engine gets
    constrained layout for that), then its size and layout engine are restored.
    Saving the same figure twice gives byte-identical files.
    """
    import matplotlib as mpl

    figure = _as_figure(fig)
    name = _check_name(name)
    formats = tuple(dict.fromkeys(str(f).lower().lstrip(".") for f in formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"save_figure: formats must be chosen from {list(FORMATS)}, got {list(formats) or 'nothing'}")
    if out_dir is None:
        from . import config

        out_dir = config.FIGURES_DIR
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)

    old_size = tuple(figure.get_size_inches())
    w_in = S.figure_size(width)[0]
    h_in = (float(height) / 2.54) if height is not None else w_in * old_size[1] / old_size[0]
    S.figure_size(width, h_in * 2.54)  # validates height
    old_engine = figure.get_layout_engine()
    written: dict[str, Path] = {}
    try:
        if old_engine is None:
            figure.set_layout_engine("constrained")
        figure.set_size_inches(w_in, h_in)
        with mpl.rc_context(S.EXPORT_RC):
            _freeze_layout(figure)
            for fmt in formats:
                meta = dict(_METADATA[fmt])
                if fmt in ("svg", "pdf"):
                    meta["Title"] = name
                kwargs: dict[str, Any] = {"format": fmt, "metadata": meta, "facecolor": "white"}
                if fmt == "png":
                    kwargs["dpi"] = dpi
                path = folder / f"{name}.{fmt}"
                written[fmt] = _atomic_write(path, lambda fh, kw=kwargs: figure.savefig(fh, **kw))
    finally:
        figure.set_size_inches(*old_size)
        figure.set_layout_engine(old_engine if old_engine is not None else "none")

    if data is not None:
        import pandas as pd

        frame = data.to_frame() if isinstance(data, pd.Series) else data
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"save_figure: `data` must be a DataFrame or Series, got {type(data).__name__}")
        payload = frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
        written["csv"] = _atomic_write(folder / f"{name}.csv", lambda fh: fh.write(payload))

    auto_caption, auto_alt = _captions(figure)
    cap = caption if caption is not None else auto_caption
    alt = alt_text if alt_text is not None else auto_alt
    body = (_field("caption", cap) + _field("alt_text", alt)).encode("utf-8")
    written["txt"] = _atomic_write(folder / f"{name}.txt", lambda fh: fh.write(body))
    return written
