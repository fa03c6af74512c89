"""The course on a real JupyterHub with nbgrader's exchange and real student accounts.

1. The whole cycle through the servers' REST APIs: the instructor generates and releases ps01;
   student 1 answers everything correctly, student 2 gets part F wrong; both submit; the
   instructor collects, autogrades, generates and releases feedback; both fetch their feedback.
2. Security: homes, the course folder and the gradebook are private; student servers have no
   formgrader or authoring tools; the exchange hides submissions; a forged submission is ignored;
   student 2's answers also attack the grader (tests/grading/hostile.py) when the Formgrader
   autogrades them, and every attempt is blocked by the sandbox; feedback shows no hidden tests.
3. A browser test: a student logs in, opens the Assignments panel, fetches and submits ps01.

All tests share one hub (tests/hub/conftest.py) and live in this one file, so that pytest-xdist's
``--dist loadfile`` keeps them on one worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from answers import (
    ASSIGNMENT,
    NOTEBOOK,
    WRONG_PART,
    answered,
    expected_scores,
    one_part_wrong,
    points,
    total_points,
)
from hostile import ATTACK_CODE, ATTACKS, Listener, hidden_lines, html_text, outputs_text, verdicts
from hubenv import BROWSER_STUDENT, INSTRUCTOR, STUDENTS, CourseHub, deploy_hub
from ps01_variants import prepend

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

GOOD, WRONG = STUDENTS
FORGED_STAMP = "2099-01-01 00:00:00.000000 UTC"


def forge_submission(
    course_hub: CourseHub, forger: str, victim: str
) -> deploy_hub.subprocess.CompletedProcess:
    """As ``forger``, file the unanswered release in the inbound folder under ``victim``'s name (newest)."""
    inbound = course_hub.exchange / "sysdesign" / "inbound"
    release = course_hub.exchange / "sysdesign" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    name = f"{victim}+{ASSIGNMENT}+{FORGED_STAMP}+forged"
    code = (
        "import os, shutil\n"
        f"d = os.path.join({str(inbound)!r}, {name!r})\n"
        "os.mkdir(d)\n"
        f"shutil.copy({str(release)!r}, os.path.join(d, {ASSIGNMENT + '.ipynb'!r}))\n"
        f"open(os.path.join(d, 'timestamp.txt'), 'w').write({FORGED_STAMP!r})\n"
        "open(os.path.join(d, 'submission_secret.txt'), 'w').write('x' * 128)\n"
        "os.chmod(d, 0o777)\n"
    )
    return deploy_hub.run_as(forger, code)


