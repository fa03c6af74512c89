"""The gradebook on a real PostgreSQL gives the same grades as on SQLite.

A private PostgreSQL cluster (initdb + pg_ctl, password login, listening on 127.0.0.1 on a free
port, in a temporary folder) is started for this module and stopped after it, by its postmaster's
process id if pg_ctl cannot. As root the cluster runs as the ``postgres`` user (PostgreSQL refuses
to run as root); as anyone else it runs as that user. Then the same course runs twice with
nbgrader's Python API, once per gradebook: generate and release ps01; this OS user fetches it,
answers it and submits it through the exchange; two more submissions (one part wrong, untouched)
are filed directly; collect, autograde everything in one run, export the grades to CSV.
"""

from __future__ import annotations

import csv
import getpass
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from answers import ASSIGNMENT, answered, expected_scores, one_part_wrong, total_points
from hubenv import deploy_hub, need
from sysdesign.nbgrading.course import TempCourse

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),
    pytest.mark.filterwarnings("ignore:Object of type:Warning"),  # nbgrader with SQLAlchemy 2, both databases
]

DB_USER = "sdt_grader"
DB_NAME = "gradebook"


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    try:
        import psycopg
    except ImportError:
        psycopg = None
    need(psycopg is not None, "needs psycopg[binary] (pip install 'psycopg[binary]')")
    bindir = postgres_bin()
    need(bindir is not None, "needs PostgreSQL's server binaries (apt-get install postgresql)")
    as_root = os.geteuid() == 0
    if as_root:
        need(deploy_hub.user_exists("postgres"), "needs the postgres system user to run PostgreSQL as root")
    runner = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--"] if as_root else []
    owner = pwd.getpwnam("postgres" if as_root else getpass.getuser())
    folder = Path(tempfile.mkdtemp(prefix="sdt-pg-"))
    data, sockets, log = folder / "data", folder / "sockets", folder / "postgres.log"
    sockets.mkdir()
    password = secrets.token_urlsafe(16)
    pwfile = folder / "pwfile"
    pwfile.write_text(password + "\n")
    for path in (folder, sockets, pwfile):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    os.chmod(folder, 0o700)
    port = deploy_hub.free_port_block(1)
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(folder)}
    started = False
    try:
        subprocess.run(
            [
                *runner,
                bindir / "initdb",
                "-D",
                data,
                "-U",
                DB_USER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=folder,
        )
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off"
        subprocess.run(
            [*runner, bindir / "pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "-t", "120", "start"],
            check=True,
            capture_output=True,
            env=env,
            cwd=folder,
        )
        started = True
        admin = f"postgresql://{DB_USER}:{password}@127.0.0.1:{port}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DB_NAME}")
        yield f"postgresql+psycopg://{DB_USER}:{password}@127.0.0.1:{port}/{DB_NAME}"
    finally:
        pid = _postmaster_pid(data)
        if started:
            subprocess.run(
                [*runner, bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "stop"],
                capture_output=True,
                env=env,
                cwd=folder,
            )
        if pid is not None:
            _stop_pid(pid)
        shutil.rmtree(folder, ignore_errors=True)


def _postmaster_pid(data: Path) -> int | None:
    try:
        return int((data / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _stop_pid(pid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.1)


def grade_course(
    folder: Path, db_url: str | None
) -> tuple[dict[str, tuple[float, float]], list[dict[str, str]], str]:
    """Run the course once.

    Returns ({student: (score, max)} from the gradebook, the exported CSV rows, this OS user's student id).
    """
    from nbgrader.api import Gradebook
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit
    from nbgrader.plugins import CsvExportPlugin

    course = TempCourse([ASSIGNMENT], folder=folder / "course", timeout=5)
    config = course.config
    if db_url:
        config.CourseDirectory.db_url = db_url
    config.Exchange.assignment_dir = str(folder / "student")
    config.Exchange.path_includes_course = False
    config.CourseDirectory.assignment_id = ASSIGNMENT
    (folder / "student").mkdir()
    course.generate(ASSIGNMENT)
    assert course.api.release_assignment(ASSIGNMENT)["success"]
    # The student's side, as this OS user (nbgrader's student id is the user name).
    me = getpass.getuser()

    def exchange(kind: type) -> object:
        return kind(
            coursedir=CourseDirectory(config=config),
            authenticator=Authenticator(config=config),
            config=config,
        )

    exchange(ExchangeFetchAssignment).start()  # type: ignore[attr-defined]
    mine = folder / "student" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    mine.write_text(json.dumps(answered(json.loads(mine.read_text()))))
    exchange(ExchangeSubmit).start()  # type: ignore[attr-defined]
    assert course.api.collect(ASSIGNMENT)["success"]
    release = json.loads((folder / "course" / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    course.submit_json(ASSIGNMENT, "sdt-wrong", one_part_wrong(release))
    course.submit_json(ASSIGNMENT, "sdt-blank", release)
    result = course.autograde(ASSIGNMENT, "*")
    assert result["success"], result.get("log")
    scores = {}
    with Gradebook(config.CourseDirectory.db_url, "sysdesign") as gb:
        for student in (me, "sdt-wrong", "sdt-blank"):
            submission = gb.find_submission(ASSIGNMENT, student)
            scores[student] = (float(submission.score), float(submission.max_score))
        export = CsvExportPlugin(config=config)
        export.to = str(folder / "grades.csv")
        export.export(gb)
    with open(folder / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return scores, rows, me


@pytest.fixture(scope="module")
def both(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    return {
        "sqlite": grade_course(tmp_path_factory.mktemp("sqlite"), None),
        "postgresql": grade_course(tmp_path_factory.mktemp("postgresql"), postgres_url),
    }


def test_postgresql_gradebook_holds_the_expected_grades(both: dict[str, tuple]) -> None:
    scores, _, me = both["postgresql"]
    full, minus_f = expected_scores()
    total = total_points()
    assert scores == {me: (full, total), "sdt-wrong": (minus_f, total), "sdt-blank": (0.0, total)}


def test_postgresql_and_sqlite_grades_and_exports_match(both: dict[str, tuple]) -> None:
    def comparable(rows: list[dict[str, str]]) -> list[tuple]:
        keys = ("assignment", "student_id", "raw_score", "late_submission_penalty", "score", "max_score")
        return sorted(tuple(row[k] for k in keys) for row in rows)

    assert both["postgresql"][0] == both["sqlite"][0]
    assert comparable(both["postgresql"][1]) == comparable(both["sqlite"][1])
    assert len(both["postgresql"][1]) == 3


def test_the_postgresql_gradebook_is_stamped_with_nbgraders_schema_version(
    postgres_url: str, both: dict
) -> None:
    import psycopg

    with psycopg.connect(postgres_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert len(versions) == 1 and versions[0][0]
