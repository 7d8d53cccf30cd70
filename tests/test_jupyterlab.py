"""JupyterLab, started for real on a free port, over its REST API.

A copy of ``notebooks/`` and ``pyproject.toml`` (the jupytext pairing) is served, so the
project's own files are never written.  The server is started with a token and no browser,
and stopped by its PID.  Checked: each notebook is listed once (the paired ``.py`` twins are
in ``notebooks/py/``); the kernel the notebooks name is the one the server offers under the
same display name (else JupyterLab rewrites the kernelspec on open and marks the notebook
modified); the server extension fills in ``language_info`` (the other thing JupyterLab
rewrites on open); opening a notebook and saving it unchanged leaves its bytes, and its
twin's, unchanged; and, with Chromium, a notebook opened in JupyterLab is not marked
modified once its kernel is up.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cchc_analysis import config

pytest.importorskip("jupyter_server", reason="jupyter-server is not installed")
pytest.importorskip("jupyterlab", reason="jupyterlab is not installed")

TOKEN = "cchc-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(config.PROJ_ROOT / "pyproject.toml", root)
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / ".jupyter"), JUPYTER_RUNTIME_DIR=str(root / ".runtime"))
    env.pop("JPY_SESSION_NAME", None)
    log = open(root / "lab.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root,
    )
    base = f"http://127.0.0.1:{port}"

    def api(path: str, method: str = "GET", body: dict | None = None):
        req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text(errors='replace')[-3000:]}")
                time.sleep(0.2)
        api.base = base  # type: ignore[attr-defined]
        yield root, api
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # stopped by its PID, as a user's script would
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def test_the_token_is_required(lab):
    _root, api = lab
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(api.base + "/api/contents", timeout=10)
    assert err.value.code == 403


def test_each_notebook_is_listed_once(lab):
    _root, api = lab
    listing = api("/api/contents/notebooks")["content"]
    notebooks = sorted(item["name"] for item in listing if item["type"] == "notebook")
    assert notebooks == ["cross_province.ipynb", "index_trends.ipynb", "province_profile.ipynb", "start_here.ipynb",
                         "target_gaps.ipynb", "targets_across_provinces.ipynb"]
    assert [item["name"] for item in listing if item["type"] == "directory"] == ["py"]
    assert not [item["name"] for item in listing if item["name"].endswith(".py")]


def test_the_kernel_the_notebooks_name_is_offered_under_that_name(lab):
    _root, api = lab
    specs = api("/api/kernelspecs")["kernelspecs"]
    for path in sorted((config.NOTEBOOKS_DIR).glob("*.ipynb")):
        wanted = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert wanted["name"] in specs, f"{path.name}: kernel {wanted['name']!r} not installed; run `make install`"
        assert specs[wanted["name"]]["spec"]["display_name"] == wanted["display_name"], (
            f"{path.name}: JupyterLab would rename the kernel on open and mark the notebook modified; "
            "run `make install` (it installs the python3 kernel as 'Python 3 (ipykernel)')"
        )


def test_open_and_save_unchanged_leaves_the_files_unchanged(lab):
    from ipykernel.ipkernel import IPythonKernel

    root, api = lab
    before = _files(root / "notebooks")
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        rel = path.relative_to(root).as_posix()
        model = api(f"/api/contents/{rel}?type=notebook&content=1")
        assert model["format"] == "json" and model["content"]["cells"]
        assert "language_info" not in json.loads(path.read_text(encoding="utf-8"))["metadata"]
        # served with what the kernel will report, so JupyterLab has nothing to change
        assert model["content"]["metadata"].get("language_info") == IPythonKernel.language_info, (
            "the server extension cchc_analysis.server_extension is not enabled: run `make install`, or copy "
            "jupyter-config/cchc_analysis.json to <environment>/etc/jupyter/jupyter_server_config.d/"
        )
        saved = api(f"/api/contents/{rel}", "PUT", {"type": "notebook", "format": "json", "content": model["content"]})
        assert saved["name"] == path.name
        after = _files(root / "notebooks")
        changed = [name for name in after if after[name] != before.get(name)]
        assert not changed, f"saving {rel} unchanged rewrote {changed}"


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def test_a_notebook_opens_unmodified_in_jupyterlab(lab, tmp_path):
    """Chromium opens a notebook in JupyterLab; once the kernel is idle the tab is not dirty."""
    import asyncio

    from tornado.websocket import websocket_connect

    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not found (apt-get install chromium)")
    _root, api = lab
    port = _free_port()
    proc = subprocess.Popen(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--remote-debugging-port={port}",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )

    async def visit() -> list[dict]:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as resp:
                    pages = [p for p in json.load(resp) if p["type"] == "page"]
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        ws = await websocket_connect(pages[0]["webSocketDebuggerUrl"], max_message_size=1 << 26)
        counter = iter(range(1, 10**6))

        async def call(method, **params):
            i = next(counter)
            await ws.write_message(json.dumps({"id": i, "method": method, "params": params}))
            while True:
                msg = json.loads(await ws.read_message())
                if msg.get("id") == i:
                    return msg

        async def state():
            expr = ("JSON.stringify({tabs: [...document.querySelectorAll('.lm-TabBar-tab')].filter(t => "
                    "t.textContent.includes('.ipynb')).map(t => [t.textContent, t.classList.contains('jp-mod-dirty')]),"
                    " kernel: (document.querySelector('.jp-Notebook-ExecutionIndicator') || {getAttribute: () => null})"
                    ".getAttribute('data-status'), kernelName: (document.querySelector('.jp-KernelName') || {}).textContent})")
            reply = await call("Runtime.evaluate", expression=expr, returnByValue=True)
            return json.loads(reply["result"]["result"]["value"])

        await call("Page.navigate", url=f"{api.base}/lab/tree/notebooks/index_trends.ipynb?token={TOKEN}&reset")
        seen, idle_since = [], None
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            now = await state()
            seen.append(now)
            if now["kernel"] == "idle" and now["tabs"]:
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 3:  # kernel info (language_info) has arrived by now
                    break
        ws.close()
        return seen

    try:
        seen = asyncio.run(visit())
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    last = seen[-1] if seen else {}
    assert last.get("kernel") == "idle", f"the kernel did not start: {seen[-3:]}"
    assert last["kernelName"] == "Python 3 (ipykernel)"
    assert last["tabs"] == [["index_trends.ipynb", False]], f"marked modified on open: {last}"
