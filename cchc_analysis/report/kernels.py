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

# --------------------------------------------------------------------------- process hygiene

ZYGOTE_PREFIX = "cchc-zygote-"  # + the runner's pid: a temporary folder holding the zygote's socket
KERNEL_PREFIX = "cchc-k-"  # + the worker's pid: a kernel's connection file and IPC sockets
_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM, parent_pid: int | None = None) -> str:
    """Have the kernel send ``sig`` to this process when its parent dies.

    Linux: ``prctl(PR_SET_PDEATHSIG)`` through ctypes.  Elsewhere a daemon thread polls the
    parent's pid.  If the parent is already gone (``parent_pid`` given and not our parent
    any more), the signal is sent at once.  Returns the mechanism used.
    """
    how = "watchdog"
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0:
                how = "pdeathsig"
        except (OSError, AttributeError):
            pass
    if how == "watchdog":
        start_watchdog(os.getppid() if parent_pid is None else parent_pid, sig)
    if parent_pid is not None and os.getppid() != parent_pid:
        os.kill(os.getpid(), sig)  # the parent died before prctl took effect
    return how


def start_watchdog(pid: int, sig: int = signal.SIGKILL, interval: float = 0.5) -> None:
    """A daemon thread that sends ``sig`` to this process once ``pid`` has exited."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:  # pragma: no cover - pid reused by another user
                break
            if pid == os.getppid():
                continue
            try:  # a zombie child of someone else still answers kill(0): look at its state
                with open(f"/proc/{pid}/stat", "rb") as fh:
                    if fh.read().rsplit(b")", 1)[-1].split()[0] == b"Z":
                        break
            except OSError:
                pass
        os.kill(os.getpid(), sig)

    threading.Thread(target=watch, name="cchc-watchdog", daemon=True).start()


def _owner_alive(pid: int) -> bool:
    """``pid`` exists and is not a zombie."""
    if not _pid_alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cleanup_temp_files(tmpdir: str | None = None) -> list[str]:
    """Remove temporary files of runner processes that no longer exist.

    ``cchc-zygote-{pid}-*`` folders and ``cchc-k-{pid}-*`` kernel files (connection
    files and IPC sockets) in the temporary folder, whose pid is dead; a killed batch
    (SIGKILL of the whole process group) cannot remove them itself.  Returns the names
    removed.
    """
    import re
    import tempfile

    root = Path(tmpdir or tempfile.gettempdir())
    removed = []
    pattern = re.compile(rf"^(?:{re.escape(ZYGOTE_PREFIX)}|{re.escape(KERNEL_PREFIX)})(\d+)-")
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.match(entry.name)
        if not m or _pid_alive(int(m.group(1))):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            pass
    return removed


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
    # a batch started from a JupyterLab kernel must still write static tables (tables.show_table)
    env.pop("JPY_SESSION_NAME", None)
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
        cleanup_temp_files()
        self._dir = tempfile.mkdtemp(prefix=f"{ZYGOTE_PREFIX}{os.getpid()}-")
        self.socket_path = os.path.join(self._dir, "fork.sock")
        code = "from cchc_analysis.report.kernels import _zygote_main; _zygote_main()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(os.getpid()), self.socket_path, *self.warm_imports],
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


class ZygoteError(RuntimeError):
    """The kernel zygote is gone or refused a fork: use ordinary kernels."""


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
        request = {"args": args, "cwd": cwd, "env": dict(env), "owner": os.getpid()}
        try:
            self.file.write((json.dumps(request) + "\n").encode())
            self.file.flush()
            line = self.file.readline()
        except (OSError, ValueError) as exc:  # BrokenPipeError, ConnectionResetError, a closed file
            raise ZygoteError(f"kernel zygote is gone: {type(exc).__name__}: {exc}") from exc
        if not line:
            raise ZygoteError("kernel zygote closed the connection")
        try:
            reply = json.loads(line)
        except ValueError as exc:
            raise ZygoteError(f"kernel zygote sent {line[:80]!r}") from exc
        if "pid" not in reply:
            raise ZygoteError(f"kernel zygote could not fork: {reply.get('error')}")
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

    runner_pid, path, warm = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    folder = os.path.dirname(path)

    def leave(*_):  # the runner is gone: remove the socket's folder, exit (kernels follow: PDEATHSIG)
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)

    def on_term(*_):  # a signal to the whole process group is the runner's to handle
        if os.getppid() != runner_pid:
            leave()

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's business
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, on_term)
    die_with_parent(signal.SIGTERM, runner_pid)
    proto_out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints of imported modules must not corrupt the protocol
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
                    leave()  # skip finalising pandas, matplotlib, ... (nothing to flush)
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
                    _zygote_child(req, folder)
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


def _kernel_files(args: Sequence[str]) -> list[str]:
    """The connection file of a kernel started with ``args`` and, for IPC, its socket files."""
    if "-f" not in args or args.index("-f") + 1 >= len(args):
        return []
    conn = args[args.index("-f") + 1]
    files = [conn]
    try:
        with open(conn, encoding="utf-8") as fh:
            info = json.load(fh)
        if info.get("transport") == "ipc":
            files += [f"{info['ip']}-{info[k]}" for k in ("shell_port", "iopub_port", "stdin_port",
                                                           "control_port", "hb_port") if k in info]
    except (OSError, ValueError, KeyError):
        pass
    return files


def _zygote_child(req: dict, folder: str | None = None) -> None:
    os.setsid()  # own process group, like jupyter_client's launcher: interrupts reach only it
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    zygote_pid = os.getppid()
    owner = int(req.get("owner") or 0)
    files = _kernel_files(req["args"])

    def leave(*_):  # orphaned (zygote or worker gone) or terminated: remove our files, exit now
        remove_files()
        if folder and os.getppid() != zygote_pid:
            shutil.rmtree(folder, ignore_errors=True)  # the zygote died without cleaning up
        os._exit(143)

    def remove_files():  # also on an ordinary exit: the worker may be killed before it cleans up
        for f in files:
            try:
                os.unlink(f)
            except OSError:
                pass

    import atexit

    atexit.register(remove_files)
    signal.signal(signal.SIGTERM, leave)
    die_with_parent(signal.SIGTERM, zygote_pid)  # the zygote exits: so does every kernel it forked

    def watch():  # a worker killed alone leaves no kernel; backstop should SIGTERM not be handled
        while True:
            time.sleep(0.25)
            if os.getppid() != zygote_pid or (owner and not _owner_alive(owner)):
                leave()

    import threading

    threading.Thread(target=watch, name="cchc-kernel-watch", daemon=True).start()
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


_PRCTL = None


def _kernel_preexec() -> None:  # in the forked child before exec: no imports, no dlopen
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _load_prctl() -> None:
    """Look ``prctl`` up once in the parent, so the kernel's pre-exec hook only calls it."""
    global _PRCTL
    if _PRCTL is None and sys.platform.startswith("linux"):
        try:
            import ctypes

            _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            _PRCTL = None


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
                _load_prctl()
                if _PRCTL is not None and "preexec_fn" not in kw:
                    kw = {**kw, "preexec_fn": _kernel_preexec}  # the kernel dies with its worker
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            prov = self.provisioner
            cwd = str(kw.get("cwd") or os.getcwd())
            pid = zygote.fork(kernel_cmd[3:], cwd, kw.get("env") or os.environ)
            prov.process = _ForkedProcess(pid)
            prov.pid = prov.pgid = pid
            prov.cwd = cwd
            self._reconcile_connection_info(prov.connection_info)

    return CchcKernelManager


