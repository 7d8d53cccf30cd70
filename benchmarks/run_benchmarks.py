#!/usr/bin/env python
"""Benchmarks of cchc-analysis, all measured in one run on one machine.

1. Batch of province reports (``notebooks/province_profile.ipynb``): ``cchc report
   NOTEBOOK --province ... -j JOBS`` against the loop a user would write by hand (for
   each province: the ``papermill`` CLI, then ``jupyter nbconvert --to html --no-input``).
   Both are timed as wall-clock time of the commands, start-up included; the ratio is
   cchc / naive (goal: <= 0.25 on a 2-core machine).
2. ``import cchc_analysis`` in a fresh interpreter (goal <= 0.3 s; best of --repeat).
3. ``load_indicators()`` of all bundled data in a fresh interpreter, once after
   ``import pandas`` (goal <= 0.2 s) and once with pandas' import counted.
4. Target extraction throughput on a large plan text (goal >= 1 MB/s): the seed plans in
   ``../shared/plans/*.txt`` concatenated until the text is --extract-mb MB, or, when they
   are absent, synthetic Vietnamese plan sentences generated here.

Usage::

    .venv/bin/python benchmarks/run_benchmarks.py                 # all 63 provinces, writes RESULTS.md
    .venv/bin/python benchmarks/run_benchmarks.py --provinces 8   # subset: quick check, prints only
    .venv/bin/python benchmarks/run_benchmarks.py --skip-reports  # only 2-4 (a few seconds)

All outputs go to a temporary folder that is removed at the end (``--keep`` keeps it).
A full run takes about 13 minutes on 2 cores, most of it the naive loop.  With
``--provinces N`` (N < 63) both methods run on the same first N provinces; the figures
for 63 are then *extrapolated* and labelled so.  RESULTS.md is written only by a full
run, or wherever ``--results`` says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "province_profile.ipynb"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
PLANS_GLOB = str(ROOT.parent / "shared" / "plans" / "*.txt")
BIN = Path(sys.executable).parent
ALL = 63

GOALS = {
    "ratio": 0.25,
    "import": 0.3,
    "load": 0.2,
    "extract_mbps": 1.0,
    "long_run_ratio": 5.0,  # 4x the text: linear work gives ~4, quadratic ~16
}
PACKAGES = ("cchc-analysis", "pandas", "numpy", "matplotlib", "seaborn", "scipy", "papermill",
            "nbconvert", "nbclient", "ipykernel", "jupyter_client", "pyzmq")


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical ({usable} usable)",
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": ", ".join(versions),
    }


def code_version() -> str:
    """The commit measured, and whether the work tree had changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git work tree)"
    return f"{head}{' with uncommitted changes' if dirty else ''}"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


# --------------------------------------------------------------------------- helpers


