"""Notebooks that open clean in JupyterLab: a small Jupyter server extension.

Why a notebook is marked modified as soon as it opens: when its kernel starts, JupyterLab
writes the kernel's ``kernelspec`` and ``language_info`` into the notebook's metadata, and
any difference from what the file holds marks the notebook modified.  The kernelspec is
settled in the files (the notebooks name ``python3`` / "Python 3 (ipykernel)", the kernel
``make install`` installs).  ``language_info`` cannot be: it holds the Python version
("3.11.7"), so a stored one would match one machine only, and none at all never matches.

So this extension, when the server hands JupyterLab a notebook without ``language_info``
whose kernel runs this server's Python, fills in the ``language_info`` that kernel will
report; and when such a notebook is saved while it still has no outputs, it takes the
filled-in value out again.  Opening a notebook then changes nothing, and saving it
unchanged writes the same bytes.  Notebooks that have ``language_info`` or outputs are
left exactly as JupyterLab and Jupyter save them.

Enabled by ``make install`` (``jupyter server extension enable --sys-prefix
cchc_analysis.server_extension``); ``jupyter server extension disable ...`` turns it off.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from typing import Any

__all__ = ["language_infos", "fill_language_info", "strip_language_info"]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "cchc_analysis.server_extension"}]


def _runs_this_python(argv: list[str]) -> bool:
    """Does a kernelspec's command start ipykernel on the Python running this server?"""
    if not argv or not any("ipykernel" in a for a in argv):
        return False
    exe = argv[0]
    # jupyter_client starts "python"/"python3"/"python3.11" kernels with the server's interpreter
    if exe in ("python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        return True
    try:
        return os.path.realpath(exe) == os.path.realpath(sys.executable)
    except (OSError, ValueError):  # pragma: no cover
        return False


def language_infos(kernel_spec_manager) -> dict[str, dict]:
    """``{kernel name: language_info}`` for the kernels that run this server's Python.

    The value is ipykernel's own ``IPythonKernel.language_info``: exactly what such a kernel
    reports to JupyterLab.
    """
    try:
        from ipykernel.ipkernel import IPythonKernel
    except ImportError:  # pragma: no cover - no ipykernel: nothing to fill
        return {}
    info = json.loads(json.dumps(IPythonKernel.language_info))
    out = {}
    for name, entry in kernel_spec_manager.get_all_specs().items():
        if _runs_this_python(list(entry.get("spec", {}).get("argv", []))):
            out[name] = info
    return out


def _has_outputs(nb: dict) -> bool:
    return any(cell.get("outputs") or cell.get("execution_count") is not None
               for cell in nb.get("cells", []) if cell.get("cell_type") == "code")


def fill_language_info(model: dict, infos: dict[str, dict]) -> dict:
    """Add ``language_info`` to a notebook model that has none (its kernel known); returns it."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return model
    meta = model["content"].setdefault("metadata", {})
    kernel = (meta.get("kernelspec") or {}).get("name")
    if "language_info" not in meta and kernel in infos:
        meta["language_info"] = json.loads(json.dumps(infos[kernel]))
    return model


def strip_language_info(model: dict, infos: dict[str, dict], *, on_disk: dict | None) -> dict:
    """Take out the filled-in ``language_info`` before a notebook without outputs is saved.

    Only when the file being replaced (``on_disk``, its metadata; None for a new file)
    has no ``language_info`` either and the model's is exactly what would be filled in.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return model
    nb = model["content"]
    meta = nb.get("metadata", {})
    kernel = (meta.get("kernelspec") or {}).get("name")
    if (kernel in infos and meta.get("language_info") == infos[kernel] and not _has_outputs(nb)
            and on_disk is not None and "language_info" not in on_disk):
        del meta["language_info"]
    return model


def _metadata_on_disk(contents_manager, path: str) -> dict | None:
    try:
        os_path = contents_manager._get_os_path(path)
        with open(os_path, encoding="utf-8") as fh:
            return json.load(fh).get("metadata", {})
    except (AttributeError, OSError, ValueError):
        return None


def _install(serverapp, cm, infos) -> None:
    """Wrap ``cm.get`` (fill in) and register the pre-save hook (take out) on ``cm``."""
    if getattr(cm.get, "_cchc_language_info", False):
        return
    original = cm.get
    if inspect.iscoroutinefunction(original):
        async def get(path, content=True, type=None, format=None, **kwargs):  # noqa: A002 - the API's names
            model = await original(path, content=content, type=type, format=format, **kwargs)
            return fill_language_info(model, infos()) if content else model
    else:
        def get(path, content=True, type=None, format=None, **kwargs):  # noqa: A002
            model = original(path, content=content, type=type, format=format, **kwargs)
            return fill_language_info(model, infos()) if content else model

    get._cchc_language_info = True  # type: ignore[attr-defined]
    cm.get = get

    def pre_save(model, path, contents_manager, **kwargs):
        if model.get("type") == "notebook":
            strip_language_info(model, infos(), on_disk=_metadata_on_disk(contents_manager, path))

    cm.register_pre_save_hook(pre_save)
    serverapp.log.info("cchc_analysis: notebooks without language_info open unmodified (%s)", type(cm).__name__)


def _load_jupyter_server_extension(serverapp) -> None:
    cache: dict[str, Any] = {}

    def infos() -> dict[str, dict]:
        if "infos" not in cache:
            cache["infos"] = language_infos(serverapp.kernel_spec_manager)
        return cache["infos"]

    # Other extensions (jupytext) replace the contents manager while extensions load, so wrap
    # the one in use once they all have: the first callback of the loop, before any request.
    serverapp.io_loop.add_callback(lambda: _install(serverapp, serverapp.contents_manager, infos))
