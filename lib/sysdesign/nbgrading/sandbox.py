"""A sandbox around every grading kernel: bubblewrap (``bwrap``) plus resource limits (``prlimit``).

A submission's code runs in its grading kernel with the grader's rights unless something stops
it: nbgrader itself does not ("Does nbgrader protect against unsafe code? Not directly", its FAQ).
:class:`SandboxedKernelManager` starts each kernel inside a bubblewrap sandbox (Linux user
namespaces, no daemon, a few milliseconds per start) in which the kernel sees only

- the Python environment (the venv and the base Python it points to), read-only;
- the ``sysdesign`` package folder, read-only (``grading.fresh`` reads the library's files);
- its own notebook's working folder, read-only (the autograded copy and any files next to it);
- a private, size-capped ``/tmp`` (its ``HOME`` too), a private ``/proc`` and a minimal ``/dev``;
- one private folder holding its connection file and its IPC sockets (the grader talks to the
  kernel over Unix sockets, which work across network namespaces);

and nothing of the course folder (``solutions/``, ``source/``, ``gradebook.db``), other
submissions, or the grader's home. It has its own, empty network namespace (no network at all),
its own PID, IPC and UTS namespaces, and dies with the grader. ``prlimit`` caps its heap, CPU
time, file size and number of processes.

Where bubblewrap or user namespaces are missing, a kernel refuses to start
(:class:`SandboxUnavailable`, naming the fix) unless the sandbox is switched off explicitly:
``SYSDESIGN_UNSANDBOXED=1`` in the environment or ``c.SandboxedKernelManager.sandbox = "off"``;
each kernel started that way logs a warning. ``"prefer"`` (what ``sysdesign check`` uses for a
learner's own notebook on their own machine, macOS and Windows included) runs unsandboxed where
no sandbox exists and records it in :data:`UNSANDBOXED`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Enum, Int, default

try:
    import fcntl
except ImportError:  # Windows (a learner's `sysdesign check`): no sandbox, folders removed as they end
    fcntl = None  # type: ignore[assignment]

OPT_OUT_ENV = "SYSDESIGN_UNSANDBOXED"
"""Environment variable: ``1`` grades without a sandbox where none is available (the instructor's opt-out)."""

MEMORY_BYTES = 2 * 1024**3
"""Heap limit of a grading kernel (bytes): a memory bomb raises ``MemoryError`` in its cell instead of
starving the machine. Python with pandas, numpy and plotly loaded needs about 200 MB."""
CPU_SECONDS = 300
"""CPU time of one grading kernel over the whole notebook (s); the kernel is killed beyond it. The
per-cell timeout (10 s) interrupts a long cell first; a notebook of this course needs under 20 s."""
FILE_BYTES = 64 * 1024**2
"""Largest file a grading kernel may write (bytes)."""
PROCESSES = 256
"""Processes and threads of the grading user (``RLIMIT_NPROC``; Linux does not apply it to root)."""
TMP_BYTES = 256 * 1024**2
"""Size of the kernel's private ``/tmp`` (bytes; it lives in memory)."""

UNSANDBOXED: list[str] = []
"""One line per kernel this process started without a sandbox (why), for reports."""

_FIX = (
    "Install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install "
    "bubblewrap`) and allow unprivileged user namespaces (`sudo sysctl -w "
    "kernel.unprivileged_userns_clone=1`; on Ubuntu 24.04+ also `sudo sysctl -w "
    "kernel.apparmor_restrict_unprivileged_userns=0`)"
)
_OPT_OUT = (
    f"To grade without a sandbox anyway (student code then runs with your rights and can read "
    f"solutions and the gradebook), set {OPT_OUT_ENV}=1 or c.SandboxedKernelManager.sandbox = 'off'."
)
_PROBED: dict[str, str | None] = {}


class SandboxUnavailable(RuntimeError):
    """No sandbox can be made on this machine; the message names the fix and the opt-out."""


def unavailable_reason() -> str | None:
    """Why no grading sandbox can be made here (``None``: bubblewrap works). Probed once per process."""
    if "reason" not in _PROBED:
        _PROBED["reason"] = _probe()
    return _PROBED["reason"]


def _probe() -> str | None:
    if not sys.platform.startswith("linux"):
        return f"bubblewrap sandboxes need Linux (this is {sys.platform})"
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    true = shutil.which("true") or "/bin/true"
    with tempfile.TemporaryDirectory(prefix="sysdesign-probe-") as private:
        try:  # the very command line a grading kernel gets, around `true`
            cmd = command([true], workdir=None, private=private)
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired, SandboxUnavailable) as exc:
            return f"bubblewrap does not start: {exc}"
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[:200] or f"exit status {done.returncode}"
        return (
            f"bubblewrap cannot create a sandbox ({detail}): user namespaces are switched off, "
            "or bubblewrap is older than 0.8"
        )
    return None


