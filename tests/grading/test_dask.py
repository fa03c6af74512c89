"""A class graded on a real Dask cluster: one ``dask scheduler`` and two ``dask worker`` processes
started with Dask's own commands on 127.0.0.1, as a multi-machine deployment runs them.

The class hands in ps05_warmup (three notebooks): the model answers, the release untouched, the
plausible mistakes of ``wrong/<notebook>.py``, a student mixing those per notebook, two who hand
in the first notebook only, and one whose notebook is not JSON. The same kinds of notebook (and a
student with the first notebook only) are graded by the plain ``nbgrader autograde`` command in a
second course; every gradebook row of the Dask course (score, manual score, review flag, comment
per cell, late penalty) must equal nbgrader's row for the same kind of notebook. One worker is
killed (SIGKILL) while it grades; nothing is lost.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from ps01_variants import filled, load
from sysdesign import cli
from sysdesign.nbgrading.course import TempCourse, course_root
from test_roundtrip import wrong_answers

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type:Warning")]

distributed = pytest.importorskip("distributed")

SET = "ps05_warmup"
TIMEOUT = 15  # seconds per cell, as in the other grading tests
# student -> the kind of notebook handed in, per notebook of the set (in the set's order; None: none)
REFERENCE = {
    "solution": ("solution",) * 3,
    "blank": ("blank",) * 3,
    "wrong": ("wrong",) * 3,
    "first_only": ("solution", None, None),
}
CLASS = {**{k: v for k, v in REFERENCE.items() if k != "first_only"}, "mix": ("solution", "wrong", "blank")}
CLASS |= {"first_wrong": ("wrong", None, None), "first_blank": ("blank", None, None)}
BROKEN = "broken"  # its first notebook is not JSON
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def course(folder: Path, cache: Path) -> TempCourse:
    """A course in ``folder`` with the repository's nbgrader_config.py and the set's gradebook."""
    made = TempCourse([SET], folder=folder, timeout=TIMEOUT)
    shutil.copy(course_root() / "nbgrader_config.py", folder)
    made.prepare(SET, cache)
    return made


def notebooks(made: TempCourse) -> dict[tuple[str, str], dict]:
    """(kind, notebook name) -> the notebook a student of that kind hands in."""
    found = {}
    for stem in made.notebook_names(SET):
        source = made.folder / "solutions" / SET / f"{stem}.ipynb"
        release = course_root() / "exercises" / SET / f"{stem}.ipynb"
        found["solution", stem] = filled(source, release)
        found["blank", stem] = load(release)
        found["wrong", stem] = filled(source, release, wrong_answers(stem))
    return found


def gradebook_rows(db_url: str) -> dict[tuple[str, str], list[tuple]]:
    """(student, notebook) -> one row per graded cell and per comment, as nbgrader stored them."""
    from nbgrader.api import Gradebook

    rows: dict[tuple[str, str], list[tuple]] = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(SET):
            for nb in sub.notebooks:
                cells = [
                    (g.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade, g.max_score)
                    for g in nb.grades
                ]
                cells += [(c.name, c.auto_comment, c.manual_comment) for c in nb.comments]
                rows[sub.student_id, nb.name] = sorted(cells, key=repr) + [
                    ("late", nb.late_submission_penalty)
                ]
    return rows


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers (one process, one thread each), started with the ``dask`` command."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask-logs")
    address = f"tcp://127.0.0.1:{free_port()}"
    common = {"stderr": subprocess.STDOUT, "start_new_session": True, "cwd": logs}
    procs = [
        subprocess.Popen(
            [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1]],
            stdout=open(logs / "scheduler.log", "wb"),  # noqa: SIM115  (closed with the process)
            **common,
        )
    ]
    for i in range(2):
        procs.append(
            subprocess.Popen(
                [BIN / "dask", "worker", address, "--nworkers", "1", "--nthreads", "1"]
                + ["--host", "127.0.0.1", "--name", f"w{i}", "--local-directory", str(logs / f"w{i}")],
                stdout=open(logs / f"worker{i}.log", "wb"),  # noqa: SIM115
                **common,
            )
        )
    client = Client(address, timeout="60s")
    try:
        client.wait_for_workers(2, timeout=120)
        yield address, client
    finally:
        client.close()
        for proc in reversed(procs):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture(scope="module")
def graded(cluster, tmp_path_factory):
    """The class graded on the cluster (a worker killed mid-run), and nbgrader's reference gradebook."""
    from sysdesign.nbgrading.dask import grade_on_dask

    address, client = cluster
    cache = tmp_path_factory.mktemp("cache") / SET
    reference = course(tmp_path_factory.mktemp("reference"), cache)
    dask_course = course(tmp_path_factory.mktemp("class"), cache)
    kinds = notebooks(reference)
    stems = reference.notebook_names(SET)
    for made, students in ((reference, REFERENCE), (dask_course, CLASS)):
        for student, handed_in in students.items():
            for stem, kind in zip(stems, handed_in, strict=True):
                if kind is not None:
                    made.submit_json(SET, student, kinds[kind, stem], as_name=stem)
    broken = dask_course.folder / "submitted" / BROKEN / SET / f"{stems[0]}.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("{not a notebook", encoding="utf-8")

    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    nbgrader = subprocess.Popen(
        [BIN / "nbgrader", "autograde", SET, f"--Execute.timeout={TIMEOUT}"],
        cwd=reference.folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    killed: list[str] = []

    def kill_a_busy_worker(_graded) -> None:
        if killed:
            return
        busy = [worker for worker, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(busy[0])

    students = sorted([*CLASS, BROKEN])
    done = grade_on_dask(
        client, SET, dask_course.folder, students, timeout=TIMEOUT, progress=kill_a_busy_worker
    )
    log = nbgrader.communicate(timeout=600)[0].decode(errors="replace")
    assert nbgrader.returncode == 0, log[-3000:]
    return done, killed, gradebook_rows(reference.db_url), gradebook_rows(dask_course.db_url), dask_course


def test_a_worker_was_killed_while_grading(graded):
    _, killed, *_ = graded
    assert len(killed) == 1


def test_every_readable_submission_is_graded_and_the_broken_one_says_why(graded):
    done, *_ = graded
    outcome = {g.student: g.problem for g in done}
    assert sorted(outcome) == sorted([*CLASS, BROKEN])
    assert [s for s, p in outcome.items() if p] == [BROKEN]
    assert outcome[BROKEN].startswith("p01_url_shortener.ipynb is not a notebook: it is not JSON")


def test_gradebook_matches_nbgrader_row_by_row(graded):
    _, _, reference, rows, made = graded
    stems = made.notebook_names(SET)
    assert len(reference) == len(REFERENCE) * len(stems), "nbgrader graded every reference notebook"
    for student, handed_in in CLASS.items():
        for stem, kind in zip(stems, handed_in, strict=True):
            assert rows[student, stem] == reference[kind or "first_only", stem], (student, stem)
    solution = reference["solution", stems[0]]
    assert any(row[1] and row[1] > 0 for row in solution if len(row) == 6), "the solution earned points"


def test_graded_notebooks_are_written_by_the_instructor_process(graded):
    *_, made = graded
    stems = made.notebook_names(SET)
    for student, handed_in in CLASS.items():
        folder = made.folder / "autograded" / student / SET
        graded = [f"{stem}.ipynb" for stem, kind in zip(stems, handed_in, strict=True) if kind]
        assert sorted(p.name for p in folder.glob("*.ipynb")) == graded


def test_a_second_run_skips_the_graded_and_force_grades_again(graded, cluster):
    *_, made = graded
    address, _ = cluster
    out = io.StringIO()
    cli.autograde_all(SET, made.folder, list(CLASS)[:2], dask=address, timeout=TIMEOUT, out=out)
    assert "skipped 2 already graded" in out.getvalue()
    assert "graded 0 of 0 submissions" in out.getvalue()
    out = io.StringIO()
    table = cli.autograde_all(SET, made.folder, [BROKEN], dask=address, timeout=TIMEOUT, force=True, out=out)
    assert "graded 0 of 1 submissions" in out.getvalue()
    assert f"NOT GRADED {BROKEN}: p01_url_shortener.ipynb is not a notebook" in out.getvalue()
    assert table.set_index("student").loc[BROKEN, "total"] == 0


@pytest.mark.parametrize("workers", [0, 65, 2.5, True, "2"])
def test_workers_outside_1_to_64_are_refused(workers):
    from sysdesign.nbgrading import GradingError
    from sysdesign.nbgrading.dask import check_workers

    with pytest.raises(GradingError, match="--workers must be a whole number from 1 to 64"):
        check_workers(workers)


def test_a_student_taken_for_the_scheduler_address_is_refused():
    from sysdesign.nbgrading import GradingError
    from sysdesign.nbgrading.dask import connect

    with pytest.raises(GradingError, match="name the students before --dask"):
        connect("alice")