@pytest.fixture(scope="module")
def cycle(released: CourseHub) -> Iterator[CourseHub]:
    """Run the cycle once; the tests below check what it left behind."""
    hub, t = released.hub, released.timings
    start = time.monotonic()
    for student in STUDENTS:
        hub.fetch(student, ASSIGNMENT)
    t["fetch x2"] = time.monotonic() - start
    fetched = hub.get_notebook(GOOD, NOTEBOOK)
    hub.put_notebook(GOOD, NOTEBOOK, answered(fetched))
    released.listener = Listener()
    attack = ATTACK_CODE.format(course=str(released.course), port=released.listener.port, other=GOOD)
    hostile = prepend(one_part_wrong(hub.get_notebook(WRONG, NOTEBOOK)), "average-qps", attack)
    hub.put_notebook(WRONG, NOTEBOOK, hostile)
    start = time.monotonic()
    for student in STUDENTS:
        hub.submit(student, ASSIGNMENT)
    t["submit x2"] = time.monotonic() - start
    released.forgery = forge_submission(released, WRONG, GOOD)
    start = time.monotonic()
    hub.collect(INSTRUCTOR, ASSIGNMENT)
    t["collect"] = time.monotonic() - start
    start = time.monotonic()
    for student in STUDENTS:
        hub.autograde(INSTRUCTOR, ASSIGNMENT, student)
    t["autograde x2"] = time.monotonic() - start
    # The written answers get their (zero) points first: release_feedback refuses while any waits.
    from sysdesign.nbgrading.manual import score, waiting

    db_url = f"sqlite:///{released.course / 'gradebook.db'}"  # the hub's config is in ~/.jupyter
    for answer in waiting(released.course, ASSIGNMENT, db_url):
        score(released.course, ASSIGNMENT, answer.student, answer.grade_id, 0, db_url=db_url)
    start = time.monotonic()
    hub.generate_feedback(INSTRUCTOR, ASSIGNMENT)
    hub.release_feedback(INSTRUCTOR, ASSIGNMENT)
    t["generate + release feedback"] = time.monotonic() - start
    start = time.monotonic()
    for student in STUDENTS:
        hub.fetch_feedback(student, ASSIGNMENT)
    t["fetch feedback x2"] = time.monotonic() - start
    print("\nhub timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()))
    yield released
    released.listener.close()


def gradebook_scores(course: Path, student: str) -> tuple[float, dict[str, float]]:
    """(submission score, auto score of each autograded test cell) from the instructor's gradebook."""
    from nbgrader.api import Gradebook

    per_cell, _ = points()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        cells = {}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.name in per_cell:
                    cells[grade.name] = float(grade.auto_score or 0.0)
        return float(submission.score), cells


# --------------------------------------------------------------------------------------------
# 1. The cycle


def test_correct_answers_score_full_autograded_marks(cycle: CourseHub) -> None:
    full, _ = expected_scores()
    score, cells = gradebook_scores(cycle.course, GOOD)
    per_cell, _ = points()
    assert cells == per_cell
    assert score == pytest.approx(full)


def test_one_wrong_part_loses_exactly_its_points(cycle: CourseHub) -> None:
    _, minus_f = expected_scores()
    score, cells = gradebook_scores(cycle.course, WRONG)
    per_cell, letters = points()
    assert cells == {g: (0.0 if letters[g] == WRONG_PART else p) for g, p in per_cell.items()}
    assert score == pytest.approx(minus_f)


def test_each_student_fetched_only_their_own_feedback(cycle: CourseHub) -> None:
    digests = {}
    for student in STUDENTS:
        feedback = cycle.home(student) / ASSIGNMENT / "feedback"
        files = sorted(p for p in feedback.rglob("*") if p.is_file())
        assert [p.name for p in files] == [f"{ASSIGNMENT}.html"], files
        mine = cycle.course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert files[0].read_bytes() == mine.read_bytes()
        digests[student] = hashlib.sha256(files[0].read_bytes()).hexdigest()
    assert digests[GOOD] != digests[WRONG]
    # The heading of each feedback page states that student's score (nbgrader's template rounds to 2).
    full, minus_f = expected_scores()
    for student, score in ((GOOD, full), (WRONG, minus_f)):
        page = next((cycle.home(student) / ASSIGNMENT / "feedback").rglob("*.html")).read_text()
        assert f"{ASSIGNMENT} (Score: {round(score, 2)} / {round(total_points(), 2)})" in page


# --------------------------------------------------------------------------------------------
# 2. Security


def test_a_forged_submission_under_another_name_is_not_collected(cycle: CourseHub) -> None:
    assert cycle.forgery is not None and cycle.forgery.returncode == 0, cycle.forgery
    stamp = (cycle.course / "submitted" / GOOD / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp != FORGED_STAMP
    full, _ = expected_scores()
    assert gradebook_scores(cycle.course, GOOD)[0] == pytest.approx(full)


def test_a_hostile_submission_achieves_nothing_when_the_formgrader_grades_it(cycle: CourseHub) -> None:
    graded = cycle.course / "autograded" / WRONG / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    found = verdicts(outputs_text(json.loads(graded.read_text(encoding="utf-8"))), cycle.course)
    print("\n" + "\n".join(f"{a:26} hub (Formgrader, user {INSTRUCTOR}) {r}" for a, r in found.items()))
    assert sorted(found) == sorted(ATTACKS), found
    assert not [r for r in found.values() if r.startswith("LEAKED")], found
    assert cycle.listener.accepted == 0
    assert not (cycle.course / "pwned.txt").exists()
    import sqlite3

    with sqlite3.connect(cycle.course / "gradebook.db") as db:
        assert "pwned" not in {row[0] for row in db.execute("SELECT name FROM sqlite_master")}


def test_feedback_pages_show_no_hidden_test_code(cycle: CourseHub) -> None:
    for student in STUDENTS:
        page = next((cycle.home(student) / ASSIGNMENT / "feedback").rglob("*.html"))
        text = html_text(page)
        assert [line for line in hidden_lines() if line in text] == []
        assert "hidden tests: 3 checks" in text  # part A's hidden block: three check_close calls


PROBE = """
import json, os, sys
out = {}
for path in sys.argv[1:] if len(sys.argv) > 1 else PATHS:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, 'rb').read(1)
        out[path] = 'readable'
    except PermissionError:
        out[path] = 'denied'
    except FileNotFoundError:
        out[path] = 'missing'
print(json.dumps(out))
"""


def probe(user: str, paths: list[Path]) -> dict[str, str]:
    """What ``user`` gets when listing each folder or reading each file: readable / denied / missing."""
    code = f"PATHS = {[str(p) for p in paths]!r}\n" + PROBE
    done = deploy_hub.run_as(user, code)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_students_cannot_read_the_course_folder_or_each_others_homes(cycle: CourseHub) -> None:
    course = cycle.course
    secret = [
        cycle.home(INSTRUCTOR),
        course,
        course / "solutions",
        course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
        course / "gradebook.db",
        course / "submitted",
        course / "autograded" / GOOD / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
        cycle.home(INSTRUCTOR) / ".jupyter" / "nbgrader_config.py",
    ]
    for path in secret:
        assert path.exists(), path
    for student in STUDENTS:
        other = WRONG if student == GOOD else GOOD
        theirs = [cycle.home(other), cycle.home(other) / NOTEBOOK, cycle.home(other) / ".local"]
        assert probe(student, secret + theirs) == {str(p): "denied" for p in secret + theirs}
    # Control: the probe can read what is meant to be read.
    own = cycle.home(GOOD) / NOTEBOOK
    release = cycle.exchange / "sysdesign" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert probe(GOOD, [own, release]) == {str(own): "readable", str(release): "readable"}


def test_students_cannot_read_the_hubs_state(cycle: CourseHub) -> None:
    state = cycle.site / "state"
    paths = [state, state / "jupyterhub.sqlite", state / "cookie_secret", state / "hub.log"]
    assert probe(GOOD, paths) == {str(p): "denied" for p in paths}


def test_students_cannot_list_or_read_submissions_in_the_exchange(cycle: CourseHub) -> None:
    inbound = cycle.exchange / "sysdesign" / "inbound"
    feedback = cycle.exchange / "sysdesign" / "feedback"
    assert probe(WRONG, [inbound, feedback]) == {str(inbound): "denied", str(feedback): "denied"}
    # Guessing the folder name fails too: it ends in a random string.
    code = f"import glob; print(len(glob.glob({str(inbound)!r} + '/{GOOD}+*')))"
    assert deploy_hub.run_as(WRONG, code).stdout.strip() == "0"
    # And the student's own cached copy is in their private home.
    cache = cycle.home(GOOD) / ".local" / "share" / "jupyter" / "nbgrader_cache"
    assert probe(WRONG, [cache]) == {str(cache): "denied"}


def test_the_course_exchange_belongs_to_the_instructor(cycle: CourseHub) -> None:
    import pwd

    course = cycle.exchange / "sysdesign"
    for path, mode in (
        (course, 0o755),
        (course / "inbound", 0o2733),
        (course / "outbound", 0o755),
        (course / "feedback", 0o711),
    ):
        st = path.stat()
        assert pwd.getpwuid(st.st_uid).pw_name == INSTRUCTOR, path
        assert st.st_mode & 0o7777 == mode, (path, oct(st.st_mode))
    assert cycle.exchange.stat().st_mode & 0o7777 == 0o1777
    # A student cannot move the course's folder aside (sticky root) or write into outbound.
    code = (
        "import os\n"
        f"root = {str(cycle.exchange)!r}\n"
        "r = []\n"
        "for f in (lambda: os.rename(root + '/sysdesign', root + '/x'),\n"
        "          lambda: open(root + '/sysdesign/outbound/evil.ipynb', 'w')):\n"
        "    try:\n        f(); r.append('done')\n    except PermissionError:\n        r.append('denied')\n"
        "print(r)\n"
    )
    assert deploy_hub.run_as(GOOD, code).stdout.strip() == "['denied', 'denied']"


STUDENT_BLOCKED = [
    ("GET", "/formgrader"),
    ("GET", "/formgrader/api/assignments"),
    ("GET", "/formgrader/manage_students"),
    ("POST", f"/formgrader/api/assignment/{ASSIGNMENT}/assign"),
    ("POST", f"/formgrader/api/assignment/{ASSIGNMENT}/release"),
    ("POST", f"/formgrader/api/assignment/{ASSIGNMENT}/collect"),
    ("GET", "/formgraders"),
]


@pytest.mark.parametrize(("method", "path"), STUDENT_BLOCKED)
def test_student_servers_do_not_serve_the_formgrader(released: CourseHub, method: str, path: str) -> None:
    with pytest.raises(deploy_hub.HTTPError) as err:
        released.hub.user_api(STUDENTS[0], method, path, timeout=60)
    assert err.value.code == 404


def test_the_instructor_server_serves_the_formgrader(released: CourseHub) -> None:
    listing = released.hub.user_api(INSTRUCTOR, "GET", "/formgrader/api/assignments")
    assert ASSIGNMENT in [a["name"] for a in listing]  # type: ignore[union-attr]


def page_config(course_hub: CourseHub, user: str) -> dict:
    html = course_hub.hub.user_api(user, "GET", "/lab")
    assert isinstance(html, str)
    start = html.index('id="jupyter-config-data"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_student_lab_has_no_authoring_tools(released: CourseHub) -> None:
    disabled = page_config(released, STUDENTS[0]).get("disabledExtensions", [])
    for plugin in (
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:course-list",
    ):
        assert plugin in disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    teacher = page_config(released, INSTRUCTOR).get("disabledExtensions", [])
    assert "@jupyter/nbgrader:create-assignment" not in teacher


# --------------------------------------------------------------------------------------------
# 3. The browser


@pytest.mark.browser
def test_a_student_fetches_and_submits_in_the_browser(released: CourseHub) -> None:
    from browser_student import fetch_and_submit

    student = BROWSER_STUDENT
    fetch_and_submit(released.hub.url, student, released.passwords[student], ASSIGNMENT)
    home = released.home(student)
    assert (home / NOTEBOOK).is_file()
    inbound = released.exchange / "sysdesign" / "inbound"
    mine = [p for p in inbound.iterdir() if p.name.startswith(f"{student}+{ASSIGNMENT}+")]
    assert len(mine) == 1 and (mine[0] / f"{ASSIGNMENT}.ipynb").is_file()
    assert os.stat(mine[0]).st_uid == os.stat(home).st_uid
