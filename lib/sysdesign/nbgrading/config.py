"""The grading rules every grading path shares: ``sysdesign check``, ``sysdesign autograde``, the
``nbgrader`` command run from the repository (``nbgrader_config.py``) and the hub's instructor
config (written by ``deploy/hub.py``). All of them call :func:`grading_rules` on their config.

- 10 s per cell: an endless loop costs that much, then grading goes on;
- :class:`~sysdesign.nbgrading.sandbox.SandboxedKernelManager`: each grading kernel runs in a bubblewrap
  sandbox (no course files, no network) with limits on heap, CPU time, file size and processes;
- :class:`~sysdesign.nbgrading.feedback.HideHiddenTests`: feedback pages show no hidden test code;
- :class:`StrictTestOutputs`: test cells earn no "partial credit" from a value they show;
- :class:`~sysdesign.nbgrading.kernelpool.PooledExecute`: the next notebook's kernel boots while
  the current one runs (each kernel still runs one notebook);
- one compiled schema for cell metadata (:func:`~sysdesign.nbgrading.patches.fast_metadata_validation`);
- ``zip_collect`` reads files named ``<student>_<notebook>.ipynb`` and Canvas's download names, and
  gives each submission a timestamp (:class:`~sysdesign.nbgrading.collect.TimestampedCollector`);
- a written answer graded by a person stays graded when autograded again with the same text
  (:class:`~sysdesign.nbgrading.manual.KeepManualGrades`);
- ``release_feedback`` adds missing timestamps and refuses while written answers wait
  (:class:`~sysdesign.nbgrading.release.GuardedReleaseFeedback`);
- a late penalty of ``LatePenalty.percent_per_day`` per started day (0 unless the course sets it,
  :class:`~sysdesign.nbgrading.deadlines.LatePenalty`).

This module imports nbgrader (2-3 s); it is loaded with the config, when nbgrader is about to run.
"""

from __future__ import annotations

from typing import Any

from nbgrader import utils
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, SaveAutoGrades

from sysdesign.nbgrading.collect import TimestampedCollector
from sysdesign.nbgrading.deadlines import LatePenalty
from sysdesign.nbgrading.feedback import feedback_rules
from sysdesign.nbgrading.kernelpool import PooledExecute
from sysdesign.nbgrading.manual import KeepManualGrades
from sysdesign.nbgrading.patches import fast_metadata_validation
from sysdesign.nbgrading.sandbox import sandbox_rules


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
    """nbgrader's autograde steps with :class:`StrictTestOutputs` inserted before the scores are saved,
    notebooks run on kernels launched one ahead (:class:`~sysdesign.nbgrading.kernelpool.PooledExecute`)
    and written answers graded by a person kept (:class:`~sysdesign.nbgrading.manual.KeepManualGrades`)."""
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    if StrictTestOutputs not in steps:
        at = steps.index(SaveAutoGrades) if SaveAutoGrades in steps else len(steps) - 1
        steps.insert(at, StrictTestOutputs)
    swap = {SaveAutoGrades: KeepManualGrades, Execute: PooledExecute}
    return [swap.get(step, step) for step in steps]


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
    c.ZipCollectApp.collector_plugin = TimestampedCollector
    c.AssignLatePenalties.plugin_class = LatePenalty  # c.LatePenalty.percent_per_day: 0 unless set
    c.ExchangeFactory.release_feedback = "sysdesign.nbgrading.release.GuardedReleaseFeedback"
    fast_metadata_validation()
