"""A local JupyterHub for the course: install, users, start/stop, and a small REST client.

`make hub` runs ``python deploy/hub.py``: it installs the hub (a venv every user can read, built
from Debian's python3, plus configurable-http-proxy from npm), creates an instructor and two
students as system users, and serves the course on 127.0.0.1 until Ctrl-C. Needs root.
The tests in tests/hub/ use the same functions.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HUB_DIR = Path(os.environ.get("SYSDESIGN_HUB_DIR", "/opt/sysdesign-hub"))
EXCHANGE = Path(os.environ.get("SYSDESIGN_EXCHANGE", "/srv/nbgrader/exchange"))
COURSE_ID = "sysdesign"
SYSTEM_PYTHON = "/usr/bin/python3"

STUDENT_SERVER_CONFIG = {
    "ServerApp": {
        "jpserver_extensions": {
            "nbgrader.server_extensions.formgrader": False,
            "nbgrader.server_extensions.course_list": False,
        }
    }
}
STUDENT_LAB_CONFIG = {
    "disabledExtensions": {
        "@jupyter/nbgrader:formgrader": True,
        "@jupyter/nbgrader:create-assignment": True,
        "@jupyter/nbgrader:course-list": True,
    }
}


def run(*command: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run a command, raising with its output if it fails."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def venv_bin(hub_dir: Path = HUB_DIR) -> Path:
    return hub_dir / "venv" / "bin"


def install(hub_dir: Path = HUB_DIR, exchange: Path = EXCHANGE) -> Path:
    """Install (or refresh) the hub: venv, course package, proxy, nbgrader configs, exchange. Idempotent."""
    if os.geteuid() != 0:
        raise PermissionError("the course hub creates system users and a shared exchange: run it as root")
    hub_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(hub_dir, 0o755)
    python = venv_bin(hub_dir) / "python"
    if not python.exists():
        if not Path(SYSTEM_PYTHON).exists():
            run("apt-get", "install", "-y", "-qq", "python3", "python3-venv")
        run(SYSTEM_PYTHON, "-m", "venv", hub_dir / "venv")
        run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "-q", "jupyterhub>=5,<7", "psycopg[binary]>=3.1", REPO)
    else:  # refresh the course package from this checkout
        run(python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", REPO)
    proxy = hub_dir / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        (hub_dir / "node").mkdir(exist_ok=True)
        run("npm", "install", "--silent", "--no-audit", "--no-fund", "configurable-http-proxy@5", cwd=hub_dir / "node")
    # Every user's nbgrader: the shared exchange and the course id.
    site = hub_dir / "venv" / "etc" / "jupyter"
    site.mkdir(parents=True, exist_ok=True)
    (site / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.Exchange.path_includes_course = False\n"
    )
    # Student servers: no formgrader, no assignment-creation tools.
    server_d = hub_dir / "student-config" / "jupyter_server_config.d"
    server_d.mkdir(parents=True, exist_ok=True)
    (server_d / "zz-sysdesign-student.json").write_text(json.dumps(STUDENT_SERVER_CONFIG, indent=1))
    labconfig = hub_dir / "student-config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(STUDENT_LAB_CONFIG, indent=1))
    for path in (hub_dir / "student-config", server_d, labconfig):
        os.chmod(path, 0o755)
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o777)
    return hub_dir


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def add_user(name: str) -> Path:
    """Create a system user whose home only they can read (Debian's default 755 would expose it)."""
    if not user_exists(name):
        run("useradd", "--create-home", "--shell", "/bin/bash", name)
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)
    return home


def remove_user(name: str) -> None:
    """Delete a system user, their processes and home (no error if absent)."""
    if user_exists(name):
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        time.sleep(0.2)
        subprocess.run(["userdel", "--remove", "--force", name], capture_output=True)


