"""Kernels for the batch runner: the kernel zygote that forks pre-warmed kernels, and fallbacks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Mapping, Sequence

from .plan import _KERNEL_PRELOADS, _PKG_ROOT, DEFAULT_WARM_IMPORTS

# --------------------------------------------------------------------------- kernels


def _kernel_env() -> dict[str, str]:
    """Environment for kernels: this interpreter's package root first on PYTHONPATH."""
    env = dict(os.environ)
    path = [str(_PKG_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(_PKG_ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(path)
    # figures must reach the report: the inline backend even when the caller's environment
    # says MPLBACKEND=Agg (CI, headless sessions, a test suite's conftest)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # as the papermill CLI does
    env.pop("JPY_PARENT_PID", None)
    return env


def _own_kernel_spec():
    """The current interpreter's ipykernel, whatever kernelspecs are (not) installed."""
    from jupyter_client.kernelspec import KernelSpec

    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (cchc-analysis)",
        language="python",
        metadata={"debugger": True},
    )


class _ForkedProcess:
    """Popen look-alike for a kernel forked by the zygote (not our child: polled by pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # pragma: no cover - pid reused by another user
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                import subprocess

                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelZygote:
    """A process that has imported ipykernel and ``warm_imports`` and forks fresh kernels.

    One zygote serves every worker of a batch through a Unix socket.  Each fork is a new
    kernel process: nothing runs in the zygote but imports, so no notebook state can be
    shared between runs.  Start it early (it imports while the batch is planned) and pass
    it to :func:`run_batch`; close it after.

    Parameters
    ----------
    cwd : working directory of the kernels (the notebook's folder).
    warm_imports : modules imported in advance; a failing one is skipped.
    """

    def __init__(self, cwd: str | os.PathLike, warm_imports: Sequence[str] = DEFAULT_WARM_IMPORTS):
        import subprocess
        import tempfile

        self.cwd = str(Path(cwd).resolve())
        self.warm_imports = tuple(warm_imports)
        self._dir = tempfile.mkdtemp(prefix="cchc-zygote-")
        self.socket_path = os.path.join(self._dir, "fork.sock")
        code = "from cchc_analysis.report.kernels import _zygote_main; _zygote_main()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, self.socket_path, *self.warm_imports],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self.cwd, env=_kernel_env(),
        )
        self.ready: dict | None = None

    def wait_ready(self) -> dict:
        """Block until the imports are done; returns ``{"ready": True, "failed": [...]}``."""
        if self.ready is None:
            line = self.proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                raise RuntimeError(f"kernel zygote exited (code {self.proc.poll()})")
            self.ready = json.loads(line)
        return self.ready

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "KernelZygote":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _ZygoteClient:
    """A worker's connection to the zygote."""

    def __init__(self, socket_path: str):
        import socket

        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        end = time.monotonic() + 30
        while True:
            try:
                self.sock.connect(socket_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > end:
                    raise
                time.sleep(0.02)
        self.file = self.sock.makefile("rwb")

    def fork(self, args: list[str], cwd: str, env: Mapping[str, str]) -> int:
        self.file.write((json.dumps({"args": args, "cwd": cwd, "env": dict(env)}) + "\n").encode())
        self.file.flush()
        line = self.file.readline()
        if not line:
            raise RuntimeError("kernel zygote closed the connection")
        reply = json.loads(line)
        if "pid" not in reply:
            raise RuntimeError(f"kernel zygote could not fork: {reply.get('error')}")
        return int(reply["pid"])

    def close(self) -> None:
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


def _zygote_main() -> None:  # runs in the zygote process
    """Listen, import ipykernel and the warm modules, then fork a kernel per request line."""
    import selectors
    import socket

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's business
    proto_out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints of imported modules must not corrupt the protocol
    path, warm = sys.argv[1], sys.argv[2:]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)  # before importing: workers may connect and wait
    listener.listen(64)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython puts "" back
    failed = []
    import importlib

    import ipykernel.kernelapp  # noqa: F401

    for name in _KERNEL_PRELOADS:  # loaded by every kernel before its first cell anyway
        try:
            importlib.import_module(name)
        except Exception:
            pass
    for name in warm:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a warm import is an optimisation only
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    proto_out.write(json.dumps({"ready": True, "failed": failed, "pid": os.getpid()}) + "\n")
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(sys.stdin.buffer, selectors.EVENT_READ, "stdin")
    clients: dict = {}
    while True:
        for key, _ in sel.select():
            if key.data == "stdin":
                if not os.read(sys.stdin.fileno(), 1024):  # the runner is gone or done
                    listener.close()
                    os.unlink(path)
                    os._exit(0)  # skip finalising pandas, matplotlib, ... (nothing to flush)
                continue
            if key.data == "accept":
                conn, _ = listener.accept()
                clients[conn] = conn.makefile("rwb")
                sel.register(conn, selectors.EVENT_READ, "client")
                continue
            conn = key.fileobj
            fh = clients[conn]
            line = fh.readline()
            if not line:
                sel.unregister(conn)
                fh.close()
                conn.close()
                del clients[conn]
                continue
            try:
                req = json.loads(line)
                pid = os.fork()
            except Exception as exc:
                fh.write((json.dumps({"error": repr(exc)}) + "\n").encode())
                fh.flush()
                continue
            if pid == 0:
                code = 1
                try:
                    sel.close()
                    listener.close()
                    for c, f in clients.items():
                        f.close()
                        c.close()
                    proto_out.close()
                    _zygote_child(req)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 0
                except BaseException:
                    import traceback

                    traceback.print_exc()
                finally:
                    try:
                        sys.stdout.flush()
                        sys.stderr.flush()
                    finally:
                        os._exit(code)
            fh.write((json.dumps({"pid": pid}) + "\n").encode())
            fh.flush()


def _zygote_child(req: dict) -> None:
    os.setsid()  # own process group, like jupyter_client's launcher: interrupts reach only it
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(fd, 0)
    os.close(fd)
    os.chdir(req["cwd"])
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel exits if the zygote dies
    if "numpy" in sys.modules:  # the legacy global RNG was seeded in the zygote
        sys.modules["numpy"].random.seed()
    import ipykernel_launcher  # noqa: F401  (cheap; gives the usual argv[0])
    from ipykernel import kernelapp

    args = [*req["args"], f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = [ipykernel_launcher.__file__, *args]
    app = kernelapp.IPKernelApp.instance()  # what launch_new_instance does, plus one step
    app.initialize(args)
    # matplotlib_inline hooks itself into IPython when it is imported; in the zygote there
    # was no IPython yet, so do now what its import does in an ordinary kernel.
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None and hasattr(inline, "_enable_matplotlib_integration"):
        inline._enable_matplotlib_integration()
    app.start()


async def _wait_ready(km, kc, timeout: float) -> None:
    """kernel_info answered on shell and IOPub subscribed (ipykernel's iopub_welcome).

    Like :meth:`jupyter_client.KernelClient.wait_for_ready` without its fixed 0.2 s IOPub
    poll; falls back to it for kernels that send no welcome message.
    """
    from queue import Empty

    end = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            msg = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            msg = None
        if msg is not None and msg["msg_type"] == "kernel_info_reply":
            break
        if not await km.is_alive():
            raise RuntimeError("kernel died before replying to kernel_info")
        if time.monotonic() > end:
            raise RuntimeError(f"kernel did not reply to kernel_info in {timeout:g}s")
    try:
        await kc.iopub_channel.get_msg(timeout=min(2.0, max(end - time.monotonic(), 0.1)))
    except Empty:
        await kc.wait_for_ready(timeout=max(end - time.monotonic(), 1.0))


def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class CchcKernelManager(AsyncKernelManager):
        """The project's own interpreter; kernels forked by a zygote when one is given."""

        zygote: _ZygoteClient | None = None

        @property
        def kernel_spec(self):  # never look kernelspecs up: no NoSuchKernel, no foreign python3
            if self._kernel_spec is None:
                self._kernel_spec = _own_kernel_spec()
            return self._kernel_spec

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            zygote = self.zygote
            if zygote is None or kernel_cmd[:3] != [sys.executable, "-m", "ipykernel_launcher"]:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            prov = self.provisioner
            cwd = str(kw.get("cwd") or os.getcwd())
            pid = zygote.fork(kernel_cmd[3:], cwd, kw.get("env") or os.environ)
            prov.process = _ForkedProcess(pid)
            prov.pid = prov.pgid = pid
            prov.cwd = cwd
            self._reconcile_connection_info(prov.connection_info)

    return CchcKernelManager


