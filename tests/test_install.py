"""Installing like any Python package (issue 14): packaged data and notebooks, a user's data folder,
outputs under the working directory, ``python -m cchc_analysis``, CITATION.cff, environment.yml.

The slow test builds the sdist and the wheel, installs the wheel into a clean virtual environment
outside the checkout and runs the loaders, ``cchc data coverage`` and ``cchc report`` from another
folder.  The others check the same behaviour in this (editable) install.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

import cchc_analysis as cchc
from cchc_analysis import checksums, config, indicators
from cchc_analysis.cli import main as cli_main
from cchc_analysis.cli.notebooks import copy_notebooks

ROOT = Path(__file__).resolve().parents[1]
CCHC = Path(sys.executable).with_name("cchc")
NOTEBOOK_NAMES = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))  # every one ships


@pytest.fixture(autouse=True)
def _no_user_folder():
    """Every test starts on the bundled tables, and leaves CCHC_DATA_DIR and the caches as they were."""
    before = os.environ.pop(config.DATA_ENV, None)
    config._clear_caches()
    yield
    os.environ.pop(config.DATA_ENV, None)
    if before is not None:
        os.environ[config.DATA_ENV] = before
    config._clear_caches()


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", config.DATA_ENV, config.SHARED_ENV)}
    env.update(MPLBACKEND="Agg", **extra)
    return env


def _run(args, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("env", _clean_env())
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)


# --------------------------------------------------------------------------- where things are


def test_the_tables_and_notebooks_are_found_with_importlib_resources():
    data = Path(str(resources.files("cchc_analysis._data")))
    if config.is_source_checkout():
        # the clone's notebooks/ has no __init__.py (JupyterLab would list it beside the notebooks):
        # an editable install finds the folder through config's fallback; the wheel's build adds one
        with pytest.raises(ModuleNotFoundError):
            resources.files("cchc_analysis._notebooks")
        notebooks = ROOT / "notebooks"
    else:
        notebooks = Path(str(resources.files("cchc_analysis._notebooks")))
    assert config.bundled_data_dir() == data and config.DATA_DIR == data
    assert config.notebooks_dir() == notebooks == config.NOTEBOOKS_DIR
    assert (data / "indicators" / "pci.csv").is_file() and (data / "targets" / "targets.csv").is_file()
    assert [p.stem for p in config.shipped_notebooks()] == NOTEBOOK_NAMES
    assert {"province_profile", "target_gaps", "index_trends", "cross_province"} <= set(NOTEBOOK_NAMES)
    if config.is_source_checkout():  # the editable install maps the packages onto the clone's folders
        assert data == ROOT / "data" and notebooks == ROOT / "notebooks"


def test_every_package_data_pattern_matches_files():
    # a pattern that matches nothing (the old "styles/*") means a folder is missing from the wheel
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {"cchc_analysis": ROOT / "cchc_analysis", "cchc_analysis._data": ROOT / "data",
               "cchc_analysis._notebooks": ROOT / "notebooks"}
    for package, patterns in setup["package-data"].items():
        for pattern in patterns:
            assert list(folders[package].glob(pattern)), f"{package}: {pattern!r} matches no file"
    shipped = re.search(r"SHIPPED = (\{.*?\})", (ROOT / "setup.py").read_text(encoding="utf-8")).group(1)
    assert eval(shipped) == {"cchc_analysis._data": "data", "cchc_analysis._notebooks": "notebooks"}


def test_outputs_go_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config.figures_dir() == config.FIGURES_DIR == tmp_path / "figures"
    assert config.reports_dir() == config.REPORTS_DIR == tmp_path / "reports"
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)
    assert config.REPORTS_DIR == other / "reports", "computed when read, not at import"


def test_report_defaults_to_reports_in_the_working_directory(tmp_path):
    res = _run([CCHC, "report", "province_profile", "--province", "Quảng Nam", "--dry-run"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert f"out: {tmp_path / 'reports'}" in res.stdout
    assert "49-quang-nam" in res.stdout
    assert list(tmp_path.iterdir()) == [], "a dry run writes nothing"


def test_a_shipped_notebook_runs_by_name_and_a_typo_gets_a_suggestion(tmp_path):
    assert config.find_notebook("province_profile") == config.notebooks_dir() / "province_profile.ipynb"
    assert config.find_notebook("target_gaps.ipynb") == config.notebooks_dir() / "target_gaps.ipynb"
    mine = tmp_path / "province_profile.ipynb"
    mine.write_text("{}", encoding="utf-8")
    assert config.find_notebook(mine) == mine, "a file that exists is used as it is"
    with pytest.raises(FileNotFoundError, match=r"notebook not found: provnce_profile\. Did you mean "
                                                r"province_profile\? The shipped notebooks run by name "
                                                rf"\({', '.join(NOTEBOOK_NAMES)}\)"):
        config.find_notebook("provnce_profile")
    with pytest.raises(FileNotFoundError, match="notebook not found: nb/province_profile.ipynb"):
        config.find_notebook("nb/province_profile.ipynb")  # a path with a folder must exist


# --------------------------------------------------------------------------- a user's data folder


def _synthetic_user_folder(folder: Path) -> Path:
    """A data folder holding a newer PAR Index table: the bundled rows plus one synthetic row."""
    (folder / "indicators").mkdir(parents=True)
    par = pd.read_csv(config.bundled_data_dir() / "indicators" / "par.csv", dtype=str, keep_default_na=False)
    row = {c: "" for c in par.columns}
    row.update(index="par", year="2024", boundaries="legacy", province_code="49", province="Quảng Nam",
               component="overall", value="12.34", rank="", unit="percent",
               source_id="synthetic-test-par-2024", note="synthetic row written by tests/test_install.py")
    par = par[~((par["year"] == "2024") & (par["province_code"] == "49") & (par["component"] == "overall"))]
    pd.concat([par, pd.DataFrame([row])]).to_csv(folder / "indicators" / "par.csv", index=False)
    pd.DataFrame([{"source_id": "synthetic-test-par-2024", "publisher": "tests (synthetic)",
                   "title": "synthetic PAR Index row for the data-folder test"}]).to_csv(
        folder / "sources.csv", index=False)
    return folder


def _par_2024_quang_nam() -> pd.Series:
    data = cchc.load_indicators("par", years=2024, provinces="Quảng Nam", components="overall")
    return data.iloc[0]


def test_a_user_folder_replaces_only_the_tables_it_holds(tmp_path, monkeypatch):
    bundled_pci = len(cchc.load_indicators("pci"))
    folder = _synthetic_user_folder(tmp_path / "my-data")
    assert cchc.set_data_dir(folder) == folder.resolve()
    assert os.environ[config.DATA_ENV] == str(folder.resolve()), "kernels started later inherit it"
    row = _par_2024_quang_nam()
    assert (row["value"], row["source_id"]) == (12.34, "synthetic-test-par-2024")
    assert len(cchc.load_indicators("pci")) == bundled_pci, "tables the folder lacks come from the bundle"
    assert config.data_path("indicators/pci.csv") == config.bundled_data_dir() / "indicators" / "pci.csv"
    assert config.data_path("indicators/par.csv") == folder.resolve() / "indicators" / "par.csv"
    sources = cchc.load_sources()
    assert sources["source_id"].iloc[0] == "synthetic-test-par-2024", "the user's sources come first"
    assert {"pci-2019-vcci", "papi-panel-2011-2024"} <= set(sources["source_id"]), "and add to the bundled ones"
    assert sources["source_id"].is_unique
    # back to the bundled tables
    assert cchc.set_data_dir(None) is None and config.DATA_ENV not in os.environ
    assert "synthetic-test-par-2024" not in set(cchc.load_indicators("par")["source_id"])


def test_the_environment_variable_is_read_at_call_time(tmp_path, monkeypatch):
    folder = _synthetic_user_folder(tmp_path / "env-data")
    monkeypatch.setenv(config.DATA_ENV, str(folder))
    assert config.DATA_DIR == config.user_data_dir() == folder.resolve()
    assert _par_2024_quang_nam()["value"] == 12.34


def test_an_explicit_data_dir_argument_wins_over_the_environment(tmp_path, monkeypatch):
    mine, other = _synthetic_user_folder(tmp_path / "mine"), _synthetic_user_folder(tmp_path / "other")
    monkeypatch.setenv(config.DATA_ENV, str(mine))
    checksums.write_checksums(other)
    assert (other / "checksums.csv").is_file() and not (mine / "checksums.csv").exists()
    assert config.output_data_dir() == mine.resolve(), "without an argument: the user's folder"


def test_a_broken_user_table_is_named(tmp_path):
    folder = _synthetic_user_folder(tmp_path / "broken")
    path = folder / "indicators" / "par.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("synthetic-test-par-2024,", "no-such-source,"),
                    encoding="utf-8")
    cchc.set_data_dir(folder)
    with pytest.raises(checksums.DataIntegrityError) as err:
        cchc.load_indicators("par")
    assert str(err.value).startswith(f"{path.resolve()}: 1 problem(s):\n  - row ")
    assert "source_id 'no-such-source' not in the sources table" in str(err.value)
    assert "read from your data folder (CCHC_DATA_DIR / cchc.set_data_dir)" in str(err.value)
    assert "git checkout" not in str(err.value), "the bundled table's advice does not fit a user's file"


def test_set_data_dir_refuses_a_wrong_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"set_data_dir: .*missing is not a folder"):
        cchc.set_data_dir(tmp_path / "missing")
    (tmp_path / "par.csv").write_text("index\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"holds none of the tables the toolkit reads; expected some of "
                                                r"aggregates\.csv, breaks\.csv"):
        cchc.set_data_dir(tmp_path)  # par.csv belongs in indicators/
    assert config.DATA_ENV not in os.environ


def test_an_installed_package_never_rebuilds_its_own_tables(monkeypatch):
    monkeypatch.setattr(config, "is_source_checkout", lambda: False)
    with pytest.raises(PermissionError, match=r"not rebuilt in place .* set CCHC_DATA_DIR=DIR"):
        config.output_data_dir()
    with pytest.raises(PermissionError):
        checksums.write_checksums()


def test_cli_data_dir_option_reaches_the_loaders(tmp_path, capsys):
    folder = _synthetic_user_folder(tmp_path / "cli-data")
    res = _run([CCHC, "--data-dir", folder, "data", "coverage", "par", "--csv"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    mine = pd.read_csv(io.StringIO(res.stdout))
    plain = pd.read_csv(io.StringIO(_run([CCHC, "data", "coverage", "par", "--csv"]).stdout))
    assert not mine.equals(plain), "the user's par.csv was read"
    res = _run([CCHC, "--data-dir", tmp_path / "nope", "data", "coverage"])
    assert res.returncode == 2 and "--data-dir" in res.stderr and "not a folder" in res.stderr


# --------------------------------------------------------------------------- cchc notebooks copy


def test_notebooks_copy_gives_editable_copies(tmp_path, capsys):
    dest = tmp_path / "my notebooks"
    assert cli_main(["notebooks", "copy", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == [f"{n}.ipynb" for n in NOTEBOOK_NAMES]
    for name in NOTEBOOK_NAMES:
        assert (dest / f"{name}.ipynb").read_bytes() == (config.notebooks_dir() / f"{name}.ipynb").read_bytes()
    assert "copied" in capsys.readouterr().out
    again = copy_notebooks(dest)
    assert [r["status"] for r in again] == ["unchanged"] * len(NOTEBOOK_NAMES)


def test_notebooks_copy_never_overwrites_without_force(tmp_path, capsys):
    dest = tmp_path / "nb"
    dest.mkdir()
    (dest / "index_trends.ipynb").write_text("my edits", encoding="utf-8")
    assert cli_main(["notebooks", "copy", str(dest)]) == 1
    err = capsys.readouterr().err
    assert "1 file(s) already in" in err and "index_trends.ipynb; they were not touched" in err and "--force" in err
    assert [p.name for p in dest.iterdir()] == ["index_trends.ipynb"], "nothing copied when one file clashes"
    assert (dest / "index_trends.ipynb").read_text(encoding="utf-8") == "my edits"
    done = copy_notebooks(dest, names=["index_trends.ipynb"], force=True)
    assert [(r["status"], r["backup"].name) for r in done] == [("replaced", "index_trends.ipynb.bak")]
    assert (dest / "index_trends.ipynb.bak").read_text(encoding="utf-8") == "my edits"
    assert json.loads((dest / "index_trends.ipynb").read_text(encoding="utf-8"))["cells"]
    assert not [p for p in dest.iterdir() if p.name.startswith(".")], "no temporary file left"


def test_notebooks_copy_names_an_unknown_notebook(tmp_path):
    with pytest.raises(FileNotFoundError, match="Did you mean target_gaps"):
        copy_notebooks(tmp_path, names=["target_gap"])
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        copy_notebooks(tmp_path / "file")


# --------------------------------------------------------------------------- command, version, metadata


def test_python_dash_m_is_the_cchc_command(tmp_path):
    assert _run([CCHC, "--version"]).stdout == _run([sys.executable, "-m", "cchc_analysis", "--version"]).stdout \
        == f"cchc-analysis {cchc.__version__}\n"
    a = _run([CCHC, "province", "tp hcm"], cwd=tmp_path)
    b = _run([sys.executable, "-m", "cchc_analysis", "province", "tp hcm"], cwd=tmp_path)
    assert (a.returncode, a.stdout) == (b.returncode, b.stdout) == (0, a.stdout) and "Hồ Chí Minh" in a.stdout
    bad = _run([sys.executable, "-m", "cchc_analysis", "province", "Atlantis"])
    assert bad.returncode == 2 and "cchc: error:" in bad.stderr


def test_the_version_has_one_source():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cchc_analysis.__version__"}
    from importlib.metadata import version

    assert version("cchc-analysis") == cchc.__version__


def test_citation_cff_cites_the_toolkit_and_the_data_publishers():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software"
    assert str(cff["version"]) == cchc.__version__ and cff["license"] == "MIT"
    assert cff["authors"] and all("name" in a or "family-names" in a for a in cff["authors"])
    refs = cff["references"]
    assert all({"type", "title", "authors"} <= set(r) for r in refs)
    publishers = " | ".join(a["name"] for r in refs for a in r["authors"])
    for who in ("VCCI", "CECODES", "VFF-CRT", "RTA", "UNDP", "Ministry of Home Affairs",
                "Ministry of Information and Communications", "Open Development Vietnam"):
        assert who in publishers, who
    titles = " ".join(r["title"] for r in refs)
    for index in ("PCI", "PAPI", "PAR Index", "SIPAS", "DTI"):
        assert index in titles, index
    # every site cited is one the bundled sources use
    from urllib.parse import urlsplit

    sites = {urlsplit(r["url"]).hostname for r in refs if "url" in r and "opendevelopment" not in r["url"]}
    assert sites and sites <= {urlsplit(u).hostname for u in cchc.load_sources()["url"].dropna()}


def _requirement(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", text)
    name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
    return name, m.group(2).replace(" ", "")


# PyPI name -> conda-forge name where they differ
_CONDA_NAMES = {"build": "python-build"}


def test_environment_yml_matches_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(_requirement(r) for r in [*meta["dependencies"], *meta["optional-dependencies"]["test"]])
    wanted = {_CONDA_NAMES.get(k, k): v for k, v in wanted.items()}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    have = dict(_requirement(r) for r in [*conda, *pip] if not r.startswith("-e"))
    assert have.pop("python") == ">=" + meta["requires-python"].lstrip(">=")
    have.pop("pip")
    assert have == wanted, "environment.yml and pyproject.toml list different dependencies or minimum versions"
    assert "-e ." in pip, "the conda environment installs the package itself"


# --------------------------------------------------------------------------- the wheel, for real

_OFFLINE = ("No matching distribution found", "Could not find a version that satisfies",
            "Failed to establish a new connection", "Temporary failure in name resolution",
            "Network is unreachable", "NewConnectionError", "ConnectTimeout")


def _skip_if_offline(res: subprocess.CompletedProcess, what: str) -> None:
    """Skip when pip found neither a network nor a cached copy; any other failure is a failure."""
    text = res.stdout + res.stderr
    if any(m in text for m in _OFFLINE):
        try:
            socket.create_connection(("pypi.org", 443), timeout=5).close()
        except OSError:
            line = next((ln for ln in text.splitlines() if any(m in ln for m in _OFFLINE)), "")
            pytest.skip(f"{what}: no network and no cached wheels ({line.strip()})")


def test_the_wheel_test_skips_only_without_network_and_cache(monkeypatch):
    failed = subprocess.CompletedProcess([], 1, "", "ERROR: No matching distribution found for setuptools>=68\n")
    _skip_if_offline(subprocess.CompletedProcess([], 1, "", "error: invalid syntax in setup.py"), "build")  # no skip

    def offline(*args, **kw):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", offline)
    with pytest.raises(pytest.skip.Exception, match=r"build: no network and no cached wheels \(ERROR: No matching "
                                                    r"distribution found for setuptools>=68\)"):
        _skip_if_offline(failed, "build")


def _package_files(venv: Path) -> set[str]:
    pkg = next(venv.glob("lib/python*/site-packages/cchc_analysis"))
    return {p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.slow
def test_the_wheel_works_from_a_clean_venv_outside_the_checkout(tmp_path_factory):
    work = tmp_path_factory.mktemp("install")
    assert ROOT not in work.parents
    t0 = time.monotonic()
    dist = work / "dist"
    # sdist first, then the wheel built from the sdist: a file missing from the sdist fails here
    res = _run([sys.executable, "-m", "build", "--outdir", dist, ROOT], cwd=work)
    if res.returncode:
        _skip_if_offline(res, "python -m build")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    (sdist,), (wheel,) = list(dist.glob("*.tar.gz")), list(dist.glob("*.whl"))
    with tarfile.open(sdist) as tar:
        in_sdist = {Path(*Path(n).parts[1:]).as_posix() for n in tar.getnames()}
    assert {"setup.py", "pyproject.toml", "CITATION.cff", "environment.yml", "data/indicators/pci.csv",
            "data/targets/targets.csv", "notebooks/province_profile.ipynb",
            "cchc_analysis/geodata/vn_provinces_63_legacy.geojson"} <= in_sdist
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    for name in ("cchc_analysis/_data/indicators/pci.csv", "cchc_analysis/_data/sources.csv",
                 "cchc_analysis/_data/checksums.csv", "cchc_analysis/_data/targets/targets.csv",
                 "cchc_analysis/registry/provinces_legacy.csv", "cchc_analysis/templates/index.html",
                 "cchc_analysis/geodata/vn_provinces_34_2025.geojson", "cchc_analysis/geodata/LICENSE.txt",
                 "cchc_analysis/__main__.py", *(f"cchc_analysis/_notebooks/{n}.ipynb" for n in NOTEBOOK_NAMES)):
        assert name in in_wheel, name
    assert not [n for n in in_wheel if n.startswith(("tests/", "data/", "notebooks/", "figures/", "reports/"))]
    assert not [n for n in in_wheel if n.startswith("cchc_analysis/_notebooks/") and n.endswith(".py")
                and not n.endswith("__init__.py")], "jupytext twins are not shipped"
    print(f"\nwheel {wheel.name}: {wheel.stat().st_size / 1e6:.2f} MB ({len(in_wheel)} files); "
          f"sdist {sdist.stat().st_size / 1e6:.2f} MB; built in {time.monotonic() - t0:.0f} s")

    venv = work / "venv"  # a clean venv: no --system-site-packages, nothing of the checkout on the path
    assert _run([sys.executable, "-m", "venv", venv]).returncode == 0
    py, cchc_bin = venv / "bin" / "python", venv / "bin" / "cchc"
    res = _run([py, "-m", "pip", "install", "--quiet", wheel], cwd=work)
    if res.returncode:
        _skip_if_offline(res, "pip install of the wheel's dependencies")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    cfg = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in cfg
    before = _package_files(venv)

    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    code = ("import cchc_analysis as c, cchc_analysis.config as k; d = c.load_indicators(); "
            "print(c.__file__, k.is_source_checkout(), len(d), sorted(d['index'].unique()), len(c.load_targets()))")
    res = _run([py, "-c", code], cwd=elsewhere)
    assert res.returncode == 0, res.stderr
    where, checkout, rows, *rest = res.stdout.split(" ", 3)
    assert Path(where).is_relative_to(venv) and checkout == "False"
    assert int(rows) == len(cchc.load_indicators()), "the same tables as the checkout"

    res = _run([cchc_bin, "data", "coverage", "pci", "--csv"], cwd=elsewhere)
    assert res.returncode == 0, res.stderr
    assert res.stdout == _run([CCHC, "data", "coverage", "pci", "--csv"]).stdout, "the same table as the checkout"
    assert "pci,2019,legacy,63,63,63,0,63,1.0" in res.stdout

    res = _run([cchc_bin, "report", "province_profile", "--province", "Quảng Nam", "Đà Nẵng", "-j", "2",
                "--no-progress"], cwd=elsewhere)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    runs = sorted(elsewhere.glob("reports/province_profile/*/run.json"))
    assert [p.parent.name for p in runs] == ["48-da-nang", "49-quang-nam"]
    assert all(json.loads(p.read_text(encoding="utf-8"))["status"] == "ok" for p in runs)
    assert all((p.parent / "province_profile.html").stat().st_size > 10_000 for p in runs)
    index = (elsewhere / "reports" / "index.html").read_text(encoding="utf-8")
    assert "49-quang-nam/province_profile.html" in index and "48-da-nang/province_profile.html" in index
    assert sorted(p.name for p in elsewhere.iterdir()) == ["reports"], "outputs only under the working directory"
    # the main job (two provinces, and the national notebooks) from yet another folder
    main_dir = work / "main-job"
    main_dir.mkdir()
    res = _run([cchc_bin, "main", "-j", "2", "--province", "Quảng Nam", "Đà Nẵng", "--no-progress"], cwd=main_dir)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    done = {p.parent.relative_to(main_dir / "reports").as_posix() for p in main_dir.glob("reports/**/run.json")}
    assert {"province_profile/49-quang-nam", "target_gaps/49-quang-nam", "index_trends/pci",
            "cross_province/2019"} <= done
    assert (main_dir / "reports" / "index.html").is_file()
    assert _package_files(venv) == before, "nothing written into the installed package"
    print(f"wheel install and runs: {time.monotonic() - t0:.0f} s in all")
    shutil.rmtree(work, ignore_errors=True)
