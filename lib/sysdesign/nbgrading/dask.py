"""Autograde a class on Dask distributed: workers grade, only the instructor's process writes.

    sysdesign autograde ps05_warmup --dask                    # a local cluster of --workers processes
    sysdesign autograde ps05_warmup --dask tcp://host:8786    # a running scheduler (gateway, jobqueue)

The instructor's process packs the problem set once (:class:`SetBundle`: the course's
``nbgrader_config.py``, the set's source folder and a small SQLite gradebook holding only the set's
entries, copied from the course's gradebook) and broadcasts it to every worker with
``client.scatter(..., broadcast=True)``. Each task carries one student's submitted files
(:class:`Submission`). On the worker, :func:`grade_task` builds a private temporary course from the
two, runs nbgrader's autograde there under the course's grading rules (the bubblewrap sandbox
included) and returns an :class:`Outcome`: scores and comments per cell, the graded files and the
seconds taken. :func:`record` writes it into the course's gradebook (SQLite or PostgreSQL) and
``autograded/``, so workers need no shared file system and no database.

A task whose worker dies runs again elsewhere (the scheduler's ``allowed-failures``, 3 by default);
one that raises is retried ``retries`` times; a submission that still cannot be graded is returned
with the reason, and the rest of the class is graded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import resource
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.classgrade import Graded, grade_in, gradebook_url
from sysdesign.nbgrading.course import TempCourse, remove_tree
from sysdesign.nbgrading.manual import answer_sha, record_sha, recorded_sha
from sysdesign.nbgrading.parts import cells, nbgrader_meta, source
from sysdesign.nbgrading.patches import inprocess_alembic_version
from sysdesign.nbgrading.sandbox import SandboxedKernelManager, SandboxUnavailable, instructor_sandbox

MAX_WORKERS = 64
RETRIES = 2  # more tries of a task that raised (a dead worker: the scheduler's allowed-failures)
WINDOW = 64  # tasks in flight at least
INSTALL = "Dask distributed is not installed: pip install distributed"

Files = dict[str, tuple[bytes, int]]  # path inside a folder -> (content, permission bits)


@dataclass(frozen=True)
class SetBundle:
    """What every worker needs to grade one problem set, shipped once per worker."""

    name: str
    config: bytes  # the course's nbgrader_config.py
    source: Files  # solutions/<name>/ (the generated source's folder)
    gradebook: bytes  # SQLite file with the set's assignment, notebooks and cells only
    course_id: str
    timeout: int | None
    digest: str = ""


@dataclass(frozen=True)
class Submission:
    """One student's submitted files of the set (``submitted/<student>/<set>/``)."""

    student: str
    files: Files


@dataclass
class NotebookGrades:
    """One graded notebook's rows of the gradebook."""

    present: bool  # the student handed this notebook in
    late_penalty: float | None
    grades: dict[str, tuple[float | None, bool]] = field(default_factory=dict)  # cell -> (auto, needs manual)
    comments: dict[str, str | None] = field(default_factory=dict)  # cell -> automatic comment


@dataclass
class Outcome:
    """What a worker sends back for one submission."""

    graded: Graded
    timestamp: datetime | None = None
    notebooks: dict[str, NotebookGrades] = field(default_factory=dict)  # empty: no gradebook rows
    files: Files = field(default_factory=dict)  # autograded/<student>/<set>/
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds: the worker process and the kernels it ran
    worker: str = ""


def read_files(folder: Path) -> Files:
    """Every file under ``folder``: relative path -> (bytes, permission bits)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mode & 0o777)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write_files(folder: Path, files: Files) -> None:
    """Write ``files`` (from :func:`read_files`) under ``folder``, with their permission bits."""
    for rel, (data, mode) in files.items():
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise GradingError(f"refusing to write {rel!r} outside {folder}")
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(mode)


def copy_set_entries(source_url: str, target_url: str, name: str, course_id: str) -> None:
    """Copy problem set ``name``'s assignment, notebooks and cells from one gradebook to another."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy import text

    inprocess_alembic_version()  # a new gradebook is stamped without running `alembic heads` (2-20 s)

    with Gradebook(source_url) as src, Gradebook(target_url, course_id) as dst:
        dst.db.execute(text("PRAGMA synchronous = OFF"))  # a throw-away file: one commit per cell, no fsync
        try:
            assignment = src.find_assignment(name)
        except MissingEntry:
            raise GradingError(f"problem set {name!r} is not in the gradebook; generate it first") from None
        dst.update_or_create_assignment(name, duedate=assignment.duedate)
        for nb in assignment.notebooks:
            dst.update_or_create_notebook(nb.name, name, kernelspec=nb.kernelspec)
            for cell in nb.grade_cells:
                dst.update_or_create_grade_cell(
                    cell.name, nb.name, name, max_score=cell.max_score, cell_type=cell.cell_type
                )
            for cell in nb.task_cells:
                dst.update_or_create_task_cell(
                    cell.name, nb.name, name, max_score=cell.max_score, cell_type=cell.cell_type
                )
            for cell in nb.solution_cells:
                dst.update_or_create_solution_cell(cell.name, nb.name, name)
            for cell in nb.source_cells:
                dst.update_or_create_source_cell(
                    cell.name,
                    nb.name,
                    name,
                    cell_type=cell.cell_type,
                    locked=cell.locked,
                    source=cell.source,
                    checksum=cell.checksum,
                )


