"""The grading rules every grading path shares: ``sysdesign check``, ``sysdesign autograde``, the
``nbgrader`` command run from the repository (``nbgrader_config.py``) and the hub's instructor
config (written by ``deploy/hub.py``). All of them call :func:`grading_rules` on their config.

- 10 s per cell: an endless loop costs that much, then grading goes on;
- :class:`~sysdesign.nbgrading.sandbox.SandboxedKernelManager`: each grading kernel runs in a bubblewrap
  sandbox (no course files, no network) with limits on heap, CPU time, file size and processes;
- :class:`~sysdesign.nbgrading.feedback.HideHiddenTests`: feedback pages show no hidden test code;
- :class:`StrictTestOutputs`: test cells earn no "partial credit" from a value they show;
- one compiled schema for cell metadata (:func:`~sysdesign.nbgrading.patches.fast_metadata_validation`);
- ``zip_collect`` reads files named ``<student>_<notebook>.ipynb``.

This module imports nbgrader (2-3 s); it is loaded with the config, when nbgrader is about to run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbgrader import utils
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from traitlets import Int, default

from sysdesign.nbgrading.feedback import feedback_rules
from sysdesign.nbgrading.patches import fast_metadata_validation
from sysdesign.nbgrading.sandbox import sandbox_rules

GRADING_MEMORY_BYTES = 2 * 1024**3
"""Heap limit of a grading kernel (bytes): a memory bomb raises ``MemoryError`` in its cell instead of
starving the machine. Python with pandas, numpy and plotly loaded needs about 200 MB."""


class GradingKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """Starts each kernel under ``prlimit --data`` (``memory_bytes``, 0: no limit), over IPC sockets.

    ``prlimit`` (util-linux) replaces itself with the kernel, so interrupting and killing the
    kernel work as before; where it is missing the kernel starts without a limit. Kernels talk over
    Unix sockets in the temporary folder rather than TCP ports: grading processes side by side
    (``sysdesign autograde --jobs 2``) otherwise race for the same free port, and a kernel that
    loses the race has no heartbeat.
    """

    memory_bytes = Int(GRADING_MEMORY_BYTES, help="heap limit of a grading kernel, bytes").tag(config=True)

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport != "ipc":
            return "127.0.0.1"
        return os.path.join(tempfile.gettempdir(), f"sysdesign-kernel-{uuid.uuid4().hex[:12]}-ipc")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd: list[str] = super().format_kernel_cmd(extra_arguments)
        tool = shutil.which("prlimit")
        if tool and self.memory_bytes > 0:
            return [tool, f"--data={self.memory_bytes}", "--", *cmd]
        return cmd


class StrictTestOutputs(NbGraderPreprocessor):  # type: ignore[misc]
    """Remove ``execute_result`` outputs from autograded test cells (no partial credit).

    nbgrader reads a value a test cell shows (an ``execute_result``) as partial credit, and a
    value it cannot read as a number as *full* credit, and it checks that output before the
    error that follows it. So an answer function that calls ``sys.displayhook(2)`` before
    failing would score full marks, and one showing a number above the cell's points stops the
    grading of the whole notebook. Test cells of this course never show a value (the
    ``grading`` helpers return None), so this step removes such outputs from test cells before
    the scores are saved; the cell's error, if any, then counts.
    """

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            kept = [o for o in cell.outputs if o.output_type != "execute_result"]
            if len(kept) != len(cell.outputs):
                self.log.warning(
                    "Test cell %s showed a value; ignored it (no partial credit)",
                    cell.metadata["nbgrader"].get("grade_id"),
                )
                cell.outputs = kept
        return cell, resources


def autograde_preprocessors() -> list[type]:
    """nbgrader's autograde steps with :class:`StrictTestOutputs` inserted before the scores are saved."""
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    if StrictTestOutputs not in steps:
        at = steps.index(SaveAutoGrades) if SaveAutoGrades in steps else len(steps) - 1
        steps.insert(at, StrictTestOutputs)
    return steps


def grading_rules(c: Any) -> None:
    """Apply the course's grading settings (listed in this module's docstring) to an nbgrader config ``c``."""
    c.Execute.timeout = 10
    c.Execute.interrupt_on_timeout = True
    sandbox_rules(c)  # every grading kernel in a bubblewrap sandbox (sysdesign.nbgrading.sandbox)
    feedback_rules(c)  # feedback pages show no hidden test code (sysdesign.nbgrading.feedback)
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.GenerateAssignment.create_assignment = True
    c.Autograde.autograde_preprocessors = autograde_preprocessors()
    c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^_/]+)_(?P<file_id>[^/]+\.ipynb)$"
    fast_metadata_validation()
