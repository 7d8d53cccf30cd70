"""The ``cchc`` command.

    cchc data coverage            how many provinces have values, per index and year
    cchc data build               rebuild data/ from ../shared/reference-data
    cchc data provinces           the province registry (legacy or 2025 units)
    cchc province NAME            resolve a name; show its codes and 2025 successor
    cchc extract PLAN...          targets from plan documents, as a CSV to review
    cchc report NOTEBOOK ...      run a parameterised notebook for many provinces
    cchc main                     the main job: every report on the bundled data
    cchc notebooks copy DIR       editable copies of the shipped notebooks

Also `python -m cchc_analysis ...`.  Outputs go under the working directory (or --out).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Sub-commands that live in their own modules, each with register(subparsers).
_PLUGINS = ("extract", "report", "main_job", "notebooks")


def plain_text(doc: str | None) -> str:
    """A docstring as plain text for ``--help``: no reStructuredText roles or literals.

    >>> plain_text("Runs :mod:`cchc_analysis.report` on ``reports/`` (see `cchc main`).")
    'Runs cchc_analysis.report on reports/ (see cchc main).'
    """
    import re

    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"\1", doc or "")
    text = re.sub(r"``([^`]+)``", r"\1", text)
    return re.sub(r"`([^`]+)`", r"\1", text)


def _coverage(args: argparse.Namespace) -> int:
    from ..indicators import coverage, load_indicators

    data = load_indicators(args.index or None)
    table = coverage(data, component=args.component)
    if args.csv:
        table.to_csv(sys.stdout, index=False)
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.width", 120):
            print(table.to_string(index=False))
    return 0


def _build(args: argparse.Namespace) -> int:
    from ..build import build_all

    build_all(args.reference or None, verbose=True)
    return 0


def _provinces(args: argparse.Namespace) -> int:
    from ..provinces import province_table

    table = province_table(boundaries=args.boundaries, include_ha_tay=args.boundaries == "legacy")
    table.to_csv(sys.stdout, index=False)
    return 0


def _province(args: argparse.Namespace) -> int:
    from ..provinces import resolve_province

    unit = resolve_province(args.name, boundaries=args.boundaries)
    print(f"{unit.name} ({unit.full_name}), code {unit.code}, {unit.boundaries} boundaries")
    print(f"  English: {unit.name_en}; ASCII: {unit.name_ascii}; region: {unit.region}")
    if unit.boundaries == "legacy":
        print("  " + province_history(unit))
    else:
        from ..provinces import members_2025

        print(f"  since 1 July 2025, formed from: {', '.join(m.name for m in members_2025(unit))}")
    return 0


def province_history(unit) -> str:
    """One line: a legacy unit's PAPI code and what became of it, with the registry's dates.

    >>> from cchc_analysis.provinces import resolve_province
    >>> province_history(resolve_province("Hà Tây"))
    'no PAPI code; merged into Hà Nội on 1 August 2008 (last day as a province: 31 July 2008)'
    """
    import datetime as dt

    from ..provinces import members_2025, resolve_province, successor

    def day(d: dt.date) -> str:
        return f"{d.day} {d:%B %Y}"

    papi = f"PAPI code: {unit.papi_code}" if unit.papi_code else "no PAPI code"
    until = dt.date.fromisoformat(unit.valid_to) if unit.valid_to else None
    after = successor(unit)
    if until is not None and until < dt.date(2025, 6, 30):
        into = resolve_province(after.code, boundaries="legacy") if after.code else after
        return (f"{papi}; merged into {into.name} on {day(until + dt.timedelta(days=1))} "
                f"(last day as a province: {day(until)})")
    members = [m.name for m in members_2025(after)]
    if members == [unit.name]:
        return f"{papi}; since 1 July 2025 unchanged, one of the 34 units"
    return f"{papi}; since 1 July 2025 part of {after.name}, formed from {' and '.join(members)}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description=plain_text(__doc__),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    from .. import __version__

    parser.add_argument("--version", action="version", version=f"cchc-analysis {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="read your own tables from DIR first (layout of the bundled data; sets CCHC_DATA_DIR)")

    data = sub.add_parser("data", help="the bundled indicator data")
    data_sub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    cov = data_sub.add_parser("coverage", help="provinces with values per index and year")
    cov.add_argument("index", nargs="*", help="par, sipas, papi, pci, dti (default: all)")
    cov.add_argument("--component", default="overall", help="component to count (default: overall)")
    cov.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    cov.set_defaults(func=_coverage)
    build = data_sub.add_parser("build", help="rebuild data/ from the original files")
    build.add_argument("--reference", help="folder of original files (default: ../shared/reference-data)")
    build.set_defaults(func=_build)
    prov = data_sub.add_parser("provinces", help="print the province registry as CSV")
    prov.add_argument("--boundaries", choices=("legacy", "2025"), default="legacy")
    prov.set_defaults(func=_provinces)

    one = sub.add_parser("province", help="resolve a province name")
    one.add_argument("name")
    one.add_argument("--boundaries", choices=("legacy", "2025"), default="legacy")
    one.set_defaults(func=_province)

    for name in _PLUGINS:
        try:
            module = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from ..provinces import UnknownProvinceError
    from ..schema import SchemaError

    if args.data_dir:  # in the environment, so that notebook kernels read the same tables
        from ..config import DATA_ENV

        folder = os.path.abspath(os.path.expanduser(args.data_dir))
        if not os.path.isdir(folder):
            parser.error(f"--data-dir {args.data_dir}: not a folder")
        os.environ[DATA_ENV] = folder
    try:
        return int(args.func(args) or 0)
    except (UnknownProvinceError, SchemaError, FileNotFoundError, PermissionError, ValueError) as exc:
        print(f"cchc: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cchc: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`cchc data provinces | head`): stop quietly, as Unix tools do;
        # point stdout at devnull so the interpreter's final flush does not raise again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
