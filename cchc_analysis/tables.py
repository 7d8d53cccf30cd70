"""Tables in notebooks: sortable and searchable in JupyterLab, plain HTML in batch reports.

:func:`show_table` is what the notebooks call.  In a notebook open in JupyterLab (or
Jupyter Notebook) it shows an interactive table (`itables <https://mwouts.github.io/itables/>`_,
DataTables underneath, working offline): click a header to sort, type to filter rows,
page through long tables.  Numbers are shown with the decimal mark of ``lang`` but sorted
as numbers.  In batch output (papermill, ``cchc report``, ``jupyter nbconvert --execute``)
the same call writes a static HTML table with every row, so an HTML report needs no
JavaScript and prints as it reads.

Which of the two is chosen: the ``interactive`` argument when given; else the environment
variable ``CCHC_TABLES`` (``interactive`` or ``static``); else interactive exactly when the
kernel was started by a Jupyter server for a notebook (the server sets ``JPY_SESSION_NAME``
in the kernel's environment; papermill and nbconvert do not).
"""

from __future__ import annotations

import html
import math
import os
import re
from typing import Any

__all__ = ["show_table", "static_table_html", "interactive_table_html", "interactive_default", "format_cell"]

ENV_VAR = "CCHC_TABLES"

#: DataTables' interface words in Vietnamese (own wording); English uses DataTables' defaults.
_DT_LANGUAGE_VI = {
    "search": "Tìm:",
    "lengthMenu": "Hiện _MENU_ dòng",
    "info": "Dòng _START_–_END_ trên _TOTAL_",
    "infoEmpty": "Không có dòng nào",
    "infoFiltered": "(lọc từ _MAX_ dòng)",
    "zeroRecords": "Không có dòng nào khớp",
    "emptyTable": "Bảng trống",
    "paginate": {"first": "«", "last": "»", "next": "›", "previous": "‹"},
}

_initialised = False  # the DataTables bundle has been sent to this kernel's notebook


def interactive_default() -> bool:
    """True when tables should be interactive here (see the module docstring)."""
    choice = os.environ.get(ENV_VAR, "").strip().lower()
    if choice in ("interactive", "static"):
        return choice == "interactive"
    if choice:
        raise ValueError(f"environment variable {ENV_VAR}={choice!r}: use 'interactive' or 'static' (or unset it)")
    if not os.environ.get("JPY_SESSION_NAME"):
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _decimals(float_format: str) -> int:
    found = re.search(r"\.(\d+)f", float_format)
    if not found:
        raise ValueError(f"float_format={float_format!r}: give a format such as '{{:.2f}}' (fixed decimals)")
    return int(found.group(1))


