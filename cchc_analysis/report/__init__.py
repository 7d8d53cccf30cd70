"""Batch runner: one parameterised notebook, many provinces, one report each.

A batch is a *matrix* of parameter values (every province, or a list of them, times any
other listed parameter) executed by papermill in a few worker processes.  Each run writes

``{out}/{notebook_stem}/{province_code}-{province_slug}[__{name}-{value}...]/``
    ``{notebook_stem}.ipynb``   the executed notebook (with tracebacks if it failed),
    ``{notebook_stem}.html``    the report, without code cells, images embedded,
    ``figures/``                whatever the notebook saved into its ``figures_dir``,
    ``run.json``                status, parameters, failing cell, duration, outputs, files,

and ``{out}/index.html`` links every report found under ``out`` with a thumbnail and
its status.  Every parameter given a value other than the notebook's default (the
``boundaries`` set included) is part of the folder name, so no two different runs share
a folder; a notebook without ``province`` writes ``{notebook_stem}/default`` or
``{notebook_stem}/{name}-{value}...``.  The executed notebook holds paths relative to
its own folder (``figures_dir = 'figures'``) and readable strings.

Safety: a run is built in a hidden staging folder beside its final folder and moved
into place with :func:`os.replace`, so a killed batch leaves no half-written report; a
later batch skips runs whose ``run.json`` says ``ok`` for the same notebook and
parameters (``force=True`` re-runs them).  A run only ever replaces a folder that a run
created (its ``run.json``) holding nothing else, strictly inside ``out``; anything else is
refused when the batch is planned.  One batch at a time writes to an ``out``
(:class:`batch_lock`).  Workers and kernels die with the batch (``PR_SET_PDEATHSIG`` on
Linux, a watchdog elsewhere); the temporary files of killed batches are removed by the
next one (:func:`cleanup_temp_files`).  If the kernel zygote dies, workers fall back to
ordinary kernels.

Parameter values are checked before anything runs: types against the notebook's
``parameters`` cell, values by the notebook's own first-cell check
(:func:`cchc_analysis.notebook.parameters`), run here on every run's values.

Speed: ``jobs`` worker processes are forked once and run notebooks in-process through
papermill's Python API, each with the one cached HTML exporter.  With ``prewarm=True``
(the default) a :class:`KernelZygote` -- a process that has imported ipykernel and the
modules of ``warm_imports`` (``cchc_analysis``, ``pandas``, ``matplotlib.pyplot`` ...) --
forks a fresh kernel for every run.  Each notebook still gets its own new kernel
process; only imported modules are shared (copy-on-write), never user state, and
numpy's global random generator is reseeded.  A worker forks its next kernel while it
writes the previous run's HTML.  Kernels always use this interpreter (no kernelspec
look-up) with the package root on ``PYTHONPATH`` and matplotlib's inline backend.

Caveat of ``prewarm``: modules in ``warm_imports`` are imported before the notebook's
first cell, so a notebook that changes ``os.environ`` (or the working directory) and
*then* imports one of them sees the import-time state of the batch instead.  Use
``prewarm=False`` (``--no-prewarm``) for such notebooks.

Examples
--------
>>> from cchc_analysis.report import plan_batch, run_batch            # doctest: +SKIP
>>> batch = plan_batch("notebooks/province_profile.ipynb", {"province": "all"},
...                    out="reports")                                  # doctest: +SKIP
>>> result = run_batch(batch, jobs=2)                                  # doctest: +SKIP
>>> result.failed                                                      # doctest: +SKIP
[]
"""

from __future__ import annotations
from .plan import (  # noqa: F401
    Batch,
    DEFAULT_TEMPLATE,
    DEFAULT_WARM_IMPORTS,
    NotebookParameter,
    ParameterError,
    Run,
    check_out,
    format_plan,
    load_params_file,
    notebook_parameters,
    plan_batch,
    replace_refusal,
    slugify,
)
from .kernels import (  # noqa: F401
    KernelZygote,
    cleanup_temp_files,
)
from .run import (  # noqa: F401
    BatchLockedError,
    BatchResult,
    batch_lock,
    RunResult,
    format_summary,
    run_batch,
)
from .publish import (  # noqa: F401
    write_index,
)

__all__ = [
    "ParameterError",
    "NotebookParameter",
    "Run",
    "RunResult",
    "Batch",
    "BatchResult",
    "KernelZygote",
    "BatchLockedError",
    "batch_lock",
    "check_out",
    "replace_refusal",
    "cleanup_temp_files",
    "DEFAULT_TEMPLATE",
    "DEFAULT_WARM_IMPORTS",
    "notebook_parameters",
    "load_params_file",
    "plan_batch",
    "run_batch",
    "write_index",
    "format_plan",
    "format_summary",
    "slugify",
]
