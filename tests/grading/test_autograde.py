"""Autograde many submissions of ps01 in one temporary course (one gradebook, one nbgrader run).

The solution scores full marks, the untouched release zero, a single wrong answer loses exactly
that part, and hostile submissions (endless loop, sys.exit, an edited or deleted locked test,
patched grading helpers or library, a faked partial-credit value) lose only the parts they touch;
grading never hangs, and the submitted files are left as they were.
"""

from __future__ import annotations

import hashlib
import io
import json
import time

import pytest
from ps01_variants import RELEASE, SET, SOLUTION, filled, load, prepend, variants, with_answer
from sysdesign import cli
from sysdesign.nbgrading.course import TempCourse, course_root
from sysdesign.nbgrading.patches import ensure_tools_on_path, inprocess_alembic_version
from sysdesign.nbgrading.report import Report, autograde_failure

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type:Warning")]

# Seconds per cell: an endless loop costs this much. 5 s proved too tight for the first cell's
# `import sysdesign` (pandas) on a machine with a load of 15.
TIMEOUT = 15


def extra_variants() -> dict:
    good = filled()
    wrong_egress = "def egress(bytes_per_day, views_per_photo):\n    return 1.0\n"
    faked = (
        "def egress(bytes_per_day, views_per_photo):\n    import sys\n    sys.displayhook(2)\n    return 1.0"
    )
    hidden_errors = prepend(
        with_answer(good, "egress", wrong_egress),
        "egress",
        "get_ipython().set_custom_exc((BaseException,), print)",
    )
    return {
        # Shows a number from inside the test cell, which nbgrader would read as partial credit.
        "faked_partial_credit": (with_answer(good, "egress", faked), {"F"}),
        # Switches off IPython's traceback display: nbgrader still records the error.
        "hidden_errors": (hidden_errors, {"F"}),
        # A test cell whose points were raised in its metadata: the gradebook's points count.
        "inflated_points": (_inflated(good), set()),
    }


