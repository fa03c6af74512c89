"""Hostile batch: submissions that attack the grader, under each grading path, next to an honest one.

The attacker's ps01 notebook is correct, but its first answer cell also tries, one by one, to read
the instructor's ``solutions/`` of a later problem set and a private file in the course root, to
read another student's submission, to find a gradebook in the grader's ``/tmp``, to write a file
into the course folder, to create a table in ``gradebook.db``, and to open a TCP connection to a
listener on this machine. Each attempt prints ``BLOCKED <attack> <error>`` or ``LEAKED <attack>
<what it got>`` into the graded notebook. Under every path (the ``nbgrader autograde`` command,
``sysdesign autograde --jobs 2``, ``sysdesign check``) every attempt must be blocked, nothing may
change in the course folder or the gradebook, the listener sees no connection, the honest
submission keeps full marks, and the feedback pages hold no line of hidden test code.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from hostile import ATTACK_CODE, ATTACKS, Listener, hidden_lines, html_text, outputs_text, verdicts
from ps01_variants import SET, filled, load, prepend
from sysdesign.nbgrading import sandbox
from sysdesign.nbgrading.course import TempCourse, remove_tree

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sandbox.unavailable_reason() is not None, reason=f"{sandbox.unavailable_reason()}"),
]

BIN = Path(sys.executable).parent
LATER = "ps02_requirements_api"
TIMEOUT = "30"  # seconds per cell; the first cell imports the library on a busy machine


def tables(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))


@pytest.fixture(scope="module")
def course():
    """An instructor's course: ps01 generated, a later set's solutions, a private note, two submissions."""
    # Outside /tmp, like a real course folder: the sandbox's /tmp is private, so a course under /tmp
    # would show up there as empty, writable folders on the path to the kernel's own folder.
    base = "/var/tmp" if os.access("/var/tmp", os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="sysdesign-hostile-", dir=base)).resolve()
    TempCourse([SET, LATER], folder=folder).generate(SET)
    secrets = {"solutions": f"SOLUTION-{uuid.uuid4().hex}", "notes": f"NOTES-{uuid.uuid4().hex}"}
    later = folder / "solutions" / LATER / f"{LATER}.ipynb"
    nb = load(later)
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": secrets["solutions"]})
    later.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    (folder / "instructor_notes.txt").write_text(secrets["notes"] + "\n", encoding="utf-8")
    (folder / "nbgrader_config.py").write_text(
        "from sysdesign.nbgrading.config import grading_rules\n"
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'sysdesign'\n"
        f"c.CourseDirectory.root = {str(folder)!r}\n"
        "c.CourseDirectory.source_directory = 'solutions'\n"
        "c.CourseDirectory.release_directory = 'exercises'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{folder}/gradebook.db'\n"
        f"c.Exchange.root = {str(folder / '.exchange')!r}\n"
        "grading_rules(c)\n"
        f"c.Execute.timeout = {TIMEOUT}\n",
        encoding="utf-8",
    )
    listener = Listener()
    honest = filled()
    secrets["honest"] = f"HONEST-{uuid.uuid4().hex}"
    honest = prepend(honest, "average-qps", f"# {secrets['honest']}")
    attacker = prepend(
        filled(), "average-qps", ATTACK_CODE.format(course=str(folder), port=listener.port, other="honest")
    )
    for student, nb in {"honest": honest, "attacker": attacker}.items():
        target = folder / "submitted" / student / SET / f"{SET}.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    before = {
        "files": sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if "autograded" not in p.parts),
        "tables": tables(folder / "gradebook.db"),
    }
    yield folder, listener, secrets, before, attacker
    listener.close()
    remove_tree(folder)


def env() -> dict[str, str]:
    return {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}


def run(cmd: list[str], cwd: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        cmd, cwd=cwd, env={**env(), **(extra or {})}, capture_output=True, text=True, timeout=900, check=False
    )
    return done


def autograded(folder: Path, student: str) -> dict:
    return load(folder / "autograded" / student / SET / f"{SET}.ipynb")


def score(folder: Path, student: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:
        return float(gb.find_submission(SET, student).score)


RESULTS: dict[str, dict[str, str]] = {}


def assert_all_blocked(path: str, text: str, secrets: dict[str, str], folder: Path) -> None:
    """Every attack ran and achieved nothing; no secret appears anywhere in ``text``."""
    found = verdicts(text, folder)
    RESULTS[path] = found
    assert sorted(found) == sorted(ATTACKS), f"every attack ran under {path}: {found}"
    leaked = {a: r for a, r in found.items() if r.startswith("LEAKED")}
    assert not leaked, f"{path}: {leaked}"
    for name, secret in secrets.items():
        assert secret not in text, f"{path}: the {name} secret reached the graded notebook"


def assert_course_untouched(folder: Path, listener: Listener, before: dict) -> None:
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if "autograded" not in p.parts)
    new = set(files) - set(before["files"])
    assert not [f for f in new if not f.startswith(("feedback", ".exchange"))], new
    # The grader's own steps may add tables (sysdesign keeps answer hashes there); the attack's must not.
    assert "pwned" not in tables(folder / "gradebook.db")
    assert listener.accepted == 0


def assert_feedback_clean(page: Path, secrets: dict[str, str]) -> None:
    text = html_text(page)
    leaked = [line for line in hidden_lines() if line in text]
    assert not leaked, f"{page.name} shows hidden test lines: {leaked[:3]}"
    assert "hidden tests: 3 checks" in text, "Part A's hidden block (three check_close calls) is summarised"
    assert 'grading.check_close("average_qps(86_400, 1)"' in text, "the visible test stays"
    for name, secret in secrets.items():
        assert secret not in text, f"the {name} secret reached {page}"


def test_nbgrader_autograde_command(course):
    folder, listener, secrets, before, _ = course
    done = run([str(BIN / "nbgrader"), "autograde", SET, "--force"], folder)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert score(folder, "honest") == 13 and score(folder, "attacker") == 13  # + 3 manual points
    assert_all_blocked("nbgrader autograde", outputs_text(autograded(folder, "attacker")), secrets, folder)
    assert_course_untouched(folder, listener, before)
    done = run([str(BIN / "nbgrader"), "generate_feedback", SET, "--force"], folder)
    assert done.returncode == 0, done.stderr[-3000:]
    for student in ("honest", "attacker"):
        others = {k: v for k, v in secrets.items() if k != student}  # the honest page shows its own marker
        assert_feedback_clean(folder / "feedback" / student / SET / f"{SET}.html", others)


def test_sysdesign_autograde_two_jobs(course):
    folder, listener, secrets, before, _ = course
    done = run(
        [
            str(BIN / "sysdesign"),
            "autograde",
            SET,
            "--course",
            str(folder),
            "--jobs",
            "2",
            "--timeout",
            TIMEOUT,
            "--force",  # the nbgrader command graded them already
        ],
        folder,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "graded 2 of 2 submissions" in done.stdout
    assert score(folder, "honest") == 13 and score(folder, "attacker") == 13
    assert_all_blocked(
        "sysdesign autograde --jobs 2", outputs_text(autograded(folder, "attacker")), secrets, folder
    )
    assert_course_untouched(folder, listener, before)


def test_sysdesign_check(course, tmp_path):
    folder, listener, secrets, before, attacker = course
    mine = tmp_path / "mine.ipynb"
    mine.write_text(json.dumps(attacker, indent=1) + "\n", encoding="utf-8")
    page = tmp_path / "feedback.html"
    done = run(
        [str(BIN / "sysdesign"), "check", str(mine), "--html", str(page), "--timeout", TIMEOUT],
        tmp_path,
        {"SYSDESIGN_COURSE_ROOT": str(folder)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Total (autograded) 13 / 13" in done.stdout
    assert "without a sandbox" not in done.stdout, "bubblewrap works here, so check is sandboxed"
    # check's report does not show cell outputs; the feedback page does.
    assert_all_blocked("sysdesign check", html_text(page), secrets, folder)
    assert_feedback_clean(page, secrets)
    assert_course_untouched(folder, listener, before)


def test_instructor_grading_stops_without_a_sandbox_unless_opted_out(course, monkeypatch):
    folder, *_ = course
    monkeypatch.setitem(sandbox._PROBED, "reason", "bubblewrap (bwrap) is not installed")
    from sysdesign.nbgrading import GradingError
    from sysdesign.nbgrading.classgrade import autograde_class

    with pytest.raises(GradingError, match="apt-get install bubblewrap.*kernel.unprivileged_userns_clone=1"):
        autograde_class(SET, folder, ["honest"])
    monkeypatch.setenv(sandbox.OPT_OUT_ENV, "1")
    assert "without a sandbox" in (sandbox.instructor_sandbox() or "")


MISSING = "bubblewrap (bwrap) is not installed"


def kernel_command(mode: str, cwd: str) -> list[str]:
    """The command line a grading kernel in ``mode`` would start with (nothing is started)."""
    from traitlets.config import Config

    km = sandbox.SandboxedKernelManager(kernel_name="python3", config=Config())
    km.sandbox = mode
    km._launch_args = {"cwd": cwd}
    try:
        return km.format_kernel_cmd()
    finally:
        km._release_private_folder()  # the kernel's private folder and its lock


def test_without_bubblewrap_a_required_sandbox_refuses_to_start_the_kernel(monkeypatch, tmp_path):
    monkeypatch.setitem(sandbox._PROBED, "reason", MISSING)
    monkeypatch.delenv(sandbox.OPT_OUT_ENV, raising=False)
    with pytest.raises(sandbox.SandboxUnavailable, match="sysctl -w kernel.unprivileged_userns_clone=1"):
        kernel_command("require", str(tmp_path))


def test_the_opt_out_runs_unsandboxed_and_says_so_for_every_kernel(monkeypatch, tmp_path, caplog):
    monkeypatch.setitem(sandbox._PROBED, "reason", MISSING)
    monkeypatch.setenv(sandbox.OPT_OUT_ENV, "1")
    monkeypatch.setattr(sandbox, "UNSANDBOXED", [])
    for _ in range(2):
        cmd = kernel_command("require", str(tmp_path))
        assert not any("bwrap" in part for part in cmd)
    assert sandbox.UNSANDBOXED == ["unsandboxed: switched off by the instructor"] * 2
    assert caplog.text.count("GRADING WITHOUT A SANDBOX") == 2


def test_a_working_sandbox_is_used_even_when_the_opt_out_is_set_for_prefer(monkeypatch, tmp_path):
    # "prefer" (a learner's check) ignores the instructor's opt-out: it sandboxes whenever it can.
    monkeypatch.setenv(sandbox.OPT_OUT_ENV, "1")
    cmd = kernel_command("prefer", str(tmp_path))
    assert any(part.endswith("bwrap") for part in cmd) and "--unshare-net" in cmd
    assert "--ro-bind" in cmd and str(tmp_path) in cmd and "--chdir" in cmd


def test_a_working_folder_that_holds_the_temporary_folder_is_not_bound(monkeypatch):
    # Binding /tmp itself read-only would hide the kernel's private folder (and leave it no /tmp).
    monkeypatch.setattr(sandbox, "UNSANDBOXED", [])
    with pytest.raises(sandbox.SandboxUnavailable, match="holds the temporary folder"):
        kernel_command("require", tempfile.gettempdir())
    cmd = kernel_command("prefer", tempfile.gettempdir())
    assert not any(part.endswith("bwrap") for part in cmd)
    assert "holds the temporary folder" in sandbox.UNSANDBOXED[0]


def test_a_kernel_that_dies_leaves_no_private_folder_behind(monkeypatch):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from traitlets.config import Config

    made: list[str] = []
    original = sandbox.SandboxedKernelManager._private_folder

    def recorded(self):
        made.append(original(self))
        return made[-1]

    monkeypatch.setattr(sandbox.SandboxedKernelManager, "_private_folder", recorded)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nos._exit(1)")])
    client = NotebookClient(
        nb,
        kernel_manager_class=sandbox.SandboxedKernelManager,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(__file__).parent)}},
        config=Config(),
    )
    with pytest.raises(DeadKernelError):
        client.execute()
    assert made and not [p for p in set(made) if Path(p).exists()]


def test_private_folders_of_a_killed_grader_are_removed_and_live_ones_kept(tmp_path, monkeypatch):
    claim = (
        "from sysdesign.nbgrading import sandbox\n"
        "print(sandbox._claim_private_folder()[0], flush=True)\n"
        "input()"  # holds its folder until killed
    )
    grader = subprocess.Popen(
        [sys.executable, "-c", claim],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    killed = Path(grader.stdout.readline().strip())  # type: ignore[union-attr]
    assert sandbox.remove_abandoned_private_folders(str(tmp_path)) == []  # its grader still runs
    grader.kill()  # SIGKILL: nothing of the grader runs after it
    grader.wait()
    assert killed.is_dir() and killed.parent == tmp_path
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    live, lock = sandbox._claim_private_folder()  # the next claim sweeps the killed grader's folder
    assert not killed.exists() and not Path(f"{killed}.owner").exists()
    assert sandbox.remove_abandoned_private_folders(str(tmp_path)) == [] and Path(live).is_dir()
    os.close(lock)  # as if this process ended
    assert sandbox.remove_abandoned_private_folders(str(tmp_path)) == [live]
    assert sorted(tmp_path.iterdir()) == []


def test_a_learner_check_without_a_sandbox_still_grades_and_says_so_once(monkeypatch, tmp_path, capsys):
    from sysdesign import cli

    monkeypatch.setitem(sandbox._PROBED, "reason", MISSING)
    monkeypatch.delenv(sandbox.OPT_OUT_ENV, raising=False)
    mine = tmp_path / "mine.ipynb"
    mine.write_text(json.dumps(filled(), indent=1) + "\n", encoding="utf-8")
    assert cli.main(["check", str(mine), "--timeout", TIMEOUT]) == 0
    out = capsys.readouterr().out
    assert "Total (autograded) 13 / 13" in out
    assert out.count("graded without a sandbox") == 1 and MISSING in out


def test_print_attack_table():
    """Not a check: prints the attack table (attempt, path, result) for the record (-s to see it)."""
    for path, found in RESULTS.items():
        for attack in ATTACKS:
            print(f"{attack:26} {path:30} {found.get(attack, 'not run')}")
