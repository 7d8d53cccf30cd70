"""``cchc report``: run a parameterised notebook for many provinces (see :mod:`cchc_analysis.report`).

Examples
--------
``cchc report notebooks/province_profile.ipynb --province all -j 2``
``cchc report notebooks/province_profile.ipynb --province "Hà Nội" 49 HCMC -p year 2023``
``cchc report notebooks/province_profile.ipynb --params batch.yaml --dry-run``

Stand-alone: ``python -m cchc_analysis.cli.report NOTEBOOK ...``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

__all__ = ["register", "run", "main", "Interrupts"]

_EPILOG = """\
parameters: values are checked before anything runs, against the notebook's cell tagged
"parameters" (names, types) and by the notebook's own first-cell check (values; the same
check --dry-run runs).  A list in --params, a repeated -p KEY, or several --province
names make one axis of the run matrix (cartesian product).  "province: all" in --params
(or --province all) means every province.

outputs, per run: OUT/NOTEBOOK_STEM/CODE-SLUG/ (plus __NAME-VALUE for every parameter
given a value other than the notebook's default) holding NOTEBOOK_STEM.ipynb,
NOTEBOOK_STEM.html, figures/ and run.json; OUT/index.html links every report.  Completed
runs are skipped unless --force.  A run replaces only a folder a run created; one batch
at a time writes to an OUT.

exit status: 0 all ran, 1 some run failed, 2 bad arguments (nothing ran),
130/143/129 interrupted by Ctrl-C/SIGTERM/SIGHUP (finished reports are kept).
"""


class Interrupts:
    """SIGTERM and SIGHUP behave like Ctrl-C (KeyboardInterrupt) while in this block.

    The first such signal raises KeyboardInterrupt; later ones are ignored while the batch
    cleans up.  ``signal`` is the number of the signal received (None for Ctrl-C / none).
    """

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))

    def __init__(self):
        self.signal: int | None = None
        self._old: dict = {}

    def _handler(self, signum, frame):
        if self.signal is None:
            self.signal = signum
            raise KeyboardInterrupt

    def __enter__(self) -> "Interrupts":
        for sig in self.SIGNALS:
            try:
                self._old[sig] = signal.signal(sig, self._handler)
            except (ValueError, OSError):  # not the main thread
                pass
        return self

    def __exit__(self, *exc) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)

    def exit_code(self) -> int:
        return 128 + int(self.signal or signal.SIGINT)

    def name(self) -> str:
        return signal.Signals(self.signal).name if self.signal else "Ctrl-C"


def register(subparsers) -> None:
    """Add the ``report`` sub-command to an ``argparse`` sub-parsers object."""
    p = subparsers.add_parser(
        "report",
        help="run a notebook for many provinces: executed notebooks, HTML reports, index.html",
        description="Run a parameterised notebook once per province (and per value of any listed "
        "parameter), in parallel, writing executed notebooks, HTML reports without code, "
        "figures and an index.html.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("notebook", type=Path, help="notebook with a 'parameters' cell (.ipynb, or jupytext .py), or a shipped notebook's name")
    p.add_argument("--province", nargs="+", metavar="NAME", default=None,
                   help="'all', or province names/codes/abbreviations (any spelling the registry knows)")
    p.add_argument("--boundaries", choices=("legacy", "2025"), default=None,
                   help="province set: legacy 63 (default) or the 34 units of 2025; passed to the notebook's "
                        "'boundaries' parameter (a notebook without one is refused for 2025)")
    p.add_argument("--params", type=Path, metavar="FILE.yaml", help="YAML mapping of parameter: value or [values]")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("KEY", "VALUE"),
                   help="set a parameter (repeat a KEY for several values)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="parallel workers (default: min(2, CPUs))")
    p.add_argument("--format", default="html", metavar="FORMATS",
                   help="comma-separated: html (the default: executed notebook + HTML report), docx (Word), "
                        "pdf (A4, headless Chromium), or ipynb alone (executed notebook only); "
                        "e.g. --format html,docx,pdf")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="output root (default: reports/ in the working directory)")
    p.add_argument("--template", default=None, metavar="PATH",
                   help="run folder under --out, e.g. '{notebook_stem}/{province_code}-{province_slug}__{params}'; "
                        "placeholders: notebook_stem, province_code, province_slug, province_name, index, params "
                        "(the non-default parameters) and any parameter name; it must stay inside --out")
    p.add_argument("--timeout", type=float, default=None, metavar="S", help="seconds a run may take, kernel start included (default: no limit)")
    p.add_argument("--force", action="store_true", help="re-run reports that are already complete")
    p.add_argument("--dry-run", action="store_true", help="list the runs and exit")
    p.add_argument("--no-prewarm", dest="prewarm", action="store_false",
                   help="start every kernel from scratch (no zygote with imports done)")
    p.add_argument("--warm-import", action="append", default=[], metavar="MODULE",
                   help="also import MODULE in the kernel zygote (repeatable)")
    p.add_argument("--no-progress", dest="progress", action="store_const", const=False, default=None,
                   help="no progress bar")
    p.set_defaults(func=run)


def _collect_params(args) -> dict:
    from cchc_analysis.report import load_params_file

    params = load_params_file(args.params) if args.params else {}
    cli: dict[str, list] = {}
    for key, value in args.parameter:
        cli.setdefault(key, []).append(value)
    for key, values in cli.items():
        params[key] = values[0] if len(values) == 1 else values
    if args.province is not None:
        params["province"] = args.province
    return params


FORMATS = ("html", "docx", "pdf", "ipynb")


def parse_formats(text: str) -> tuple[bool, tuple[str, ...]]:
    """``--format`` -> (html wanted, documents wanted); ValueError naming an unknown format."""
    import difflib

    wanted = [f.strip().lower().lstrip(".") for f in str(text).split(",") if f.strip()]
    for f in wanted:
        if f not in FORMATS:
            close = difflib.get_close_matches(f, FORMATS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"--format: unknown format {f!r}{hint} (choose from {', '.join(FORMATS)}, comma-separated)")
    if not wanted:
        raise ValueError("--format: give at least one of " + ", ".join(FORMATS))
    if "ipynb" in wanted and len(wanted) > 1:
        raise ValueError("--format ipynb means the executed notebook only; leave it out to get html, docx or pdf too")
    return "html" in wanted, tuple(f for f in wanted if f in ("docx", "pdf"))


def run(args) -> int:
    """Run the ``report`` sub-command; returns the exit status."""
    from cchc_analysis import config, report
    from cchc_analysis.provinces import UnknownProvinceError

    def fail(msg: str) -> int:
        print(f"cchc report: error: {msg}", file=sys.stderr)
        return 2

    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be at least 1")
    if args.timeout is not None and args.timeout <= 0:
        return fail("--timeout must be positive")
    try:
        want_html, documents = parse_formats(args.format)
    except ValueError as exc:
        return fail(str(exc))
    if "pdf" in documents:
        from cchc_analysis.report.documents import find_chromium

        if find_chromium() is None:
            return fail("--format pdf needs headless Chromium (Debian: apt-get install chromium; or set CCHC_CHROMIUM)")
    if "docx" in documents:
        try:
            import pypandoc  # noqa: F401
        except ImportError:
            return fail("--format docx needs pandoc: pip install 'cchc-analysis[documents]' (pypandoc_binary)")
    try:  # a path, or the name of a shipped notebook
        notebook = config.find_notebook(args.notebook)
    except FileNotFoundError as exc:
        return fail(str(exc))
    try:
        params = _collect_params(args)
    except report.ParameterError as exc:
        return fail(str(exc))
    warm = tuple(dict.fromkeys([*report.DEFAULT_WARM_IMPORTS, *args.warm_import]))
    with Interrupts() as interrupts:
        zygote = None
        try:
            if args.prewarm and not args.dry_run and hasattr(os, "fork"):  # imports while the batch is planned
                zygote = report.KernelZygote(notebook.resolve().parent, warm)
            try:
                batch = report.plan_batch(
                    notebook, params, out=args.out, template=args.template,
                    boundaries=args.boundaries, force=args.force, html=want_html, documents=documents,
                )
            except (report.ParameterError, UnknownProvinceError, FileNotFoundError) as exc:
                return fail(str(exc))
            if args.dry_run:
                print(report.format_plan(batch))
                return 0
            lock = report.batch_lock(batch.out)
            try:
                lock.__enter__()
            except report.BatchLockedError as exc:
                return fail(str(exc))
            except OSError as exc:
                return fail(f"--out {batch.out}: cannot write there ({exc.strerror or exc})")
            try:
                if not batch.pending:
                    print(report.format_plan(batch))
                    print("nothing to run (use --force to re-run complete reports)")
                    report.write_index(batch.out)
                    return 0
                try:
                    result = report.run_batch(
                        batch, jobs=args.jobs, timeout=args.timeout, html=want_html, documents=documents,
                        prewarm=args.prewarm, warm_imports=warm, progress=args.progress, zygote=zygote,
                    )
                except KeyboardInterrupt:
                    report.write_index(batch.out)
                    print(f"cchc report: interrupted ({interrupts.name()}); finished reports are kept and "
                          "skipped when the batch is run again", file=sys.stderr)
                    return interrupts.exit_code()
            finally:
                lock.__exit__(None, None, None)
        finally:
            if zygote is not None:
                zygote.close()
    print(report.format_summary(result))
    if result.failed:
        print(f"{len(result.failed)} of {len(result.results)} runs failed", file=sys.stderr)
    return result.exit_code


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m cchc_analysis.cli.report NOTEBOOK ...``."""
    parser = argparse.ArgumentParser(prog="cchc")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "report":
        argv = ["report", *argv]
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C before the batch started
        print("cchc report: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