def format_cell(value: Any, *, lang: str = "vi", float_format: str = "{:.2f}") -> str:
    """One cell as text: floats with the decimal mark of ``lang``, missing values empty.

    >>> format_cell(84.6, lang="vi"), format_cell(84.6, lang="en"), format_cell(None)
    ('84,60', '84.60', '')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        text = float_format.format(value)
        return text.replace(".", ",") if lang == "vi" else text
    text = str(value)
    return "" if text in ("<NA>", "nan", "NaT") else text


def static_table_html(frame, *, lang: str = "vi", float_format: str = "{:.2f}", max_rows: int | None = 70,
                      caption: str | None = None) -> str:
    """The table as plain HTML (no index column, no JavaScript), at most ``max_rows`` rows.

    When rows are left out, a last row says how many ("… 12 more rows" / "… còn 12 dòng").
    """
    from .labels import check_lang

    check_lang(lang)
    shown = frame if max_rows is None else frame.head(max_rows)
    shown = shown.map(lambda v: format_cell(v, lang=lang, float_format=float_format))
    out = shown.to_html(index=False, escape=True, na_rep="", border=1, classes="cchc-table")
    if caption:
        out = out.replace(">", f">\n  <caption>{html.escape(caption)}</caption>", 1)
    hidden = len(frame) - len(shown)
    if hidden > 0:
        more = f"… còn {hidden} dòng" if lang == "vi" else f"… {hidden} more rows"
        out = out.replace("</tbody>", f'    <tr><td colspan="{max(len(frame.columns), 1)}">{more}</td></tr>\n  </tbody>', 1)
    return out


def _number_renderer(decimals: int, lang: str):
    from itables import JavascriptFunction

    locale = "vi-VN" if lang == "vi" else "en-US"
    # display text in the reader's convention; sorting and searching keep the number
    return JavascriptFunction(
        "function (data, type) { if (type !== 'display' || data === null || data === undefined) return data; "
        "if (Number.isNaN(Number(data))) return ''; "
        f"return Number(data).toLocaleString('{locale}', {{minimumFractionDigits: {decimals}, "
        f"maximumFractionDigits: {decimals}, useGrouping: false}}); }}"
    )


def interactive_table_html(frame, *, lang: str = "vi", float_format: str = "{:.2f}", page_length: int = 10,
                           caption: str | None = None) -> str:
    """The table as an itables (DataTables) HTML fragment: sortable, searchable, paged.

    Needs the DataTables bundle in the page, which :func:`show_table` sends once per kernel.
    """
    import pandas as pd
    from itables import to_html_datatable

    from .labels import check_lang

    check_lang(lang)
    data = frame.reset_index(drop=True)
    ints = []
    for i, col in enumerate(data.columns):  # missing values as empty cells, never "<NA>" or "None"
        series = data[col]
        if not series.isna().any() or pd.api.types.is_float_dtype(series):
            continue
        if pd.api.types.is_integer_dtype(series):  # nullable ints (ranks, years): floats shown without decimals
            data[col] = series.astype("float64")
            ints.append(i)
        else:
            data[col] = series.astype(object).where(series.notna(), "")
    floats = [i for i, c in enumerate(data.columns) if pd.api.types.is_float_dtype(data[c]) and i not in ints]
    column_defs = [{"targets": t, "render": _number_renderer(d, lang)}
                   for t, d in ((floats, _decimals(float_format)), (ints, 0)) if t]
    options: dict[str, Any] = {
        "connected": False, "showIndex": False, "pageLength": page_length, "classes": "display compact",
        "columnDefs": column_defs, "maxBytes": 0, "lengthMenu": [10, 25, 50, 100],
    }
    # a table that fits on one page is shown without search box and pager (itables' default);
    # its headers still sort
    if lang == "vi":
        options["language"] = _DT_LANGUAGE_VI
    return to_html_datatable(data, caption=caption, **options)


def show_table(frame, *, lang: str = "vi", interactive: bool | None = None, float_format: str = "{:.2f}",
               max_rows: int | None = 70, page_length: int = 10, caption: str | None = None) -> None:
    """Display ``frame`` in a notebook: interactive in JupyterLab, static HTML in batch output.

    Parameters
    ----------
    frame : DataFrame to show (its index is not shown).
    lang : "vi" (decimal comma) or "en" (decimal point).
    interactive : True (sortable, searchable itables table), False (static HTML table) or
        None: decided by :func:`interactive_default` (JupyterLab: interactive; papermill,
        nbconvert and ``cchc report``: static).
    float_format : how float columns are written, e.g. ``"{:.2f}"`` (fixed decimals).
    max_rows : rows in the static table (None: all; a last row says how many are left out);
        the interactive table always holds every row.
    page_length : rows per page of the interactive table.
    caption : optional caption above the table.

    Returns
    -------
    None (the table is displayed).

    Examples
    --------
    >>> show_table(cchc.coverage(), lang="en")          # doctest: +SKIP
    """
    from IPython.display import HTML, display

    if interactive is None:
        interactive = interactive_default()
    if not interactive:
        display(HTML(static_table_html(frame, lang=lang, float_format=float_format, max_rows=max_rows, caption=caption)))
        return
    global _initialised
    if not _initialised:
        from itables import init_notebook_mode

        init_notebook_mode(all_interactive=False, connected=False)  # offline: the bundle goes into the notebook
        _initialised = True
    display(HTML(interactive_table_html(frame, lang=lang, float_format=float_format, page_length=page_length,
                                        caption=caption)))