def make_bundle(course: Path, name: str, timeout: int | None = None) -> SetBundle:
    """Pack problem set ``name`` of the instructor's ``course`` for the workers."""
    source = course / "solutions" / name
    if not source.is_dir():
        raise GradingError(f"unknown problem set {name!r}: no folder solutions/{name} in {course}")
    helper = TempCourse([], root=course, folder=Path(tempfile.mkdtemp(prefix="sysdesign-bundle-")))
    helper.owned = True
    try:
        course_id = str(helper.config.CourseDirectory.course_id)
        copy_set_entries(gradebook_url(course), helper.db_url, name, course_id)
        gradebook = (helper.folder / "gradebook.db").read_bytes()
    finally:
        helper.close()
    config = (course / "nbgrader_config.py").read_bytes()
    files = read_files(source)
    digest = hashlib.sha256()
    for part in (name.encode(), config, gradebook, repr(timeout).encode()):
        digest.update(part)
    for rel, (data, _) in files.items():
        digest.update(rel.encode() + data)
    return SetBundle(name, config, files, gradebook, course_id, timeout, digest.hexdigest()[:16])


def cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_KERNEL_CPU = [0.0]  # CPU seconds of the kernels this process has stopped (CountingKernelManager)


class CountingKernelManager(SandboxedKernelManager):
    """The sandbox's kernel manager that adds each kernel's CPU seconds to a per-process total just
    before stopping it: the sandbox's process namespace keeps a finished kernel's CPU time out of
    this process's child accounting (``RUSAGE_CHILDREN`` grows by 0 s for a kernel that ran 1 s)."""

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        process = getattr(getattr(self, "provisioner", None), "process", None)
        if process is not None:
            _KERNEL_CPU[0] += tree_cpu_seconds(process.pid)
        await super().shutdown_kernel(now=now, restart=restart)


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, with reaped children) of process ``pid`` and its descendants."""
    import psutil

    try:
        root = psutil.Process(pid)
        total = 0.0
        for proc in [root, *root.children(recursive=True)]:
            times = proc.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        return total
    except psutil.Error:  # the kernel ended already
        return 0.0


_TEMPLATES: dict[str, Path] = {}  # bundle digest -> unpacked bundle, one per worker process


def scratch() -> str | None:
    """The Dask worker's own scratch folder, which Dask removes when the worker ends, even when it
    was killed (the next worker on the machine clears it); ``None`` (the system's temporary
    folder) outside a worker."""
    try:
        from distributed import get_worker

        return str(get_worker().local_directory)
    except (ImportError, ValueError):
        return None


def _template(bundle: SetBundle) -> Path:
    folder = _TEMPLATES.get(bundle.digest)
    if folder is None or not folder.is_dir():
        folder = Path(tempfile.mkdtemp(prefix=f"sysdesign-set-{bundle.name}-", dir=scratch()))
        (folder / "nbgrader_config.py").write_bytes(bundle.config)
        write_files(folder / "solutions" / bundle.name, bundle.source)
        (folder / "gradebook.db").write_bytes(bundle.gradebook)
        _TEMPLATES[bundle.digest] = folder
    return folder


def grade_task(bundle: SetBundle, submission: Submission) -> Outcome:
    """On a worker: grade one submission in a private temporary course; return the gradebook rows,
    the autograded files and the time taken (s)."""
    from nbgrader.api import Gradebook, MissingEntry

    start, cpu = time.perf_counter(), cpu_seconds() + _KERNEL_CPU[0]
    template = _template(bundle)
    folder = Path(tempfile.mkdtemp(prefix="sysdesign-task-", dir=scratch()))
    try:
        shutil.copyfile(template / "gradebook.db", folder / "gradebook.db")
        shutil.copytree(template / "solutions", folder / "solutions")
        write_files(folder / "submitted" / submission.student / bundle.name, submission.files)
        course = TempCourse([], root=template, folder=folder, timeout=bundle.timeout)
        if course.config.Execute.get("kernel_manager_class") is SandboxedKernelManager:
            course.config.Execute.kernel_manager_class = CountingKernelManager
        # The kernel launched ahead for the next task waits in the scratch folder too (Dask clears it).
        course.config.PooledExecute.workdir_parent = scratch() or ""
        graded = grade_in(course, bundle.name, submission.student)
        outcome = Outcome(graded)
        name, student = bundle.name, submission.student
        with Gradebook(course.db_url, bundle.course_id) as gb:
            try:
                sub = gb.find_submission(name, student)
            except MissingEntry:
                sub = None
            if sub is not None:
                outcome.timestamp = sub.timestamp
                handed_in = folder / "submitted" / student / name
                for nb in sub.notebooks:
                    present = (handed_in / f"{nb.name}.ipynb").is_file()
                    rows = NotebookGrades(present, nb.late_submission_penalty)
                    rows.grades = {g.name: (g.auto_score, bool(g.needs_manual_grade)) for g in nb.grades}
                    rows.comments = {c.name: c.auto_comment for c in nb.comments}
                    outcome.notebooks[nb.name] = rows
        autograded = folder / "autograded" / student / name
        if autograded.is_dir():
            outcome.files = read_files(autograded)
        outcome.seconds = time.perf_counter() - start
        outcome.cpu = cpu_seconds() + _KERNEL_CPU[0] - cpu
        outcome.worker = os.uname().nodename
        return outcome
    finally:
        remove_tree(folder)


def written_answer_shas(files: Files, stem: str) -> dict[str, str]:
    """grade id -> :func:`manual.answer_sha` of each answer graded by a person in notebook ``stem``
    of a worker's returned files (empty when the notebook is not among them)."""
    found = files.get(f"{stem}.ipynb")
    if found is None:
        return {}
    try:
        nb = json.loads(found[0])
    except ValueError:
        return {}
    shas = {}
    for cell in cells(nb):
        meta = nbgrader_meta(cell)
        if meta.get("grade") and meta.get("solution") and meta.get("grade_id"):
            shas[str(meta["grade_id"])] = answer_sha(source(cell))
    return shas