def _inflated(nb: dict) -> dict:
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "test-ingress":
            cell["metadata"]["nbgrader"]["points"] = 50
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every submission graded in one nbgrader run, with the hashes of the submitted files before."""
    # The gradebook comes from the cache `sysdesign check` uses: one course generates and fills it,
    # the grading course copies it (and so never generates anything itself).
    cache = tmp_path_factory.mktemp("cache") / SET
    TempCourse([SET], folder=tmp_path_factory.mktemp("seed")).prepare(SET, cache)
    course = TempCourse([SET], folder=tmp_path_factory.mktemp("course"), timeout=TIMEOUT)
    course.prepare(SET, cache)
    assert not (course.folder / "exercises").exists(), "the gradebook came from the cache"
    students = {"solution": (load(SOLUTION), set()), "blank": (load(RELEASE), None)}
    students.update(variants())
    students.update(extra_variants())
    students["kernel_killer"] = (prepend(filled(), "ingress", "import os\nos._exit(1)"), None)
    paths = {s: course.submit_json(SET, s, nb) for s, (nb, _) in students.items()}
    before = {s: hashlib.sha256(p.read_bytes()).hexdigest() for s, p in paths.items()}
    start = time.perf_counter()
    result = course.autograde(SET, "*")
    seconds = time.perf_counter() - start
    reports = {s: course.report(SET, s) for s in students}
    yield course, result, reports, {s: lose for s, (_, lose) in students.items()}, paths, before, seconds


def autograded_parts(report: Report) -> dict[str, float]:
    return {p.part.letter: p.score for p in report.parts if p.score is not None}


def full_marks(report: Report) -> dict[str, float]:
    return {p.part.letter: p.max_score for p in report.parts if p.score is not None}


def test_solution_scores_full_autograded_marks(graded):
    _, _, reports, *_ = graded
    report = reports["solution"]
    assert autograded_parts(report) == full_marks(report)
    assert report.auto_score == report.auto_max == 13
    assert [p.part.letter for p in report.parts if p.score is None] == ["J"], "the written part is manual"


def test_untouched_release_scores_zero(graded):
    course, _, reports, *_ = graded
    report = reports["blank"]
    assert report.auto_score == 0 and set(autograded_parts(report).values()) == {0}
    assert all("NotImplementedError" in m for p in report.parts for m in p.messages)
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        grades = {g.name: g for g in gb.find_submission_notebook(SET, SET, "blank").grades}
        assert grades["answer-design"].auto_score == 0, "an unchanged written answer scores zero too"


@pytest.mark.parametrize(
    "student",
    [
        "wrong_egress",
        "endless_loop",
        "sys_exit",
        "edited_test",
        "patched_grading",
        "patched_library",
        "deleted_test",
        "faked_partial_credit",
        "hidden_errors",
        "inflated_points",
    ],
)
def test_a_submission_loses_exactly_the_parts_it_breaks(graded, student):
    _, _, reports, losses, *_ = graded
    report = reports[student]
    expected = {k: (0.0 if k in losses[student] else v) for k, v in full_marks(report).items()}
    assert autograded_parts(report) == expected
    for part in report.parts:
        assert bool(part.messages) == (part.part.letter in losses[student]), (part.part.letter, part.messages)


def test_messages_explain_the_failure(graded):
    _, _, reports, *_ = graded
    messages = {s: {p.part.letter: p.messages for p in r.parts} for s, r in reports.items()}
    assert messages["wrong_egress"]["F"] == [
        "egress(86_400e6, 10) gave 1,000,000, which is 10 times too small; the expected value is between "
        "1e7 and 1e8 (a difference of up to 5% counts)."
    ]
    assert "did not run to the end" in messages["endless_loop"]["C"][0]
    assert "endless loop" in messages["endless_loop"]["C"][0]
    assert messages["deleted_test"]["E"] == ["the test cell 'test-ingress' is missing from the notebook"]
    assert messages["patched_library"]["A"][0].startswith("average_qps(86_400, 1) gave 926")


def test_a_killed_kernel_leaves_that_submission_ungraded_and_the_others_graded(graded):
    course, result, reports, *_ = graded
    assert not result["success"], "nbgrader reports the submission it could not finish"
    assert "kernel_killer" in result["log"]
    assert not (course.folder / "autograded" / "kernel_killer" / SET).exists()
    assert reports["kernel_killer"].auto_score == 0
    assert autograde_failure({"log": "DeadKernelError: Kernel died"}).startswith("grading stopped")


def test_submitted_files_are_unchanged(graded):
    _, _, _, _, paths, before, _ = graded
    after = {s: hashlib.sha256(p.read_bytes()).hexdigest() for s, p in paths.items()}
    assert after == before


# Grading time (kernel start-ups, plus TIMEOUT for the endless loop) is measured by
# benchmarks/bench_grading.py; an endless loop that is never cut shows as a pytest-timeout failure.


def test_report_prints_a_line_per_part_and_the_messages(graded):
    _, _, reports, *_ = graded
    out = io.StringIO()
    cli.print_report(reports["wrong_egress"], SOLUTION, 1.0, out)
    text = out.getvalue()
    assert "Part F  Egress bandwidth" in text and "0 / 2  --" in text
    assert "gave 1,000,000, which is 10 times too small" in text
    assert "Total (autograded) 11 / 13; 3 more points are graded by a person" in text


def test_inprocess_alembic_version_matches_the_alembic_command():
    import nbgrader.api as nbapi

    ensure_tools_on_path()
    inprocess_alembic_version()
    patched = nbapi.get_alembic_version
    assert getattr(patched, "_sysdesign", False)
    assert patched() == patched.original()  # nbgrader's own: runs `alembic heads`


# --------------------------------------------------------------------------------------------
# A second batch through `sysdesign autograde --jobs 2` (two worker processes, one gradebook): the files
# nbgrader cannot read, a renamed notebook, an exception, a memory bomb and an output flood.
BROKEN_FILES = {"invalid_json": "{not a notebook", "empty_file": ""}


def second_batch_students() -> dict[str, tuple[dict | str, set[str] | None, str]]:
    """name -> (notebook or raw text, parts it loses (None: all), file name it is saved under)."""
    good = filled()
    flood = "for _ in range(100_000):\n    print('spam ' * 20)"
    return {
        "solution": (good, set(), SET),
        "raises": (prepend(good, "peak-qps", "raise ValueError('boom')"), {"B"}, SET),
        "memory_bomb": (prepend(good, "egress", "_hog = bytearray(8 * 1024**3)"), {"F"}, SET),
        "output_flood": (prepend(good, "ingress", flood), set(), SET),
        "renamed": (good, set(), f"{SET} (1)"),
        "invalid_json": (BROKEN_FILES["invalid_json"], None, SET),
        "empty_file": (BROKEN_FILES["empty_file"], None, SET),
    }


@pytest.fixture(scope="module")
def second_batch(tmp_path_factory):
    import shutil

    folder = tmp_path_factory.mktemp("class")
    course = TempCourse([SET], folder=folder, timeout=TIMEOUT)
    shutil.copy(course_root() / "nbgrader_config.py", folder)  # `sysdesign autograde` reads it
    course.prepare(SET)
    students = second_batch_students()
    paths = {}
    for student, (content, _, stem) in students.items():
        if isinstance(content, str):
            path = folder / "submitted" / student / SET / f"{stem}.ipynb"
            path.parent.mkdir(parents=True)
            path.write_text(content, encoding="utf-8")
        else:
            path = course.submit_json(SET, student, content, as_name=stem)
        paths[student] = path
    before = {s: hashlib.sha256(p.read_bytes()).hexdigest() for s, p in paths.items()}
    out = io.StringIO()
    start = time.perf_counter()
    table = cli.autograde_all(SET, folder, timeout=TIMEOUT, jobs=2, out=out)
    seconds = time.perf_counter() - start
    reports = {s: course.report(SET, s) for s in students if s not in BROKEN_FILES}
    return table.set_index("student"), reports, out.getvalue(), paths, before, seconds


def test_second_batch_finishes_and_lists_what_it_could_not_grade(second_batch):
    table, _, out, *_ = second_batch
    assert "graded 5 of 7 submissions" in out
    assert f"NOT GRADED empty_file: {SET}.ipynb is not a notebook: it is not JSON" in out
    assert f"NOT GRADED invalid_json: {SET}.ipynb is not a notebook: it is not JSON" in out
    assert all(table.loc[s, "total"] == 0 for s in BROKEN_FILES)


@pytest.mark.parametrize("student", ["solution", "raises", "memory_bomb", "output_flood", "renamed"])
def test_second_batch_scores_exactly_what_each_submission_earned(second_batch, student):
    table, reports, *_ = second_batch
    loses = second_batch_students()[student][1]
    report = reports[student]
    expected = {k: (0.0 if k in loses else v) for k, v in full_marks(report).items()}
    assert autograded_parts(report) == expected
    assert table.loc[student, "autograded"] == sum(expected.values())


def test_memory_bomb_fails_its_own_cell_with_memory_error(second_batch):
    _, reports, *_ = second_batch
    messages = {p.part.letter: p.messages for p in reports["memory_bomb"].parts}
    assert messages["F"] == ["the answer cell did not run to the end: MemoryError"]


def test_second_batch_leaves_every_submitted_file_unchanged(second_batch):
    *_, paths, before, _ = second_batch
    assert {s: hashlib.sha256(p.read_bytes()).hexdigest() for s, p in paths.items()} == before