def prepare_instructor(name: str, repo: Path = REPO, exchange: Path = EXCHANGE) -> Path:
    """Give the instructor a course folder with the solutions and a private gradebook; return it."""
    home = add_user(name)
    course = home / "course"
    if (course / "solutions").exists():
        shutil.rmtree(course / "solutions")
    course.mkdir(exist_ok=True)
    shutil.copytree(repo / "solutions", course / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    config = home / ".jupyter"
    config.mkdir(exist_ok=True)
    (config / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.source_directory = 'solutions'\n"
        "c.CourseDirectory.release_directory = 'release'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course}/gradebook.db'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.Execute.timeout = 10\n"
    )
    user = pwd.getpwnam(name)
    for path in [course, config, *course.rglob("*"), *config.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    return course


@dataclass
class Hub:
    """A running JupyterHub: its URL, API token and process (a process group, stopped as one)."""

    url: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path
    pids: list[int] = field(default_factory=list)

    def api(self, method: str, path: str, body: object | None = None, timeout: float = 30) -> object:
        """Call the hub's REST API (``/hub/api`` + path) as the course-admin service."""
        return request(method, f"{self.url}/hub/api{path}", self.token, body, timeout)

    def user_api(self, user: str, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 120) -> object:
        """Call a path on ``user``'s own server (e.g. ``/assignments/fetch``) with the service token."""
        return request(method, f"{self.url}/user/{user}{path}", self.token, form, timeout, as_form=True)

    def start_server(self, user: str, timeout: float = 90) -> None:
        """Create ``user`` in the hub if needed, start their server and wait until it is ready."""
        try:
            self.api("POST", f"/users/{user}")
        except HTTPError as exc:
            if exc.code != 409:  # already exists
                raise
        try:
            self.api("POST", f"/users/{user}/server")
        except HTTPError as exc:
            if exc.code != 400:  # already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{user}")
            server = model.get("servers", {}).get("", {})  # type: ignore[union-attr]
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{user}'s server did not become ready in {timeout} s; see {self.log}")

    def stop(self) -> None:
        """Stop the hub, its proxy and every single-user server it started."""
        stop_process_group(self.process)


class HTTPError(RuntimeError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"HTTP {code}: {message}")
        self.code = code


def request(
    method: str, url: str, token: str, body: object | None = None, timeout: float = 30, as_form: bool = False
) -> object:
    """One HTTP call with a token; JSON in and out (or a form body)."""
    headers = {"Authorization": f"token {token}"}
    data = None
    if body is not None and as_form:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    if method == "POST" and data is None:
        req.data = b""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as exc:
        raise HTTPError(exc.code, exc.read().decode(errors="replace")[:2000]) from None
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return text


def start(
    instructors: list[str],
    students: list[str],
    passwords: dict[str, str] | None = None,
    port: int = 8000,
    hub_dir: Path = HUB_DIR,
    log: Path | None = None,
) -> Hub:
    """Start JupyterHub in its own process group and wait for its API; return a :class:`Hub`."""
    token = secrets.token_hex(24)
    env = dict(
        os.environ,
        SYSDESIGN_HUB_DIR=str(hub_dir),
        SYSDESIGN_HUB_PORT=str(port),
        SYSDESIGN_INSTRUCTORS=",".join(instructors),
        SYSDESIGN_STUDENTS=",".join(students),
        SYSDESIGN_HUB_AUTH="demo",
        SYSDESIGN_HUB_PASSWORDS=",".join(f"{user}:{pw}" for user, pw in (passwords or {}).items()),
        SYSDESIGN_HUB_API_TOKEN=token,
        PATH=f"{venv_bin(hub_dir)}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    )
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "JUPYTER_CONFIG_PATH"):
        env.pop(var, None)
    log = log or hub_dir / "state" / "hub.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    handle = open(log, "wb")
    process = subprocess.Popen(
        [venv_bin(hub_dir) / "jupyterhub", "-f", REPO / "deploy" / "jupyterhub_config.py"],
        cwd=hub_dir / "state",
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    hub = Hub(url=f"http://127.0.0.1:{port}", token=token, process=process, log=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            hub.api("GET", "/", timeout=2)
            return hub
        except (OSError, HTTPError):
            if process.poll() is not None or time.monotonic() > deadline:
                stop_process_group(process)
                raise RuntimeError(f"JupyterHub did not start; log:\n{log.read_text()[-4000:]}") from None
            time.sleep(0.5)


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """SIGTERM the process group (hub, proxy, spawned servers), then SIGKILL what is left."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def main() -> None:
    """`make hub`: a demonstration hub with an instructor and two students on 127.0.0.1."""
    port = int(os.environ.get("SYSDESIGN_HUB_PORT", "8000"))
    print("Installing the course hub in", HUB_DIR, "(first time: a few minutes)...", flush=True)
    install()
    instructors, students = ["instructor"], ["student1", "student2"]
    passwords = {name: secrets.token_urlsafe(6) for name in instructors + students}
    prepare_instructor(instructors[0])
    for student in students:
        add_user(student)
    hub = start(instructors, students, passwords, port=port)
    print(f"\nThe course hub is running at {hub.url}/  (Ctrl-C stops it)\n")
    for name, password in passwords.items():
        role = "instructor (Formgrader, course in ~/course)" if name in instructors else "student (Assignments tab)"
        print(f"  user {name:<11} password {password:<10} {role}")
    print(f"\nInstructor: in a terminal on the hub, `cd ~/course && nbgrader generate_assignment ps01_estimation`\n"
          f"then `nbgrader release_assignment ps01_estimation`; students fetch it from Nbgrader > Assignments.\n"
          f"Log: {hub.log}", flush=True)
    try:
        while hub.process.poll() is None:
            time.sleep(1)
        print("JupyterHub exited; see", hub.log)
    except KeyboardInterrupt:
        print("\nStopping the hub...", flush=True)
    finally:
        hub.stop()
        print("Stopped.")


if __name__ == "__main__":
    sys.exit(main())