def record(course: Path, name: str, outcome: Outcome) -> None:
    """In the instructor's process: write a worker's outcome into the course's gradebook and
    ``autograded/``, as nbgrader's autograde would (a grader's manual score is kept and marks the
    cell for review)."""
    from nbgrader.api import Gradebook

    inprocess_alembic_version()
    student = outcome.graded.student
    if outcome.notebooks:
        with warnings.catch_warnings(), Gradebook(gradebook_url(course)) as gb:
            warnings.simplefilter("ignore")  # SQLAlchemy's notes on nbgrader's sessions, as in autograde
            gb.update_or_create_student(student)
            extra = {"timestamp": outcome.timestamp} if outcome.timestamp else {}
            gb.update_or_create_submission(name, student, **extra)
            with gb.db.no_autoflush:  # one flush at the commit, not one per row read
                for stem, rows in outcome.notebooks.items():
                    nb = gb.find_submission_notebook(stem, name, student)
                    nb.late_submission_penalty = rows.late_penalty
                    shas = written_answer_shas(outcome.files, stem)
                    for grade in nb.grades:
                        if grade.name in rows.grades:
                            graded = grade.manual_score is not None and not grade.needs_manual_grade
                            grade.auto_score, needs = rows.grades[grade.name]
                            manual = rows.present and grade.manual_score is not None
                            grade.needs_manual_grade = needs or manual
                            if grade.name in shas:  # as manual.KeepManualGrades does for nbgrader
                                key = (name, student, stem, grade.name)
                                if graded and recorded_sha(gb.db, key) == shas[grade.name]:
                                    grade.needs_manual_grade = False
                                record_sha(gb.db, key, shas[grade.name])
                    for comment in nb.comments:
                        if comment.name in rows.comments:
                            comment.auto_comment = rows.comments[comment.name]
            gb.db.commit()
    target = course / "autograded" / student / name
    remove_tree(target)
    if outcome.files:
        write_files(target, outcome.files)


