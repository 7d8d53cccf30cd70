"""``cchc notebooks``: the shipped notebooks, and editable copies of them.

    cchc notebooks list                    the notebooks that ship with the package
    cchc notebooks copy DIR                copy them into DIR, to open in JupyterLab
    cchc notebooks copy DIR province_profile --force

The shipped notebooks stay as they are (``cchc report`` and ``cchc main`` run them); a copy is
yours to change.  A file already in DIR is never overwritten unless ``--force`` is given, and
then the previous one is kept as ``NAME.ipynb.bak``.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["copy_notebooks", "register", "run"]


def copy_notebooks(dest: str | os.PathLike, *, names: list[str] | None = None, force: bool = False) -> list[dict]:
    """Copy shipped notebooks into ``dest`` (created if needed).

    Parameters
    ----------
    dest : folder to copy into.
    names : notebook names (``"province_profile"`` or ``"province_profile.ipynb"``); None for all.
    force : replace a different file of the same name, keeping it as ``NAME.ipynb.bak``.

    Returns
    -------
    list of dict
        One per notebook: ``name``, ``path`` (the copy), ``status`` ("copied", "unchanged"
        when an identical file was there, "replaced" with ``--force``), ``backup`` (path or None).

    Raises
    ------
    FileExistsError
        Without ``force``, when a file of the same name with other content is in ``dest``;
        nothing is copied then.
    FileNotFoundError
        A name that is not a shipped notebook (with the closest match).
    """
    from .. import config

    shipped = {p.stem: p for p in config.shipped_notebooks()}
    wanted = list(shipped) if not names else [Path(n).stem if n.endswith(".ipynb") else n for n in names]
    for name in wanted:
        if name not in shipped:
            config.find_notebook(name)  # raises, naming the shipped notebooks and the closest one
    folder = Path(dest).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"cchc notebooks copy: {folder} is a file, not a folder")
    plan = []
    for name in dict.fromkeys(wanted):
        source, target = shipped[name], folder / shipped[name].name
        same = target.is_file() and filecmp.cmp(source, target, shallow=False)
        plan.append((name, source, target, "unchanged" if same else "replaced" if target.exists() else "copied"))
    clashes = [t for _, _, t, status in plan if status == "replaced"]
    if clashes and not force:  # checked for every file first: all are copied or none
        raise FileExistsError(
            f"cchc notebooks copy: {len(clashes)} file(s) already in {folder} with other content: "
            f"{', '.join(p.name for p in clashes)}; they were not touched. Copy elsewhere, or pass --force "
            "to replace them (each previous file is kept as NAME.ipynb.bak)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for name, source, target, status in plan:
        backup = None
        if status != "unchanged":
            data = source.read_bytes()
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                if status == "replaced":
                    backup = target.with_name(target.name + ".bak")
                    os.replace(target, backup)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        done.append({"name": name, "path": target, "status": status, "backup": backup})
    return done


def register(subparsers) -> None:
    from . import plain_text

    p = subparsers.add_parser("notebooks", help="the shipped notebooks: list them, or copy them to edit",
                              description=plain_text(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="notebooks_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="the shipped notebooks").set_defaults(func=run)
    copy = sub.add_parser("copy", help="copy the shipped notebooks into a folder, to open and edit")
    copy.add_argument("dest", metavar="DIR", help="folder to copy into (created if needed)")
    copy.add_argument("names", nargs="*", metavar="NAME", help="only these notebooks (default: all)")
    copy.add_argument("--force", action="store_true",
                      help="replace files of the same name (each previous one kept as NAME.ipynb.bak)")
    copy.set_defaults(func=run)


def run(args) -> int:
    from .. import config

    if args.notebooks_command == "list":
        for path in config.shipped_notebooks():
            print(path.stem)
        print(f"(in {config.notebooks_dir()}; run one with `cchc report NAME`, copy them with "
              "`cchc notebooks copy DIR`)", file=sys.stderr)
        return 0
    try:
        done = copy_notebooks(args.dest, names=args.names or None, force=args.force)
    except (FileExistsError, NotADirectoryError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for row in done:
        extra = f" (previous file kept as {row['backup'].name})" if row["backup"] else ""
        print(f"{row['status']:>9}  {row['path']}{extra}")
    folder = Path(args.dest)
    print(f"\nOpen them in JupyterLab: jupyter lab {folder}", file=sys.stderr)
    return 0
