"""Every path the package uses, in one place, resolved when it is asked for.

The same code runs from a clone (``pip install -e .``, what ``make install`` does) and from an
installed wheel.  The bundled tables (``data/`` in the repository) and the shipped notebooks
(``notebooks/``) are packaged as ``cchc_analysis._data`` and ``cchc_analysis._notebooks`` and found
with :mod:`importlib.resources`, so both layouts give the right folder.

Data folder, in order of precedence:

1. a ``data_dir=`` argument, where a function takes one (:func:`cchc_analysis.checksums.write_checksums`,
   :func:`cchc_analysis.build.build_all`);
2. your own folder: :func:`set_data_dir` (``cchc.set_data_dir("my-data")``, ``cchc --data-dir DIR``),
   which sets the environment variable ``CCHC_DATA_DIR``, so that notebook kernels started from
   the same process (``cchc report``, ``cchc main``) read it too;
3. the bundled tables.

Your folder has the layout of ``data/`` and may hold only some tables: each file it holds
(``indicators/par.csv``, ``targets/`` ...) replaces the bundled file of the same name; the others
come from the bundled data.  Its ``sources.csv``, if any, adds to the bundled sources (a row of
yours wins on the same ``source_id``), so every ``source_id`` still resolves.

Outputs go under the current working directory (``figures/``, ``reports/``) unless a function or
command is given another folder (``out_dir=``, ``--out``); never into the installed package.

``CCHC_SHARED_DIR`` names the folder of original reference files, by default ``../shared``
beside a clone (only the data build and some tests read it).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = [
    "DATA_ENV",
    "SHARED_ENV",
    "bundled_data_dir",
    "data_dir",
    "data_path",
    "figures_dir",
    "find_notebook",
    "is_source_checkout",
    "notebooks_dir",
    "output_data_dir",
    "reports_dir",
    "set_data_dir",
    "shared_dir",
    "shipped_notebooks",
    "user_data_dir",
]

DATA_ENV = "CCHC_DATA_DIR"
SHARED_ENV = "CCHC_SHARED_DIR"

#: The folder holding the ``cchc_analysis`` package: the repository root in a clone,
#: ``site-packages`` in an installed wheel.
PROJ_ROOT = Path(__file__).resolve().parents[1]


def _resource_dir(package: str, folder: str) -> Path:
    """A shipped folder as a file-system path: the packaged copy, else the clone's folder.

    The fallback serves a clone used without installing it (``PYTHONPATH=.``), where the
    ``package -> folder`` mapping of ``setup.py`` is not in effect.
    """
    try:
        path = Path(str(resources.files(package)))
    except ModuleNotFoundError:
        path = PROJ_ROOT / folder
    if not path.is_dir():
        raise FileNotFoundError(
            f"the package's {folder}/ folder is missing (looked in {path}); reinstall cchc-analysis "
            "(`pip install --force-reinstall cchc-analysis`, or `make install` in a clone)"
        )
    return path


def bundled_data_dir() -> Path:
    """The tables that ship with the package (``data/`` in the repository)."""
    return _resource_dir("cchc_analysis._data", "data")


def notebooks_dir() -> Path:
    """The notebooks that ship with the package (``notebooks/`` in the repository).

    Run them with ``cchc report``; copy them to edit (``cchc notebooks copy DIR``).
    """
    return _resource_dir("cchc_analysis._notebooks", "notebooks")


def shipped_notebooks() -> list[Path]:
    """The shipped notebooks (``.ipynb``), sorted by name."""
    return sorted(notebooks_dir().glob("*.ipynb"))


def find_notebook(notebook: str | os.PathLike) -> Path:
    """A notebook file: ``notebook`` itself when it exists, else the shipped notebook of that name.

    A bare name (``"province_profile"`` or ``"province_profile.ipynb"``) finds the shipped
    copy, so ``cchc report province_profile`` works from any folder.  A path with a folder
    must exist.

    Raises
    ------
    FileNotFoundError
        Naming the shipped notebooks and the closest match.
    """
    path = Path(notebook)
    if path.is_file():
        return path
    shipped = {p.stem: p for p in shipped_notebooks()}
    if len(path.parts) == 1 and path.suffix in ("", ".ipynb") and path.stem in shipped:
        return shipped[path.stem]
    import difflib

    close = difflib.get_close_matches(path.stem, list(shipped), n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise FileNotFoundError(
        f"notebook not found: {path}.{hint} The shipped notebooks run by name ({', '.join(shipped)}), "
        "e.g. `cchc report province_profile`; `cchc notebooks copy DIR` gives copies to edit."
    )


def user_data_dir() -> Path | None:
    """Your own data folder (``CCHC_DATA_DIR``, set by :func:`set_data_dir`), or None."""
    value = os.environ.get(DATA_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def set_data_dir(path: str | os.PathLike | None) -> Path | None:
    """Read tables from your own folder first (None: the bundled tables only).

    The folder has the layout of the bundled ``data/`` and may hold only the tables you have
    newer versions of, e.g. ``indicators/par.csv``; see :mod:`cchc_analysis.config` for how
    files combine.  Sets ``CCHC_DATA_DIR`` (so notebook kernels started later inherit it) and
    clears the loaders' caches.  Returns the folder, resolved.

    Raises
    ------
    FileNotFoundError
        The folder does not exist, or holds none of the bundled tables' files.
    """
    if path is None:
        os.environ.pop(DATA_ENV, None)
        _clear_caches()
        return None
    folder = Path(path).expanduser().resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"set_data_dir: {folder} is not a folder; create it and put your tables in it "
                                "with the layout of the bundled data (indicators/par.csv, sources.csv ...)")
    known = _known_files()
    if known and not any((folder / name).is_file() for name in known):
        raise FileNotFoundError(
            f"set_data_dir: {folder} holds none of the tables the toolkit reads; expected some of "
            f"{', '.join(sorted(known)[:6])} ... with the layout of the bundled data ({bundled_data_dir()})"
        )
    os.environ[DATA_ENV] = str(folder)
    _clear_caches()
    return folder


def data_dir() -> Path:
    """The data folder in effect: yours (:func:`user_data_dir`) if set, else the bundled one."""
    return user_data_dir() or bundled_data_dir()


def data_path(name: str) -> Path:
    """Where table ``name`` (``"indicators/par.csv"``, ``"sources.csv"``) is read from.

    Your folder's file when it has one, else the bundled file (which may not exist: the
    caller's error names it).
    """
    user = user_data_dir()
    if user is not None and (user / name).is_file():
        return user / name
    return bundled_data_dir() / name


def is_source_checkout() -> bool:
    """True when the package runs from a clone (editable install), not from an installed wheel."""
    return (PROJ_ROOT / "pyproject.toml").is_file() and bundled_data_dir() == (PROJ_ROOT / "data").resolve()


def output_data_dir() -> Path:
    """Where a data build writes: your folder, else ``data/`` of a clone.

    Raises ``PermissionError`` in an installed package without a folder of yours: the
    installed tables are never rewritten.
    """
    user = user_data_dir()
    if user is not None:
        return user
    if is_source_checkout():
        return bundled_data_dir()
    raise PermissionError(
        f"the bundled tables of an installed package are not rebuilt in place ({bundled_data_dir()}); "
        f"name a folder of yours: set {DATA_ENV}=DIR (or `cchc --data-dir DIR data build`)"
    )


def figures_dir() -> Path:
    """Default folder of :func:`cchc_analysis.save_figure`: ``figures/`` in the working directory."""
    return Path.cwd() / "figures"


def reports_dir() -> Path:
    """Default output folder of ``cchc report`` and ``cchc main``: ``reports/`` in the working directory."""
    return Path.cwd() / "reports"


def shared_dir() -> Path:
    """Folder of original reference files: ``CCHC_SHARED_DIR``, else ``../shared`` beside the clone."""
    value = os.environ.get(SHARED_ENV, "").strip()
    return Path(value).expanduser() if value else PROJ_ROOT.parent / "shared"


def _known_files() -> set[str]:
    bundled = bundled_data_dir()
    return {p.relative_to(bundled).as_posix() for p in bundled.rglob("*.csv")}


def _clear_caches() -> None:
    """Forget tables read from the previous folder (only modules already imported)."""
    import sys

    for module, names in (("cchc_analysis.indicators", ("_read_index", "_read_table")),
                          ("cchc_analysis.checksums", ("_recorded",))):
        loaded = sys.modules.get(module)
        for name in names:
            cached = getattr(loaded, name, None)
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()


# Upper-case names kept for code written against the first layout; each is computed when
# read, so a change of directory or of CCHC_DATA_DIR is seen.
_COMPUTED = {
    "DATA_DIR": data_dir,
    "BUNDLED_DATA_DIR": bundled_data_dir,
    "NOTEBOOKS_DIR": notebooks_dir,
    "FIGURES_DIR": figures_dir,
    "REPORTS_DIR": reports_dir,
    "SHARED_DIR": shared_dir,
    "REFERENCE_DIR": lambda: shared_dir() / "reference-data",
    "PLANS_DIR": lambda: shared_dir() / "plans",
}


def __getattr__(name: str):
    if name in _COMPUTED:
        return _COMPUTED[name]()
    raise AttributeError(f"module 'cchc_analysis.config' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_COMPUTED])
