"""The README's instructor guide, walked with the real commands in a throw-away course.

generate -> release to an exchange folder -> two students fetch and submit -> collect ->
autograde -> a manual grade through the gradebook API -> feedback generated, released and
fetched -> grades exported to CSV and read with pandas. Then ``zip_collect`` for files downloaded
from a learning-management system, and ``sysdesign grades`` for the summary table.
Each step is the command the README shows, run from the course folder (nbgrader reads
``nbgrader_config.py`` from the current directory only).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "grading"))
from ps01_variants import filled, with_answer  # noqa: E402

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SET = "ps01_estimation"
BIN = Path(sys.executable).parent


def run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a course command from ``cwd`` with the virtual environment's tools first on PATH
    (``check``: it must succeed)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    tool = args[0] if args[0] == "sysdesign" else "nbgrader"
    rest = args[1:] if args[0] == "sysdesign" else args
    done = subprocess.run(
        [str(BIN / tool), *rest], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 or not check, (
        f"{tool} {' '.join(rest)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


def student_flags(exchange: Path, home: Path) -> list[str]:
    return [
        f"--Exchange.root={exchange}",
        f"--Exchange.cache={home / '.nbgrader_cache'}",
        "--CourseDirectory.course_id=sysdesign",
    ]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder like the repository: its config and one problem set's source."""
    folder = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "solutions" / SET, folder / "solutions" / SET)
    return folder


@pytest.fixture(scope="module")
def walked(course, tmp_path_factory):
    exchange = course / ".exchange"
    # 1. Generate (and validate both ways), 2. release.
    run(course, "generate_assignment", SET, "--force")
    run(course, "validate", f"solutions/{SET}/{SET}.ipynb")
    inverted = run(course, "validate", "--invert", f"exercises/{SET}/{SET}.ipynb")
    assert "NOTEBOOK PASSED ON" not in inverted.stdout
    run(course, "release_assignment", SET, "--force")
    # Two students fetch, answer and submit from their own folders.
    good = filled()
    wrong = with_answer(good, "egress", "def egress(bytes_per_day, views_per_photo):\n    return 1.0\n")
    home = tmp_path_factory.mktemp("students")
    for student, nb in (("alice", good), ("bob", wrong)):
        folder = home / student
        folder.mkdir()
        # Each student is their own OS user on a real server, with a private nbgrader cache.
        flags = [*student_flags(exchange, folder)]
        run(folder, "fetch_assignment", SET, *flags)
        fetched = folder / SET / f"{SET}.ipynb"
        assert "raise NotImplementedError()" in fetched.read_text(encoding="utf-8")
        fetched.write_text(json.dumps(nb), encoding="utf-8")
        run(folder, "submit", SET, f"--student={student}", *flags)
    # 3. Collect, 4. autograde.
    run(course, "collect", SET, "--CollectApp.check_owner=False")
    run(course, "autograde", SET, "--force")
    # 5. A manual grade for the written part, through the gradebook API.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("answer-design", SET, SET, "alice")
        grade.manual_score = 2
        grade.extra_credit = 0
        grade.needs_manual_grade = False  # the README's recipe: graded, no longer waiting
        gb.db.commit()
    # 6. Feedback: generate, release, and each student fetches their own. bob's written answer
    # still waits, so release_feedback refuses and names it; the guide's --force releases anyway.
    run(course, "generate_feedback", SET, "--force")
    refused = run(course, "release_feedback", SET, check=False)
    assert refused.returncode != 0 and f"bob: {SET} Part J (answer-design" in refused.stdout + refused.stderr
    run(course, "release_feedback", SET, "--GuardedReleaseFeedback.force=True")
    for student in ("alice", "bob"):
        run(
            home / student,
            "fetch_feedback",
            SET,
            f"--student={student}",
            *student_flags(exchange, home / student),
        )
    run(course, "export")
    return course, home


def test_both_submissions_were_collected_and_autograded(walked):
    course, _ = walked
    for student in ("alice", "bob"):
        assert (course / "submitted" / student / SET / f"{SET}.ipynb").is_file()
        assert (course / "autograded" / student / SET / f"{SET}.ipynb").is_file()


def test_exported_grades_hold_the_autograded_and_the_manual_points(walked):
    course, _ = walked
    grades = pd.read_csv(course / "grades.csv").set_index("student_id")
    assert grades.loc["alice", "score"] == 13 + 2  # every autograded part and 2 of 3 manual points
    assert grades.loc["bob", "score"] == 13 - 2  # part F (2 points) wrong; written part not graded yet
    assert set(grades["max_score"]) == {16}


def test_each_student_fetched_only_their_own_feedback(walked):
    _, home = walked
    pages = {s: list((home / s / SET / "feedback").rglob("*.html")) for s in ("alice", "bob")}
    assert all(len(p) == 1 for p in pages.values()), pages
    alice, bob = (pages[s][0].read_text(encoding="utf-8") for s in ("alice", "bob"))
    assert "Score: 15.0 / 16.0" in alice.replace("(", "").replace(")", "") or "15.0 / 16.0" in alice
    assert "egress(86_400e6, 10) gave 1" in bob and "egress(86_400e6, 10) gave 1" not in alice


def test_zip_collect_takes_files_downloaded_from_a_learning_management_system(walked, tmp_path):
    course, _ = walked
    archive = course / "downloaded" / SET / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "lms-download.zip", "w") as zf:
        zf.writestr(f"carol_{SET}.ipynb", json.dumps(filled()))
    (archive / f"dave_{SET}.ipynb").write_text(json.dumps(filled()), encoding="utf-8")
    run(course, "zip_collect", SET, "--force")
    for student in ("carol", "dave"):
        assert (course / "submitted" / student / SET / f"{SET}.ipynb").is_file(), student
    run(course, "autograde", SET, "--student=carol", "--force")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(SET, "carol").score == 13


def test_sysdesign_grades_prints_a_summary_table(walked):
    course, _ = walked
    out = run(course, "sysdesign", "grades", SET).stdout
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "alice" in lines and "bob" in lines
    assert lines["alice"].split()[-2:] == ["15", "16"] and lines["bob"].split()[-2:] == ["11", "16"]
    assert "waiting" in lines["bob"], "bob's written answer is not graded yet"


def test_sysdesign_autograde_grades_a_class_with_a_progress_bar_and_restores_renamed_notebooks(walked):
    course, _ = walked
    renamed = course / "submitted" / "erin" / SET / f"{SET} (1).ipynb"
    renamed.parent.mkdir(parents=True)
    renamed.write_text(json.dumps(filled()), encoding="utf-8")
    before = renamed.read_bytes()
    out = run(course, "sysdesign", "autograde", SET, "erin", "bob", "--force").stdout  # bob: graded in step 4
    assert "autograde ps01_estimation: 100%" in out and "2/2" in out
    assert f"erin: graded {SET} (1).ipynb as {SET}.ipynb" in out
    assert "graded 2 of 2 submissions" in out
    erin = next(line for line in out.splitlines() if line.split()[:1] == ["erin"])
    assert erin.split()[-2:] == ["13", "16"]
    assert renamed.read_bytes() == before, "the student's own file is left as it was"
