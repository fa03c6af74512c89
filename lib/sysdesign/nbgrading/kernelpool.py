"""Grading kernels launched one notebook ahead, each still used for one notebook only.

Starting a grading kernel (bubblewrap, Python, ipykernel, then the notebook's first import of
``sysdesign.grading``) takes about 1.3 s, and nbgrader waits for it before every notebook. With
:class:`PooledExecute` as the autograde step that runs a notebook, the kernel for the *next* notebook
is launched as soon as the current one has its kernel, so it boots (and imports the library, with
``--IPKernelApp.exec_lines``) while the current notebook runs. The next notebook then finds its kernel
ready. Every kernel still serves exactly one notebook and is shut down after it, as before.

A kernel launched ahead does not yet know which notebook it will run, so it starts in a working
folder of its own (bound read-only in the sandbox, as the notebook's folder was); when it is handed
to a notebook, the files of that notebook's folder are copied into it. Kernels are kept per thread
(each thread's event loop owns its kernels' sockets) and per set-up (kernel manager class, its
configuration, kernel name and arguments), so a kernel is only handed to a notebook that would have
started the very same one. At most one kernel waits per set-up; it is stopped when the process
exits (and dies with the grading process in the sandbox, ``--die-with-parent``).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from nbgrader.preprocessors import Execute
from traitlets import Bool, Unicode

from sysdesign.nbgrading.sandbox import environment_paths, exposed, opted_out, unavailable_reason

# Run at kernel start, before any cell: the library the tests import is loaded while the kernel
# waits. No name is bound in the notebook's namespace; hidden tests reload the module anyway.
PRELOAD = "import sysdesign.grading; del sysdesign"
_HISTORY = "--HistoryManager.hist_file=:memory:"  # what nbclient passes to a kernel it starts

_waiting = threading.local()  # per thread: set-up key -> (kernel manager, its working folder)


def _setup_key(cls: type, config: Any, kernel_name: str, arguments: list[str]) -> str:
    """What decides how a kernel is started, as one string: the manager's class and its settings
    (its own config sections and its parents'), the kernel's name and arguments.

    The course folder is left out (a Dask worker grades each task in a new one); whether a waiting
    kernel would expose the current one is checked when it is handed over.
    """
    sections = {k.__name__: config[k.__name__] for k in cls.__mro__ if k.__name__ in config}
    settings = json.dumps(sections, sort_keys=True, default=repr)
    machine = (unavailable_reason(), opted_out())  # whether it would be sandboxed at all
    return f"{cls.__module__}.{cls.__qualname__}|{kernel_name}|{arguments}|{settings}|{machine}"


def _exposes_course(config: Any, workdir: str) -> bool:
    """True when the course folder of ``config`` is visible in a sandbox that binds ``workdir``."""
    root = config.CourseDirectory.get("root") if "CourseDirectory" in config else None
    return bool(root) and exposed([*environment_paths(), workdir], [str(root)]) is not None


def _stop(km: Any, workdir: str) -> None:
    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def waiting_kernels() -> int:
    """How many kernels this thread has launched ahead and not yet handed out."""
    return len(getattr(_waiting, "kernels", {}))


def stop_waiting_kernels() -> int:
    """Stop the kernels launched ahead by this thread; returns how many there were."""
    found = getattr(_waiting, "kernels", {})
    for km, workdir in found.values():
        _stop(km, workdir)
    count = len(found)
    found.clear()
    return count


atexit.register(stop_waiting_kernels)


class PooledExecute(Execute):  # type: ignore[misc]
    """nbgrader's Execute step, taking a kernel launched ahead and launching the next one."""

    launch_ahead = Bool(
        True, help="launch the next notebook's kernel while this one runs (one waiting kernel per set-up)"
    ).tag(config=True)
    workdir_parent = Unicode(
        "", help="folder for the kernels' working folders (empty: the system's temporary folder)"
    ).tag(config=True)

    _workdir = ""
    took_waiting_kernel = False  # whether the last notebook ran on a kernel launched ahead

    def _arguments(self) -> list[str]:
        arguments = list(self.extra_arguments)
        if not any(a.startswith("--HistoryManager.hist_file") for a in arguments):
            arguments.append(_HISTORY)
        return [*arguments, f"--IPKernelApp.exec_lines={PRELOAD}"]

    def _launch(self, arguments: list[str]) -> tuple[Any, str]:
        """A kernel started now in a fresh working folder: (its manager, the folder)."""
        km = super().create_kernel_manager()
        workdir = tempfile.mkdtemp(prefix="sysdesign-work-", dir=self.workdir_parent or None)
        try:
            run_sync(km.start_kernel)(cwd=workdir, extra_arguments=arguments)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        return km, workdir

    def create_kernel_manager(self) -> Any:
        """The kernel for this notebook, started; called by nbclient before it connects."""
        name: str = getattr(self, "kernel_name", "") or self.nb.metadata.get("kernelspec", {}).get("name", "")
        self.kernel_name = name
        arguments = self._arguments()
        key = _setup_key(self.kernel_manager_class, self.config, name, arguments)
        kernels: dict[str, tuple[Any, str]] = _waiting.__dict__.setdefault("kernels", {})
        ready = kernels.pop(key, None)
        if ready is not None and (
            not run_sync(ready[0].is_alive)() or _exposes_course(self.config, ready[1])
        ):
            _stop(*ready)
            ready = None
        self.took_waiting_kernel = ready is not None
        km, workdir = ready if ready is not None else self._launch(arguments)
        if self.launch_ahead:
            try:
                kernels[key] = self._launch(arguments)
            except Exception as exc:  # this notebook has its kernel; the next one will start its own
                self.log.warning("could not launch the next grading kernel ahead: %s", exc)
        here = (self.resources or {}).get("metadata", {}).get("path")
        if here and Path(here).is_dir():
            shutil.copytree(here, workdir, dirs_exist_ok=True, symlinks=True)
            os.chmod(workdir, 0o700)  # copytree gave it the notebook folder's mode
        self.km, self._workdir = km, workdir
        return km

    def preprocess(self, nb: Any, resources: Any = None, km: Any = None) -> Any:
        """Run the notebook (nbconvert's ExecutePreprocessor), then remove its kernel's working folder."""
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if self._workdir:
                shutil.rmtree(self._workdir, ignore_errors=True)
                self._workdir = ""