def check_workers(workers: object) -> int:
    """``workers`` if it is a whole number from 1 to :data:`MAX_WORKERS`, else a :class:`GradingError`."""
    if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= MAX_WORKERS:
        raise GradingError(f"--workers must be a whole number from 1 to {MAX_WORKERS}, got {workers!r}")
    return workers


def connect(address: str | None, workers: int = 2) -> Any:
    """A Dask ``Client``: to the scheduler at ``address``, else to a new local cluster of ``workers``
    processes with one thread each (closed with the client)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GradingError(INSTALL) from None
    if address:
        if ":" not in address:  # `--dask alice bob`: argparse took a student for the address
            raise GradingError(
                f"--dask {address}: not a scheduler address (tcp://host:8786); "
                "name the students before --dask, or use --dask=ADDRESS"
            )
        try:
            return Client(address, timeout="20s")
        except OSError as exc:
            raise GradingError(f"--dask {address}: cannot reach the scheduler ({exc})") from None
    cluster = LocalCluster(
        n_workers=check_workers(workers),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    return Client(cluster)


def close(client: Any) -> None:
    """Close ``client`` and the local cluster :func:`connect` started for it, if any."""
    cluster = client.cluster  # None for a scheduler given by address
    client.close()
    if cluster is not None:
        cluster.close()


def dashboard(client: Any) -> str:
    """The dashboard's address, or why there is none."""
    try:
        import bokeh  # noqa: F401  (the dashboard needs it)
    except ImportError:
        return "none (pip install bokeh to get the dashboard)"
    return str(client.dashboard_link)


def grade_on_dask(
    client: Any,
    name: str,
    course: Path,
    students: Sequence[str],
    *,
    timeout: int | None = None,
    retries: int = RETRIES,
    progress: Callable[[Graded], None] | None = None,
) -> list[Graded]:
    """Grade ``students``' submissions of ``name`` on the cluster behind ``client``; return the
    outcomes, sorted by student.

    Submissions are read and sent a window at a time (:data:`WINDOW` tasks, or four per worker
    thread when that is more), so a class of any size holds little memory here or on the
    scheduler. Each result is recorded (:func:`record`) as it arrives, so an interrupted run
    keeps what it finished.
    """
    from distributed import as_completed

    bundle = client.scatter(make_bundle(course, name, timeout), broadcast=True, hash=True)
    waiting = iter(students)
    running: dict[Any, str] = {}
    finished = as_completed()

    def submit_more() -> None:
        window = max(WINDOW, 4 * sum(client.nthreads().values()))
        while len(running) < window:
            student = next(waiting, None)
            if student is None:
                return
            files = read_files(course / "submitted" / student / name)
            key = f"grade-{name}-{student}-{uuid.uuid4().hex[:8]}"
            task = client.submit(grade_task, bundle, Submission(student, files), key=key, retries=retries)
            running[task] = student
            finished.add(task)

    submit_more()
    done: list[Graded] = []
    for future in finished:
        student = running.pop(future)
        try:
            outcome = future.result()
        except Exception as exc:  # failed on every try, or its workers kept dying
            graded = Graded(student, f"could not be graded on the cluster: {type(exc).__name__}: {exc}", "")
        else:
            record(course, name, outcome)
            graded = outcome.graded._replace(seconds=outcome.seconds, cpu=outcome.cpu)
        future.release()
        done.append(graded)
        if progress is not None:
            progress(graded)
        submit_more()
    return sorted(done)


def autograde_class_dask(
    name: str,
    course: Path,
    students: Sequence[str],
    *,
    address: str | None = None,
    workers: int = 2,
    timeout: int | None = None,
    progress: Callable[[Graded], None] | None = None,
    announce: Callable[[str], None] | None = None,
) -> list[Graded]:
    """:func:`grade_on_dask` on the scheduler at ``address`` or on a local cluster of ``workers``
    processes; ``announce`` receives the dashboard's address once connected."""
    if not address:  # the local workers' kernels run on this machine (remote workers check their own)
        try:
            warning = instructor_sandbox()
        except SandboxUnavailable as exc:
            raise GradingError(str(exc)) from None
        if warning and announce is not None:
            announce(warning)
    client = connect(address, workers)
    try:
        if announce is not None:
            announce(f"Dask dashboard: {dashboard(client)}")
        return grade_on_dask(client, name, course, students, timeout=timeout, progress=progress)
    finally:
        close(client)
