"""The grading engine: runs nbgrader on this course's problem sets, for one learner or a whole class.

The ``sysdesign`` command (:mod:`sysdesign.cli`) is a thin layer of argparse and printing over
these modules, which ``scripts/release.py``, ``nbgrader_config.py``, the hub deployment, the tests
and the benchmarks also use:

``course``
    the course folder (:func:`~sysdesign.nbgrading.course.course_root`, the problem sets), the
    throw-away :class:`~sysdesign.nbgrading.course.TempCourse`, which problem set a notebook
    belongs to, the cached gradebook of ``sysdesign check``.
``config``
    the grading rules every grading path shares (:func:`~sysdesign.nbgrading.config.grading_rules`):
    time per cell, the answer stub, the sandbox, feedback without hidden tests, no partial credit
    from values that test cells show.
``sandbox``
    the kernel manager that runs each grading kernel in a bubblewrap sandbox with resource limits.
``kernelpool``
    nbgrader's Execute step with the next notebook's kernel launched (and the library imported)
    while the current notebook runs; each kernel still runs one notebook.
``feedback``
    feedback pages that show each test's result but none of the hidden tests' code.
``patches``
    three patches to nbgrader's internals that make a grading run seconds faster, and ``PATH``.
``parts``
    reading notebooks: the ``## Part X: title (N points)`` sections and the points of graded cells.
``report``
    a graded submission per part (:class:`~sysdesign.nbgrading.report.Report`) with a one-line
    reason for each failed test.
``check``
    ``sysdesign check``: grade a copy of one learner's notebook (:func:`~sysdesign.nbgrading.check.check`).
``classgrade``
    an instructor's class: autograding every submission in worker processes, the grades table.
``dask``
    an instructor's class on Dask distributed: workers grade in private temporary courses, the
    instructor's process alone writes the gradebook and ``autograded/``.

Nothing here imports nbgrader until it is needed, except :mod:`~sysdesign.nbgrading.config` and
:mod:`~sysdesign.nbgrading.feedback`, which nbgrader loads with its configuration anyway.
"""

from __future__ import annotations


class GradingError(Exception):
    """A notebook or course that cannot be graded; the message is one line for the learner."""


__all__ = ["GradingError"]