def require() -> None:
    """Raise :class:`SandboxUnavailable` (naming the fix and the opt-out) unless a sandbox can be made."""
    reason = unavailable_reason()
    if reason:
        raise SandboxUnavailable(f"cannot sandbox the grading kernels: {reason}. {_FIX}. {_OPT_OUT}")


def instructor_sandbox() -> str | None:
    """Before an instructor grades: ``None`` when kernels will be sandboxed, the warning to print when
    the instructor opted out (:data:`OPT_OUT_ENV`); raises :class:`SandboxUnavailable` otherwise."""
    if opted_out():
        return (
            f"WARNING: grading without a sandbox ({OPT_OUT_ENV}=1): submissions run with your rights "
            "and can read solutions, the gradebook and other submissions"
        )
    require()
    return None


LEARNER_NOTE = "note: graded without a sandbox ({why}); fine for your own notebook on your own machine"
"""What ``sysdesign check`` prints once when a learner's notebook ran unsandboxed."""


def opted_out() -> bool:
    """True when the environment says to grade without a sandbox (``SYSDESIGN_UNSANDBOXED=1``)."""
    return os.environ.get(OPT_OUT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _system_mounts() -> list[str]:
    """``/usr`` read-only and the top-level links or folders into it (``/lib``, ``/bin``...)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("/etc/ld.so.cache", "/etc/localtime"):
        if os.path.exists(name):
            args += ["--ro-bind", name, name]
    return args


def environment_paths() -> list[str]:
    """Folders the kernel reads: the Python environment and the ``sysdesign`` package, outermost first."""
    import sysdesign

    found = {
        os.path.realpath(p)
        for p in (sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix)
        if p and os.path.isdir(p)
    }
    found.add(os.path.realpath(os.path.dirname(sysdesign.__file__)))
    found.add(os.path.dirname(os.path.realpath(sys.executable)))
    # Inner folders (the package inside the venv) are already visible through their outer one.
    kept = [p for p in sorted(found) if not any(_inside(p, q) for q in found if q != p)]
    return kept


def _inside(path: str, folder: str) -> bool:
    """True when ``path`` is ``folder`` or lies under it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def exposed(folders: list[str], protected: list[str]) -> str | None:
    """Why a folder of ``protected`` (the course root) would be visible through one of ``folders``
    bound in a sandbox, or None when none is."""
    for folder in folders:
        for secret in protected:
            if secret and _inside(os.path.realpath(secret), folder):
                return (
                    f"the grading sandbox would expose {secret} through {folder}; move the Python "
                    "environment or the notebook out of the course folder"
                )
    return None


def command(
    cmd: list[str],
    *,
    workdir: str | None,
    private: str,
    protected: list[str] = (),  # type: ignore[assignment]
    memory_bytes: int = MEMORY_BYTES,
    cpu_seconds: int = CPU_SECONDS,
    file_bytes: int = FILE_BYTES,
    processes: int = PROCESSES,
    tmp_bytes: int = TMP_BYTES,
) -> list[str]:
    """``cmd`` wrapped in ``prlimit`` and ``bwrap`` (see the module docstring).

    ``workdir`` is bound read-only and becomes the current folder (``None``: ``private``);
    ``private`` (connection file, IPC sockets) is bound read-write. A folder in ``protected`` (the
    course root) must not become visible: a working folder or environment folder that contains one
    is refused with :class:`SandboxUnavailable`.
    """
    tool = shutil.which("bwrap")
    if tool is None:
        require()
    here = os.path.realpath(workdir) if workdir else private
    if here != private and _inside(os.path.realpath(private), here):
        raise SandboxUnavailable(
            f"the notebook's folder {here} holds the temporary folder; grade it from a folder of its own"
        )
    env_paths = environment_paths()
    problem = exposed([*env_paths, here], protected)
    if problem:
        raise SandboxUnavailable(problem)
    # The kernel starts in ``here``: a program named by a relative path (``../../.venv/bin/python``)
    # would not be found there. abspath, not realpath: a venv's python is a symlink that must stay
    # inside the venv to find its pyvenv.cfg.
    cmd = [os.path.abspath(cmd[0]) if os.sep in cmd[0] else cmd[0], *cmd[1:]]
    args = [str(tool), *_system_mounts()]
    for path in env_paths:
        args += ["--ro-bind", path, path]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(tmp_bytes), "--tmpfs", "/tmp"]
    if here != private:
        args += ["--ro-bind", here, here]
    args += ["--bind", private, private, "--chdir", here]
    args += ["--remount-ro", "/"]  # the folders bwrap made for the mount points cannot be written either
    args += ["--unshare-all", "--unshare-net", "--die-with-parent", "--clearenv"]
    for key, value in _kernel_env(env_paths).items():
        args += ["--setenv", key, value]
    limits = [
        f"--data={memory_bytes}",
        f"--cpu={cpu_seconds}",
        f"--fsize={file_bytes}",
        f"--nproc={processes}",
    ]
    prlimit = shutil.which("prlimit")
    head = [prlimit, *[x for x in limits if not x.endswith("=0")], "--"] if prlimit else []
    return [*head, *args, "--", *cmd]


