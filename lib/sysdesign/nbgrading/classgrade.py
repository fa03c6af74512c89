"""An instructor's class: autograde every submission of a problem set, read the grades table.

Works on an nbgrader course folder laid out as nbgrader expects (``submitted/<student>/<set>/``,
the gradebook named in its ``nbgrader_config.py``). Each submission is graded on its own, in one or
more worker processes, and a bad one never stops the others: it is reported with the reason.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.course import TempCourse, course_root, identify, quiet_stderr
from sysdesign.nbgrading.parts import load_notebook
from sysdesign.nbgrading.patches import ensure_tools_on_path, skip_slow_imports
from sysdesign.nbgrading.report import autograde_failure
from sysdesign.nbgrading.sandbox import SandboxUnavailable, instructor_sandbox

if TYPE_CHECKING:
    import pandas as pd

MAX_JOBS = 64


class Graded(NamedTuple):
    """The outcome of autograding one submission."""

    student: str
    problem: str  # "" when graded, else why nbgrader could not grade it
    notes: str  # log lines (notebooks graded under their expected name), "" when none
    seconds: float = 0.0  # grading time on the worker (s), when known
    cpu: float = 0.0  # CPU seconds of the grading process and its kernels, when known (Dask)


def instructor_course(folder: Path | None = None) -> Path:
    """The course folder an instructor command works on: ``folder``, else the current folder when
    it holds ``nbgrader_config.py`` (nbgrader's own rule), else the repository."""
    if folder is not None:
        folder = folder.expanduser().resolve()
        if not (folder / "nbgrader_config.py").is_file():
            raise GradingError(f"--course {folder}: no nbgrader_config.py there")
        return folder
    here = Path.cwd()
    return here if (here / "nbgrader_config.py").is_file() else course_root()


def gradebook_url(course: Path) -> str:
    """The gradebook the course's ``nbgrader_config.py`` names."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    url = cfg.CourseDirectory.db_url if "db_url" in cfg.CourseDirectory else ""
    return str(url or f"sqlite:///{course / 'gradebook.db'}")


def grades_table(course: Path, name: str) -> pd.DataFrame:
    """One row per student of problem set ``name``: points per notebook, autograded, manual, total, max.

    ``manual`` is blank (NaN) while a written answer still waits for a person (``needs_manual_grade``).
    """
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(gradebook_url(course)) as gb:
        try:
            gb.find_assignment(name)
        except MissingEntry:
            raise GradingError(f"problem set {name!r} is not in the gradebook; generate it first") from None
        for sub in sorted(gb.assignment_submissions(name), key=lambda s: s.student_id):
            row: dict[str, Any] = {"student": sub.student_id}
            auto, manual, waiting = 0.0, 0.0, False
            for nb in sub.notebooks:
                row[nb.name] = nb.score
                for grade in nb.grades:
                    if grade.cell.cell_type == "code":
                        auto += grade.score
                    else:  # a written answer, graded by a person
                        manual += grade.score
                        waiting = waiting or bool(grade.needs_manual_grade)
            row["autograded"] = auto
            row["manual"] = None if waiting else manual
            row["total"] = sub.score
            row["max"] = sub.max_score
            rows.append(row)
    table = pd.DataFrame(rows)
    if not table.empty:
        table["manual"] = pd.to_numeric(table["manual"])  # None -> NaN, shown as "waiting"
    return table


def restore_notebook_names(course: Path, name: str, student: str) -> list[str]:
    """Copy notebooks a student saved under another name to the name the problem set expects.

    nbgrader grades only notebooks named like the release. A submitted notebook with another name
    whose graded cells match a missing notebook of the set is copied under the expected name (the
    student's file stays as it is). Returns one line per copy, for the log.
    """
    folder = course / "submitted" / student / name
    expected = {p.stem for p in (course / "solutions" / name).glob("*.ipynb")}
    present = {p.stem for p in folder.glob("*.ipynb")}
    notes = []
    for path in sorted(folder.glob("*.ipynb")):
        if path.stem in expected:
            continue
        try:
            found, stem = identify(load_notebook(path), path, course)
        except GradingError:
            continue
        if found == name and stem not in present:
            shutil.copyfile(path, folder / f"{stem}.ipynb")
            present.add(stem)
            notes.append(f"{student}: graded {path.name} as {stem}.ipynb (it was saved under another name)")
    return notes


def unreadable_notebooks(course: Path, name: str, student: str) -> list[str]:
    """Why a student's submitted notebooks cannot be read (not JSON, empty, not a notebook)."""
    problems = []
    for path in sorted((course / "submitted" / student / name).glob("*.ipynb")):
        try:
            load_notebook(path)
        except GradingError as exc:
            problems.append(str(exc).replace(str(path.parent) + os.sep, ""))
    return problems


_COURSES: dict[str, TempCourse] = {}  # one nbgrader API per course folder and timeout, per process


def grade_in(course: TempCourse, name: str, student: str) -> Graded:
    """Autograde one submission in ``course`` (restoring a notebook saved under another name first)."""
    start = time.perf_counter()
    notes = restore_notebook_names(course.folder, name, student)
    with quiet_stderr():
        result = course.autograde(name, student)
    problem = ""
    if not result.get("success"):
        problem = "; ".join(unreadable_notebooks(course.folder, name, student)) or autograde_failure(result)
    return Graded(student, problem, "\n".join(notes), time.perf_counter() - start)


def grade_student(course: Path, name: str, student: str, timeout: int | None = None) -> Graded:
    """Autograde one submission of the instructor's ``course``.

    Keeps one nbgrader API per course in this process, so a worker grading many students starts
    nbgrader once.
    """
    key = f"{course}|{timeout}"
    if key not in _COURSES:
        _COURSES[key] = TempCourse([], root=course, folder=course, timeout=timeout)
    return grade_in(_COURSES[key], name, student)


def already_graded(course: Path, name: str, student: str) -> bool:
    """True when ``autograded/<student>/<name>/`` exists (nbgrader's own test for skipping)."""
    return (course / "autograded" / student / name).is_dir()


def _worker_start() -> None:
    ensure_tools_on_path()
    skip_slow_imports()


def submitted_students(course: Path, name: str, students: Sequence[str] = ()) -> list[str]:
    """The students with a submission of ``name`` (or ``students``, each checked to have one)."""
    submitted = course / "submitted"
    found = sorted(p.parent.name for p in submitted.glob(f"*/{name}") if p.is_dir())
    unknown = sorted(set(students) - set(found))
    if unknown:
        raise GradingError(f"no submission of {name} for: {', '.join(unknown)} (looked in {submitted})")
    chosen = list(students) or found
    if not chosen:
        raise GradingError(f"no submissions of {name} in {submitted}; run nbgrader collect first")
    return chosen


def check_jobs(jobs: object) -> int:
    """``jobs`` if it is a whole number from 1 to :data:`MAX_JOBS`, else a :class:`GradingError`."""
    if not isinstance(jobs, int) or isinstance(jobs, bool) or not 1 <= jobs <= MAX_JOBS:
        raise GradingError(f"--jobs must be a whole number from 1 to {MAX_JOBS}, got {jobs!r}")
    return jobs


def autograde_class(
    name: str,
    course: Path,
    students: Sequence[str],
    *,
    timeout: int | None = None,
    jobs: int = 1,
    progress: Callable[[Graded], None] | None = None,
) -> list[Graded]:
    """Autograde each of ``students``' submissions of ``name``; return the outcomes, sorted by student.

    Runs nbgrader's autograde through its Python API, student by student, in ``jobs`` worker
    processes (1: in this process); ``progress`` is called after each submission.
    """
    jobs = check_jobs(jobs)
    try:
        warning = instructor_sandbox()
    except SandboxUnavailable as exc:
        raise GradingError(str(exc)) from None
    if warning:
        print(warning, file=sys.stderr)
    done: list[Graded] = []

    def record(graded: Graded) -> None:
        done.append(graded)
        if progress is not None:
            progress(graded)

    if jobs == 1 or len(students) == 1:
        for student in students:
            record(grade_student(course, name, student, timeout))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("spawn")  # no kernel or zmq state shared with workers
        with ProcessPoolExecutor(
            min(jobs, len(students)), mp_context=context, initializer=_worker_start
        ) as pool:
            futures = [pool.submit(grade_student, course, name, s, timeout) for s in students]
            for future in as_completed(futures):
                record(future.result())
    return sorted(done)
