"""The course at class scale: the release -> feedback cycle on a real JupyterHub, and autograding a class.

1. One hub (deploy/hub.py, LocalProcessSpawner, real system users) with an instructor and 22
   students. The full cycle through the servers' REST APIs, timed step by step, for 2 students
   (assignment ps01_estimation) and then for 20 others (a copy of it, ps01_copy): generate +
   release, every student fetches, writes the answers, submits (students act at once, one thread
   each), collect, autograde each submission through the formgrader, generate + release
   feedback, every student fetches feedback. Also the servers' start time and memory.
2. Autograding N submissions (default 10) outside the hub: one nbgrader process for the whole
   class against one process per student (each pays nbgrader's start-up).

Needs root (system users); prints a one-line reason otherwise. Takes 15-30 minutes on a busy
two-core machine. Environment: SYSDESIGN_BENCH_HUB_SIZES (default "2,20"),
SYSDESIGN_BENCH_GRADE_STUDENTS (default 10).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "tests" / "hub"))

import hub as deploy_hub  # noqa: E402

INSTRUCTOR = "sdb-inst"
COPY = "ps01_copy"


def line(name: str, seconds: float, extra: str = "") -> str:
    return f"{name:<52} {seconds:8.1f} s{('   ' + extra) if extra else ''}"


def rss_mb(user: str) -> list[float]:
    """Resident memory (MB) of each process of ``user``."""
    uid = pwd.getpwnam(user).pw_uid
    sizes = []
    for pid in deploy_hub.user_pids(uid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for row in status.splitlines():
            if row.startswith("VmRSS:"):
                sizes.append(int(row.split()[1]) / 1024)
    return sizes


def cycle(hub: deploy_hub.Hub, assignment: str, students: list[str]) -> dict[str, float]:
    """One release -> feedback cycle; seconds per step."""
    from answers import answered, one_part_wrong

    notebook = f"{assignment}/ps01_estimation.ipynb"
    steps: dict[str, float] = {}

    def timed(name: str, action, *args) -> None:  # noqa: ANN001
        start = time.monotonic()
        action(*args)
        steps[name] = time.monotonic() - start

    def each_student(action) -> None:  # noqa: ANN001
        with ThreadPoolExecutor(max_workers=len(students)) as pool:
            list(pool.map(action, students))

    def release() -> None:
        hub.assign(INSTRUCTOR, assignment)
        hub.release(INSTRUCTOR, assignment)

    def autograde_all() -> None:
        for student in students:
            hub.autograde(INSTRUCTOR, assignment, student)

    def answer(student: str) -> None:
        nb = hub.get_notebook(student, notebook)
        fill = one_part_wrong if students.index(student) % 2 else answered
        hub.put_notebook(student, notebook, fill(nb))

    timed("generate + release", release)
    timed("students fetch", each_student, lambda s: hub.fetch(s, assignment))
    timed("students write answers (contents API)", each_student, answer)
    timed("students submit", each_student, lambda s: hub.submit(s, assignment))
    timed("collect", hub.collect, INSTRUCTOR, assignment)
    timed("autograde each (formgrader API)", autograde_all)
    timed(
        "generate + release feedback",
        lambda: (hub.generate_feedback(INSTRUCTOR, assignment), hub.release_feedback(INSTRUCTOR, assignment)),
    )
    timed("students fetch feedback", each_student, lambda s: hub.fetch_feedback(s, assignment))
    for student in students:  # every student got feedback
        home = Path(pwd.getpwnam(student).pw_dir)
        assert list((home / assignment / "feedback").rglob("*.html")), student
    return steps


def bench_cycles(sizes: list[int]) -> None:
    students = [f"sdb-s{i:02d}" for i in range(1, sum(sizes) + 1)]
    users = [INSTRUCTOR, *students]
    site = Path(tempfile.mkdtemp(prefix="sdb-hub-"))
    exchange = site / "exchange"
    hub = None
    try:
        deploy_hub.install()
        deploy_hub.configure(site, exchange)
        for user in users:
            deploy_hub.remove_user(user)
        course = deploy_hub.prepare_instructor(INSTRUCTOR, exchange=exchange)
        shutil.copytree(course / "solutions" / "ps01_estimation", course / "solutions" / COPY)
        uid, gid = pwd.getpwnam(INSTRUCTOR).pw_uid, pwd.getpwnam(INSTRUCTOR).pw_gid
        for path in [course / "solutions" / COPY, *(course / "solutions" / COPY).rglob("*")]:
            os.chown(path, uid, gid)
        for student in students:
            deploy_hub.add_user(student)
        start = time.monotonic()
        passwords = {u: secrets.token_urlsafe(9) for u in users}
        port = deploy_hub.free_port_block()
        hub = deploy_hub.start([INSTRUCTOR], students, passwords, port=port, site=site)
        print(line("hub start", time.monotonic() - start), flush=True)
        hub.users = list(users)
        seconds = hub.start_servers(users, timeout=1200)
        print(line(f"start {len(users)} servers at once", seconds), flush=True)
        servers = [sum(rss_mb(s)) for s in students]
        print(
            f"{'memory per student server (idle, RSS)':<52} {sum(servers) / len(servers):8.0f} MB"
            f"   instructor {sum(rss_mb(INSTRUCTOR)):.0f} MB",
            flush=True,
        )
        first = 0
        for size, assignment in zip(sizes, ["ps01_estimation", COPY], strict=False):
            group = students[first : first + size]
            first += size
            steps = cycle(hub, assignment, group)
            print(f"-- release -> feedback, {size} students ({assignment})")
            for name, value in steps.items():
                each = f"{value / size:.2f} s per student" if "autograde" in name else ""
                print(line(f"   {name}", value, each))
            print(line(f"   whole cycle, {size} students", sum(steps.values())), flush=True)
    finally:
        if hub is not None:
            hub.stop()
        for user in users:
            deploy_hub.remove_user(user)
        shutil.rmtree(site, ignore_errors=True)


GRADE_ONE = """
import sys
from sysdesign.nbgrading.course import TempCourse
course = TempCourse(["ps01_estimation"], folder=sys.argv[1], timeout=10)
result = course.autograde("ps01_estimation", sys.argv[2])
sys.exit(0 if result.get("success") else 1)
"""


def bench_autograde(students: int) -> None:
    """One nbgrader process for ``students`` submissions against one process per submission."""
    from answers import answered, one_part_wrong
    from sysdesign.nbgrading.course import TempCourse

    venv = ROOT / ".venv" / "bin" / "python"
    python = str(venv) if venv.exists() else sys.executable
    with tempfile.TemporaryDirectory(prefix="sdb-grade-") as tmp:
        results = {}
        for mode in ("one process for the class", "one process per student"):
            folder = Path(tmp) / mode.replace(" ", "-")
            course = TempCourse(["ps01_estimation"], folder=folder, timeout=10)
            course.generate("ps01_estimation")
            released = folder / "exercises" / "ps01_estimation" / "ps01_estimation.ipynb"
            release = json.loads(released.read_text())
            names = [f"s{i:02d}" for i in range(students)]
            for i, name in enumerate(names):
                course.submit_json("ps01_estimation", name, (one_part_wrong if i % 2 else answered)(release))
            start = time.monotonic()
            if mode.startswith("one process for"):
                subprocess.run([python, "-c", GRADE_ONE, str(folder), "*"], check=True, capture_output=True)
            else:
                for name in names:
                    command = [python, "-c", GRADE_ONE, str(folder), name]
                    subprocess.run(command, check=True, capture_output=True)
            results[mode] = time.monotonic() - start
            graded = len(list((folder / "autograded").glob("*/ps01_estimation/ps01_estimation.ipynb")))
            assert graded == students, (mode, graded)
            each = f"{results[mode] / students:.1f} s each"
            print(line(f"autograde {students} submissions, {mode}", results[mode], each))
        ratio = results["one process per student"] / results["one process for the class"]
        print(f"{'one process per student / one process':<52} {ratio:8.2f} x", flush=True)


def main() -> None:
    if os.geteuid() != 0:
        print("bench_hub: skipped, needs root (it creates system users for a real JupyterHub)")
        return
    sizes = [int(x) for x in os.environ.get("SYSDESIGN_BENCH_HUB_SIZES", "2,20").split(",") if x.strip()]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    bench_cycles(sizes)
    bench_autograde(int(os.environ.get("SYSDESIGN_BENCH_GRADE_STUDENTS", "10")))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