_PASSED_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "PYDEVD_DISABLE_FILE_VALIDATION")


def _kernel_env(env_paths: list[str]) -> dict[str, str]:
    """The kernel's environment: a few of the grader's variables, everything else under ``/tmp``."""
    env = {k: os.environ[k] for k in _PASSED_ENV if k in os.environ}
    bin_dir = os.path.dirname(os.path.abspath(sys.executable))
    env.update(
        PATH=os.pathsep.join([bin_dir, "/usr/local/bin", "/usr/bin", "/bin"]),
        HOME="/tmp",
        TMPDIR="/tmp",
        IPYTHONDIR="/tmp/.ipython",
        JUPYTER_CONFIG_DIR="/tmp/.jupyter",
        JUPYTER_DATA_DIR="/tmp/.local/share/jupyter",
        JUPYTER_RUNTIME_DIR="/tmp/.jupyter-runtime",
        MPLCONFIGDIR="/tmp/.matplotlib",
        JPY_PARENT_PID="1",  # the kernel's parent is the sandbox's init: no parent poller, no console note
        SYSDESIGN_SANDBOXED="1",
    )
    return env


PRIVATE_PREFIX = "sysdesign-kernel-"
"""Name prefix of a kernel's private folder in the temporary folder; ``<folder>.owner`` next to it is
locked (``flock``) by the grading process for as long as the folder is in use."""


def _claim_private_folder() -> tuple[str, int]:
    """A new private folder and the open file locking it (folders whose owner died are removed first).

    The lock lives next to the folder, where the sandboxed kernel cannot reach it, and the operating
    system releases it when its process ends, however it ends: a grading process killed with
    SIGKILL (a Dask worker, a server shut down) leaves its folders to the next process that claims one.
    """
    folder = tempfile.mkdtemp(prefix=PRIVATE_PREFIX)
    if fcntl is None:
        return folder, -1
    remove_abandoned_private_folders()
    pending = f"{folder}.claiming"
    fd = os.open(pending, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.rename(pending, f"{folder}.owner")  # locked before its name appears: no sweeper takes it
    return folder, fd


def remove_abandoned_private_folders(parent: str | None = None) -> list[str]:
    """Remove the private folders (in ``parent``, default the temporary folder) whose owner has ended;
    returns them."""
    removed: list[str] = []
    if fcntl is None:
        return removed
    for owner in glob.glob(os.path.join(parent or tempfile.gettempdir(), f"{PRIVATE_PREFIX}*.owner")):
        try:
            fd = os.open(owner, os.O_RDWR)
        except OSError:
            continue  # removed meanwhile by another process
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # in use
            continue
        folder = owner.removesuffix(".owner")
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):  # its owner removed it just before it ended
            os.unlink(owner)
        os.close(fd)
        removed.append(folder)
    return removed


class SandboxedKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """Starts each grading kernel in the sandbox (module docstring), over IPC sockets in a private folder.

    Kernels talk over Unix sockets rather than TCP ports: grading processes side by side
    (``sysdesign autograde --jobs 2``) otherwise race for the same free port, and a sandboxed
    kernel has no network to open a port on. ``prlimit`` and ``bwrap`` replace nothing of the
    kernel protocol: interrupting and killing the kernel work as before.
    """

    sandbox = Enum(
        ["require", "prefer", "off"],
        "require",
        help="require: refuse to grade without a sandbox; prefer: sandbox where possible; off: never",
    ).tag(config=True)
    memory_bytes = Int(MEMORY_BYTES, help="heap limit of a grading kernel, bytes (0: none)").tag(config=True)
    cpu_seconds = Int(CPU_SECONDS, help="CPU time limit of a grading kernel, s (0: none)").tag(config=True)
    file_bytes = Int(FILE_BYTES, help="largest file a grading kernel may write, bytes (0: none)").tag(
        config=True
    )
    processes = Int(PROCESSES, help="process limit of the grading user (0: none)").tag(config=True)
    tmp_bytes = Int(TMP_BYTES, help="size of the kernel's private /tmp, bytes").tag(config=True)

    _private: str = ""
    _private_lock: int = -1

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    def _private_folder(self) -> str:
        if not self._private or not os.path.isdir(self._private):
            self._release_private_folder()
            self._private, self._private_lock = _claim_private_folder()
        return self._private

    def _release_private_folder(self) -> None:
        if self._private:
            shutil.rmtree(self._private, ignore_errors=True)
            if self._private_lock >= 0:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self._private}.owner")
                os.close(self._private_lock)
        self._private, self._private_lock = "", -1

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport != "ipc":
            return "127.0.0.1"
        return os.path.join(self._private_folder(), "ipc")

    @default("connection_file")
    def _default_connection_file(self) -> str:
        return os.path.join(self._private_folder(), "kernel.json")

    @property
    def kernel_spec(self) -> Any:
        """The kernel's spec, interrupted by a message: a SIGINT to the process group would reach
        ``bwrap`` itself, which ends the sandbox and the kernel with it."""
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
        return spec

    def _mode(self) -> str:
        """``sandbox`` or why not (``unsandboxed: ...``), raising when the sandbox is required."""
        if self.sandbox == "off" or (opted_out() and self.sandbox == "require"):
            return "unsandboxed: switched off by the instructor"
        reason = unavailable_reason()
        if reason is None:
            return "sandbox"
        if self.sandbox == "prefer":
            return f"unsandboxed: {reason}"
        require()
        return "sandbox"  # not reached

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd: list[str] = super().format_kernel_cmd(extra_arguments)
        mode = self._mode()
        if mode == "sandbox":
            course = self.config.CourseDirectory.get("root") if "CourseDirectory" in self.config else None
            cwd = (self._launch_args or {}).get("cwd")
            try:
                return command(
                    cmd,
                    workdir=str(cwd) if cwd else None,
                    private=self._private_folder(),
                    protected=[str(course)] if course else [],
                    memory_bytes=self.memory_bytes,
                    cpu_seconds=self.cpu_seconds,
                    file_bytes=self.file_bytes,
                    processes=self.processes,
                    tmp_bytes=self.tmp_bytes,
                )
            except SandboxUnavailable as exc:
                if self.sandbox != "prefer":
                    raise
                mode = f"unsandboxed: {exc}"
        UNSANDBOXED.append(mode)
        self.log.warning("GRADING WITHOUT A SANDBOX (%s): student code runs with your rights", mode)
        tool = shutil.which("prlimit")
        return [tool, f"--data={self.memory_bytes}", "--", *cmd] if tool and self.memory_bytes else cmd

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._release_private_folder()

    async def cleanup_resources(self, restart: bool = False) -> None:  # type: ignore[override]
        """What nbclient calls after a kernel died (``os._exit``): remove the private folder too."""
        await self._async_cleanup_resources(restart=restart)


def sandbox_rules(c: Any, *, mode: str | None = None) -> None:
    """Set :class:`SandboxedKernelManager` as the grading kernel manager of nbgrader config ``c``.

    ``mode`` (``"require"``, ``"prefer"``, ``"off"``) overrides the default ``"require"``.
    """
    c.Execute.kernel_manager_class = SandboxedKernelManager
    if mode is not None:
        c.SandboxedKernelManager.sandbox = mode
