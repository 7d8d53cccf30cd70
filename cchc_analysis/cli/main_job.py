"""``cchc main``: the toolkit's main job on the bundled data.

Runs, through the batch runner (:mod:`cchc_analysis.report`):

* ``province_profile`` for every province (63 reports),
* ``target_gaps`` for every province with curated plan targets,
* ``index_trends`` for PCI, PAPI (8-dimension design) and DTI,
* ``cross_province`` for 2019 (PCI × PAPI) and 2023 (DTI × PAPI),
* ``targets_across_provinces`` for PAR Index, SIPAS and PCI (every province's plans),

then writes ``reports/index.html`` linking every report.  Completed reports are skipped
when the job is run again (``--force`` re-runs them); a failing report does not stop the
others, and the exit status is non-zero when any failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["register", "run", "main_jobs"]


def main_jobs(provinces: list[str] | str = "all") -> list[tuple[str, dict, str | None]]:
    """The batches of the main job: (notebook file, parameters, output template)."""
    from ..targets import load_targets

    targets = load_targets(kind="target")
    with_targets = sorted(set(targets.loc[targets["boundaries"] == "legacy", "province_code"]))
    if provinces != "all":
        from ..provinces import resolve_province

        wanted = {resolve_province(p).code for p in provinces}
        with_targets = [c for c in with_targets if c in wanted]
    jobs: list[tuple[str, dict, str | None]] = [("province_profile.ipynb", {"province": provinces}, None)]
    if with_targets:
        jobs.append(("target_gaps.ipynb", {"province": with_targets}, None))
    jobs += [
        ("index_trends.ipynb", {"index": "pci", "first_year": 2006, "last_year": 2019}, "index_trends/pci"),
        ("index_trends.ipynb", {"index": "papi", "first_year": 2018, "last_year": 2024}, "index_trends/papi"),
        ("index_trends.ipynb", {"index": "dti", "first_year": 2022, "last_year": 2024}, "index_trends/dti"),
        ("cross_province.ipynb", {"year": 2019, "x_index": "pci", "y_index": "papi"}, "cross_province/2019"),
        ("cross_province.ipynb", {"year": 2023, "x_index": "dti", "y_index": "papi"}, "cross_province/2023"),
    ]
    # targets across provinces: the indices the plans target most
    jobs += [("targets_across_provinces.ipynb", {"index": i}, f"targets_across_provinces/{i}") for i in ("par", "sipas", "pci")]
    return jobs


def register(subparsers) -> None:
    from . import plain_text

    p = subparsers.add_parser("main", help="the main job: every report on the bundled data",
                              description=plain_text(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: 2 or the core count)")
    p.add_argument("--out", default=None, help="output folder (default: reports/ in the working directory)")
    p.add_argument("--province", nargs="+", default=None, help="only these provinces (default: all 63)")
    p.add_argument("--force", action="store_true", help="re-run reports that are already complete")
    p.add_argument("--timeout", type=float, default=600, help="seconds per report (default: 600)")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import config, report
    from .report import Interrupts

    out = Path(args.out) if args.out else config.REPORTS_DIR
    notebooks = config.NOTEBOOKS_DIR
    try:
        out = report.check_out(out)
        lock = report.batch_lock(out)
        lock.__enter__()
    except (report.ParameterError, report.BatchLockedError, OSError) as exc:
        print(f"cchc main: error: {exc}", file=sys.stderr)
        return 2
    results = []
    try:
        with Interrupts() as interrupts:
            zygote = report.KernelZygote(notebooks) if hasattr(os, "fork") else None
            try:
                for name, params, template in main_jobs(args.province or "all"):
                    batch = report.plan_batch(notebooks / name, params, out=out, template=template, force=args.force)
                    if not batch.pending:
                        print(f"{name}: {len(batch.runs)} report(s) already complete")
                        continue
                    print(f"{name}: {len(batch.pending)} report(s) to run", file=sys.stderr)
                    result = report.run_batch(
                        batch, jobs=args.jobs, timeout=args.timeout, zygote=zygote, progress=args.progress,
                        prewarm=zygote is not None,
                    )
                    results.append(result)
                    print(report.format_summary(result).splitlines()[-2 if result.index else -1])
            except KeyboardInterrupt:
                report.write_index(out)
                print(f"cchc main: interrupted ({interrupts.name()}); finished reports are kept and skipped when "
                      "the job is run again", file=sys.stderr)
                return interrupts.exit_code()
            finally:
                if zygote is not None:
                    zygote.close()
        index = report.write_index(out)
    finally:
        lock.__exit__(None, None, None)
    failed = [r for res in results for r in res.failed]
    for res in results:
        if res.failed:
            print(report.format_summary(res))
    print(f"\nReports: {index}")
    print(f"Open in a browser: file://{index.resolve()}")
    if failed:
        print(f"{len(failed)} report(s) failed; see the summaries above", file=sys.stderr)
        return 1
    return 0