def fresh_python(code: str, repeat: int) -> list[float]:
    """Run ``code`` in ``repeat`` fresh interpreters; each prints one float (seconds)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
        if out.returncode != 0:
            raise RuntimeError(f"benchmark subprocess failed:\n{out.stderr}")
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def fmt_s(seconds: float) -> str:
    if seconds >= 60:
        return f"{seconds:.0f} s ({seconds / 60:.1f} min)"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms"


# --------------------------------------------------------------------------- 2, 3: import and load


IMPORT_CODE = """\
import time
t = time.perf_counter()
import cchc_analysis
print(time.perf_counter() - t)
"""

LOAD_WARM_CODE = """\
import pandas, numpy
import time
t = time.perf_counter()
import cchc_analysis
data = cchc_analysis.load_indicators()
dt = time.perf_counter() - t
assert len(data) > 10000, len(data)
print(dt)
"""

LOAD_COLD_CODE = """\
import time
t = time.perf_counter()
import cchc_analysis
data = cchc_analysis.load_indicators()
print(time.perf_counter() - t)
"""


def bench_import(repeat: int) -> dict:
    times = fresh_python(IMPORT_CODE, repeat)
    # Wall time of a whole "python -c 'import cchc_analysis'" against "python -c pass".
    def wall(code: str) -> float:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
            best = min(best, time.perf_counter() - t)
        return best

    return {"best": min(times), "median": statistics.median(times), "n": len(times),
            "process_wall": wall("import cchc_analysis"), "python_wall": wall("pass")}


def bench_load(repeat: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import cchc_analysis

    rows = len(cchc_analysis.load_indicators())
    size = sum(p.stat().st_size for p in (ROOT / "data" / "indicators").glob("*.csv"))
    warm = fresh_python(LOAD_WARM_CODE, repeat)
    cold = fresh_python(LOAD_COLD_CODE, repeat)
    return {"warm_best": min(warm), "warm_median": statistics.median(warm), "cold_best": min(cold),
            "cold_median": statistics.median(cold), "rows": rows, "csv_mb": size / 1e6, "n": repeat}


# --------------------------------------------------------------------------- 4: extraction

_SYNTH_PROVINCES = ("Quảng Nam", "Phú Yên", "Hà Giang", "Bình Định", "Sóc Trăng", "Lào Cai", "Nghệ An")
_SYNTH_SENTENCES = (
    "Phấn đấu tỷ lệ hồ sơ giải quyết đúng hạn đạt trên {p}%.",
    "Chỉ số cải cách hành chính (PAR INDEX) của tỉnh {prov} năm {y} tăng ít nhất {d} bậc so với năm {y0}.",
    "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS) đạt trên {p}%.",
    "Tỷ lệ thủ tục hành chính đủ điều kiện cung cấp dịch vụ công trực tuyến toàn trình đạt {p}%.",
    "Chỉ số PAPI thuộc nhóm {d}0 tỉnh, thành phố dẫn đầu cả nước.",
    "Năm {y0}, tỷ lệ hồ sơ trực tuyến đạt {q},{r}%; phấn đấu năm {y} đạt tối thiểu {p}%.",
    "Tổ chức {d} đợt kiểm tra công tác cải cách hành chính tại các sở, ban, ngành và UBND cấp huyện.",
    "Cắt giảm tối thiểu {d}0% thời gian giải quyết thủ tục hành chính so với quy định.",
    "Duy trì và nâng cao chỉ số năng lực cạnh tranh cấp tỉnh (PCI) đạt trên {q} điểm.",
    "Ủy ban nhân dân tỉnh {prov} yêu cầu các cơ quan, đơn vị triển khai thực hiện nghiêm túc kế hoạch này.",
)


def synthetic_plan_text(target_bytes: int, seed: int = 2025) -> str:
    """Vietnamese plan-like text of about ``target_bytes`` UTF-8 bytes (deterministic)."""
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < target_bytes:
        prov = rng.choice(_SYNTH_PROVINCES)
        y = rng.randint(2021, 2026)
        head = f"KẾ HOẠCH Cải cách hành chính nhà nước tỉnh {prov} năm {y}\nI. MỤC TIÊU\n"
        body = []
        for i in range(rng.randint(8, 20)):
            s = rng.choice(_SYNTH_SENTENCES).format(
                p=rng.choice((90, 95, 98, 100)), prov=prov, y=y, y0=y - 1, d=rng.randint(1, 5),
                q=rng.randint(60, 80), r=rng.randint(0, 99),
            )
            body.append(f"{i + 1}. {s}")
        doc = head + "\n".join(body) + "\n\n"
        parts.append(doc)
        size += len(doc.encode("utf-8"))
        n += 1
    return "".join(parts)


def plan_texts() -> tuple[list[str], str]:
    paths = sorted(glob.glob(PLANS_GLOB))
    texts = []
    for p in paths:
        text = Path(p).read_text(encoding="utf-8-sig")
        if text.strip():
            texts.append(text)
    if texts:
        return texts, f"{len(texts)} seed plans in ../shared/plans"
    return [synthetic_plan_text(20_000, seed=i) for i in range(5)], "synthetic Vietnamese plan sentences (no ../shared/plans)"


def bench_extract(target_mb: float, repeat: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from cchc_analysis.extract import extract_targets

    texts, origin = plan_texts()
    unit = "\n\n".join(texts)
    reps = max(1, int(target_mb * 1e6 / len(unit.encode("utf-8")) + 0.999))
    big = "\n\n".join([unit] * reps)
    nbytes = len(big.encode("utf-8"))
    extract_targets(texts[0])  # compiles the patterns once, as any first call in a process does
    best = float("inf")
    rows = 0
    for _ in range(max(1, repeat // 2)):
        t = time.perf_counter()
        rows = len(extract_targets(big))
        best = min(best, time.perf_counter() - t)
    # The same bytes as separate documents, one call each (how `cchc extract` is used).
    docs = texts * reps
    t = time.perf_counter()
    doc_rows = sum(len(extract_targets(d)) for d in docs)
    per_doc = time.perf_counter() - t
    # First call in a fresh interpreter (imports and pattern compilation included).
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        plan = Path(tmp) / "plan.txt"
        plan.write_text(big, encoding="utf-8")
        cold = fresh_python(
            "import pathlib, time\n"
            f"text = pathlib.Path({str(plan)!r}).read_text(encoding='utf-8')\n"
            "t = time.perf_counter()\n"
            "from cchc_analysis.extract import extract_targets\n"
            "extract_targets(text)\n"
            "print(time.perf_counter() - t)\n",
            1,
        )[0]
    return {"origin": origin, "mb": nbytes / 1e6, "seconds": best, "mbps": nbytes / 1e6 / best, "rows": rows,
            "docs": len(docs), "per_doc_seconds": per_doc, "per_doc_mbps": nbytes / 1e6 / per_doc,
            "doc_rows": doc_rows, "cold_seconds": cold, "cold_mbps": nbytes / 1e6 / cold}


def long_run_text(target_bytes: int) -> str:
    """Target phrases one after another with commas only, no sentence break (issue 10 item 7:
    460 KB of this took 9 s and 50 MB never finished when the work grew with the square)."""
    phrases = (
        "tỷ lệ hồ sơ giải quyết đúng hạn đạt {a},{b}%, ",
        "chỉ số PAR INDEX thuộc nhóm {c} tỉnh dẫn đầu, xếp {c}/63, {d}/14 tỉnh vùng Tây Nguyên, ",
        "tỷ lệ thanh toán trực tuyến (năm 2022 đạt {a}%) đạt {c}%, ",
        "| Tỷ lệ số hóa | {a}% ",
    )
    parts, size, i = [], 0, 0
    while size < target_bytes:
        s = phrases[i % len(phrases)].format(a=i % 97 + 1, b=i % 10, c=i % 60 + 1, d=i % 13 + 1)
        parts.append(s)
        size += len(s.encode("utf-8"))
        i += 1
    return "".join(parts)


def bench_long_run(small_mb: float = 0.5, factor: int = 4) -> dict:
    """Time of one long run of target phrases at two sizes; linear work gives a ratio near
    ``factor`` (a quadratic one near ``factor**2``)."""
    sys.path.insert(0, str(ROOT))
    from cchc_analysis.extract import find_targets

    out = {}
    for label, mb in (("small", small_mb), ("large", small_mb * factor)):
        text = long_run_text(int(mb * 1e6))
        t = time.perf_counter()
        find_targets(text, plan_year=2024)
        out[label] = (len(text.encode("utf-8")) / 1e6, time.perf_counter() - t)
    ratio = out["large"][1] / out["small"][1]
    return {"small_mb": out["small"][0], "small_s": out["small"][1], "large_mb": out["large"][0], "large_s": out["large"][1],
            "ratio": ratio, "factor": factor, "mbps": out["large"][0] / out["large"][1]}


# --------------------------------------------------------------------------- 1: reports


def provinces(n: int) -> list:
    sys.path.insert(0, str(ROOT))
    from cchc_analysis.provinces import list_provinces

    units = list_provinces(boundaries="legacy")
    assert len(units) == ALL, len(units)
    return units[:n]


def cchc_command() -> list[str]:
    exe = BIN / "cchc"
    if exe.exists():
        probe = subprocess.run([str(exe), "report", "--help"], capture_output=True, text=True)
        if probe.returncode == 0:
            return [str(exe), "report"]
    return [sys.executable, "-m", "cchc_analysis.cli.report"]  # the same code, without the entry point


def run_cchc(units, out: Path, jobs: int) -> dict:
    cmd = [*cchc_command(), str(NOTEBOOK), "--province", *[u.code for u in units], "-j", str(jobs),
           "--out", str(out), "--no-progress"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=out.parent)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"cchc report failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    runs = [json.loads(p.read_text()) for p in out.glob("*/*/run.json")]
    ok = [r for r in runs if r["status"] == "ok"]
    htmls = list(out.glob("*/*/*.html"))
    if len(ok) != len(units) or len(htmls) != len(units):
        raise RuntimeError(f"cchc report: {len(ok)} ok runs and {len(htmls)} HTML files for {len(units)} provinces")
    durations = [r["duration_s"] for r in ok]
    return {"seconds": seconds, "runs": len(ok), "run_mean": statistics.mean(durations),
            "command": " ".join(cmd[:2] + ["notebooks/province_profile.ipynb", "--province", "<codes>", "-j", str(jobs), "--out", "<tmp>"]),
            "html_kb": statistics.mean(h.stat().st_size for h in htmls) / 1024}


def run_naive(units, out: Path, progress: bool) -> dict:
    out.mkdir(parents=True)
    papermill, jupyter = str(BIN / "papermill"), str(BIN / "jupyter")
    per = []
    t0 = time.perf_counter()
    for i, u in enumerate(units, 1):
        t = time.perf_counter()
        nb_out = out / f"{u.code}-profile.ipynb"
        subprocess.run(
            [papermill, str(NOTEBOOK), str(nb_out), "-p", "province", u.name,
             "-p", "figures_dir", str(out / f"{u.code}-figures"), "--log-level", "ERROR", "--no-progress-bar"],
            check=True, capture_output=True, cwd=out,
        )
        subprocess.run([jupyter, "nbconvert", "--to", "html", "--no-input", str(nb_out)],
                       check=True, capture_output=True, cwd=out)
        per.append(time.perf_counter() - t)
        if progress:
            print(f"  naive {i}/{len(units)} {u.name}: {per[-1]:.1f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    htmls = list(out.glob("*.html"))
    if len(htmls) != len(units):
        raise RuntimeError(f"naive loop: {len(htmls)} HTML files for {len(units)} provinces")
    return {"seconds": seconds, "per_mean": statistics.mean(per),
            "html_kb": statistics.mean(h.stat().st_size for h in htmls) / 1024}


def bench_reports(n: int, jobs: int, tmp: Path, progress: bool) -> dict:
    units = provinces(n)
    # Warm-up, untimed: one naive run (disk caches, kernelspec, fonts) so neither side pays it.
    run_naive(units[:1], tmp / "warmup", progress=False)
    if progress:
        print(f"cchc report: {n} provinces, -j {jobs} ...", file=sys.stderr, flush=True)
    cchc = run_cchc(units, tmp / "cchc", jobs)
    if progress:
        print(f"  {cchc['seconds']:.1f} s; naive loop ...", file=sys.stderr, flush=True)
    naive = run_naive(units, tmp / "naive", progress)
    return {"n": n, "jobs": jobs, "cchc": cchc, "naive": naive, "ratio": cchc["seconds"] / naive["seconds"]}


# --------------------------------------------------------------------------- output


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table_rows(res: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    rep = res.get("reports")
    if rep:
        n = rep["n"]
        label = f"{n} province reports" if n == ALL else f"{n} of {ALL} province reports (subset)"
        rows.append((f"{label}: naive loop (papermill + nbconvert each)", fmt_s(rep["naive"]["seconds"]), "", ""))
        rows.append((f"{label}: `cchc report -j {rep['jobs']}`", fmt_s(rep["cchc"]["seconds"]), "", ""))
        rows.append(("ratio cchc / naive", f"{rep['ratio']:.3f}", f"<= {GOALS['ratio']}", verdict(rep["ratio"] <= GOALS["ratio"])))
        if n != ALL:
            rows.append((f"EXTRAPOLATED to {ALL} (linear, not measured): naive / cchc",
                         f"{fmt_s(rep['naive']['seconds'] * ALL / n)} / {fmt_s(rep['cchc']['seconds'] * ALL / n)}", "", ""))
    imp = res["import"]
    rows.append(("`import cchc_analysis` (fresh process, best of %d)" % imp["n"], fmt_s(imp["best"]),
                 f"<= {GOALS['import']} s", verdict(imp["best"] <= GOALS["import"])))
    load = res["load"]
    rows.append(("`load_indicators()`, all data, pandas already imported", fmt_s(load["warm_best"]),
                 f"<= {GOALS['load']} s", verdict(load["warm_best"] <= GOALS["load"])))
    rows.append(("`load_indicators()`, all data, pandas import counted", fmt_s(load["cold_best"]), "", ""))
    ex = res["extract"]
    rows.append((f"target extraction, one {ex['mb']:.1f} MB text", f"{ex['mbps']:.2f} MB/s",
                 f">= {GOALS['extract_mbps']} MB/s", verdict(ex["mbps"] >= GOALS["extract_mbps"])))
    rows.append((f"target extraction, same bytes as {ex['docs']} documents", f"{ex['per_doc_mbps']:.2f} MB/s", "", ""))
    rows.append(("target extraction, first call in a fresh process (imports included)", f"{ex['cold_mbps']:.2f} MB/s", "", ""))
    lr = res.get("long_run")
    if lr:
        rows.append((f"target extraction, a run of target phrases without sentence breaks: {lr['small_mb']:.1f} MB / {lr['large_mb']:.1f} MB",
                     f"{fmt_s(lr['small_s'])} / {fmt_s(lr['large_s'])} ({lr['mbps']:.2f} MB/s)", "", ""))
        rows.append((f"time ratio for {lr['factor']}x the text (linear ~{lr['factor']}, quadratic ~{lr['factor'] ** 2})", f"{lr['ratio']:.1f}",
                     f"<= {GOALS['long_run_ratio']}", verdict(lr["ratio"] <= GOALS["long_run_ratio"])))
    return rows


def print_table(rows) -> None:
    widths = [max(len(r[i]) for r in rows + [("benchmark", "result", "goal", "met")]) for i in range(4)]
    head = ("benchmark", "result", "goal", "met")
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def write_results(path: Path, res: dict, rows) -> None:
    m = res["machine"]
    rep = res.get("reports")
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `benchmarks/run_benchmarks.py{res['argv']}` on {res['date']} "
        f"(total {fmt_s(res['total_seconds'])}), code at commit {res['code']}. See `benchmarks/README.md` for "
        "what each figure means.",
        "",
        "| benchmark | result | goal | met |",
        "| --- | --- | --- | --- |",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
    ]
    if rep:
        lines += [
            "## Batch of reports",
            "",
            f"- Notebook `notebooks/province_profile.ipynb`, {rep['n']} provinces (legacy units, GSO order), "
            "outputs in a temporary folder.",
            f"- `cchc report`: {fmt_s(rep['cchc']['seconds'])} wall clock for the whole command "
            f"({rep['cchc']['runs']} runs, {rep['cchc']['run_mean']:.2f} s per run inside a worker, "
            f"{rep['jobs']} workers); HTML {rep['cchc']['html_kb']:.0f} KiB per report.",
            f"- Naive loop: {fmt_s(rep['naive']['seconds'])} ({rep['naive']['per_mean']:.2f} s per province: "
            "`papermill NB OUT.ipynb -p province NAME -p figures_dir DIR` then "
            f"`jupyter nbconvert --to html --no-input OUT.ipynb`); HTML {rep['naive']['html_kb']:.0f} KiB per report.",
            f"- Ratio {rep['ratio']:.3f} (goal <= {GOALS['ratio']}); speed-up x{1 / rep['ratio']:.1f}.",
            "",
        ]
    imp, load, ex = res["import"], res["load"], res["extract"]
    lines += [
        "## Import, load, extraction",
        "",
        f"- `import cchc_analysis`: best {fmt_s(imp['best'])}, median {fmt_s(imp['median'])} of {imp['n']} fresh "
        f"interpreters; whole `python -c 'import cchc_analysis'` {fmt_s(imp['process_wall'])} against "
        f"{fmt_s(imp['python_wall'])} for `python -c pass`.",
        f"- `load_indicators()` ({load['rows']:,} rows from {load['csv_mb']:.1f} MB of CSV): best "
        f"{fmt_s(load['warm_best'])} (median {fmt_s(load['warm_median'])}) after `import pandas`; "
        f"best {fmt_s(load['cold_best'])} (median {fmt_s(load['cold_median'])}) with pandas' import counted.",
        f"- Extraction input: {ex['origin']}, repeated to {ex['mb']:.2f} MB. One text: {ex['seconds']:.2f} s "
        f"({ex['mbps']:.2f} MB/s, {ex['rows']} rows after de-duplication of repeated passages); "
        f"{ex['docs']} documents, one call each: {ex['per_doc_seconds']:.2f} s ({ex['per_doc_mbps']:.2f} MB/s, "
        f"{ex['doc_rows']} rows); first call in a fresh process: {ex['cold_seconds']:.2f} s ({ex['cold_mbps']:.2f} MB/s).",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}; cores: {m['cores']}; RAM: {m['ram']}",
        f"- OS: {m['os']}; Python: {m['python']}",
        f"- Packages: {m['packages']}",
        f"- Load average (1, 5, 15 min) at start: {res['load_start']}; at end: {res['load_end']} "
        "(the machine may be shared, so other work can slow both sides of a comparison).",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--provinces", type=int, default=ALL, metavar="N",
                    help=f"time the reports of the first N provinces only (default: all {ALL}); "
                    "figures for 63 are then extrapolated and labelled so")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="workers for cchc report (default 2)")
    ap.add_argument("--repeat", type=int, default=7, help="fresh processes per import/load timing (best is kept)")
    ap.add_argument("--extract-mb", type=float, default=2.0, help="size of the extraction text in MB (default 2)")
    ap.add_argument("--skip-reports", action="store_true", help="skip the report batch (the long part)")
    ap.add_argument("--results", type=Path, default=None,
                    help="write the Markdown results here (default: benchmarks/RESULTS.md for a full run, "
                    "nothing for a subset)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary output folder")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = ap.parse_args(argv)
    if not 1 <= args.provinces <= ALL:
        ap.error(f"--provinces must be between 1 and {ALL}")
    full = args.provinces == ALL and not args.skip_reports
    results_path = args.results or (RESULTS if full else None)

    t_start = time.perf_counter()
    res: dict = {"date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), "machine": machine_info(),
                 "load_start": load_average(), "code": code_version(),
                 "argv": (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()}
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    say("import cchc_analysis ...")
    res["import"] = bench_import(args.repeat)
    say("load_indicators() ...")
    res["load"] = bench_load(args.repeat)
    say("target extraction ...")
    res["extract"] = bench_extract(args.extract_mb, args.repeat)
    say("target extraction, long run without sentence breaks ...")
    res["long_run"] = bench_long_run()
    if not args.skip_reports:
        tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
        try:
            res["reports"] = bench_reports(args.provinces, args.jobs, tmp, progress=not args.quiet)
        finally:
            if args.keep:
                say(f"outputs kept in {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    res["total_seconds"] = time.perf_counter() - t_start
    res["load_end"] = load_average()

    rows = table_rows(res)
    print()
    print_table(rows)
    m = res["machine"]
    print(f"\n{res['date']} · {m['cpu']} · {m['cores']} · {m['ram']} · {m['python']}")
    if results_path is not None:
        write_results(results_path, res, rows)
        print(f"results written to {results_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
