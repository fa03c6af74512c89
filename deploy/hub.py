"""A local JupyterHub for the course: install, configure, users, start/stop, and a small REST client.

`make hub` runs ``python3 deploy/hub.py`` as root: it installs the hub software (a venv every
user can read, built from Debian's python3, plus configurable-http-proxy from npm), writes the
site configuration, creates an instructor and two students as system users, and serves the
course on 127.0.0.1 until Ctrl-C. The tests in tests/hub/ and benchmarks/bench_hub.py use the
same functions with a throw-away site folder and exchange.

Layout
    /opt/sysdesign-hub/venv, node/      the software (``install``), shared by every site
    <site>/jupyter-config/              nbgrader config for every user: course id, exchange root
    <site>/student-config/              extra config for students: no formgrader, no authoring tools
    <site>/state/  (root only, 700)     the hub's database, cookie secret, proxy pid, log
    <exchange>/    (1777)               nbgrader's exchange; <exchange>/sysdesign belongs to the instructor
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPLOY = Path(__file__).resolve().parent
HUB_DIR = Path(os.environ.get("SYSDESIGN_HUB_DIR", "/opt/sysdesign-hub"))
EXCHANGE = Path(os.environ.get("SYSDESIGN_EXCHANGE", "/srv/nbgrader/exchange"))
COURSE_ID = "sysdesign"
SYSTEM_PYTHON = "/usr/bin/python3"
EXCHANGE_MODULE = "sysdesign_hub_exchange"  # deploy/sysdesign_hub_exchange.py, copied into the hub venv

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
        raise RuntimeError(
            f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return done


def require_root(what: str = "the course hub") -> None:
    if os.geteuid() != 0:
        raise PermissionError(f"{what} creates system users and a shared exchange: run it as root (sudo)")


def venv_bin(hub_dir: Path = HUB_DIR) -> Path:
    return hub_dir / "venv" / "bin"


def _apt_install(*packages: str) -> None:
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", *packages, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def _package_digest(repo: Path) -> str:
    """A digest of what the course package is built from (pyproject and lib/), to skip needless reinstalls."""
    digest = hashlib.sha256()
    files = [repo / "pyproject.toml", *sorted((repo / "lib").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(repo)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _install_course_package(python: Path, repo: Path, deps: bool) -> None:
    """pip-install the course package from a copy of its sources.

    (An in-tree build would write build/ and an egg-info folder into the repository.)
    """
    with tempfile.TemporaryDirectory(prefix="sysdesign-pkg-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        shutil.copy2(repo / "pyproject.toml", src)
        if (repo / "README.md").exists():
            shutil.copy2(repo / "README.md", src)
        shutil.copytree(repo / "lib", src / "lib", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        extra = [] if deps else ["--no-deps", "--force-reinstall"]
        run(python, "-m", "pip", "install", "-q", *extra, src)


def install(hub_dir: Path = HUB_DIR, repo: Path = REPO) -> Path:
    """Install (or refresh) the hub software: venv, course package, proxy, exchange module. Idempotent."""
    require_root()
    hub_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(hub_dir, 0o755)
    python = venv_bin(hub_dir) / "python"
    stamp = hub_dir / "venv" / ".sysdesign-package"
    if not python.exists():
        if not Path(SYSTEM_PYTHON).exists():
            _apt_install("python3", "python3-venv")
        try:
            run(SYSTEM_PYTHON, "-m", "venv", hub_dir / "venv")
        except RuntimeError:  # Debian without ensurepip
            shutil.rmtree(hub_dir / "venv", ignore_errors=True)
            _apt_install("python3-venv")
            run(SYSTEM_PYTHON, "-m", "venv", hub_dir / "venv")
        run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "-q", "jupyterhub>=5,<7", "psycopg[binary]>=3.1")
        _install_course_package(python, repo, deps=True)
        stamp.write_text(_package_digest(repo))
    elif not stamp.exists() or stamp.read_text() != _package_digest(repo):
        _install_course_package(python, repo, deps=False)  # refresh the course package from this checkout
        stamp.write_text(_package_digest(repo))
    # The collect step that ignores submissions filed under someone else's name.
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    shutil.copyfile(DEPLOY / f"{EXCHANGE_MODULE}.py", Path(purelib) / f"{EXCHANGE_MODULE}.py")
    # An older layout put the site's nbgrader config inside the venv; the site folder holds it now.
    (hub_dir / "venv" / "etc" / "jupyter" / "nbgrader_config.py").unlink(missing_ok=True)
    proxy = hub_dir / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        if shutil.which("npm") is None:
            _apt_install("npm")
        (hub_dir / "node").mkdir(exist_ok=True)
        run(
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "configurable-http-proxy@5",
            cwd=hub_dir / "node",
        )
    return hub_dir


def configure(site: Path = HUB_DIR, exchange: Path = EXCHANGE) -> Path:
    """Write a site's configuration folders and create its exchange; return ``site``.

    Everyone reads ``site/jupyter-config`` (course id and exchange root); students also read
    ``site/student-config`` (formgrader, course list and assignment-creation tools switched off).
    ``site/state`` holds the hub's database and secrets and is readable by root only.
    """
    require_root()
    site.mkdir(parents=True, exist_ok=True)
    os.chmod(site, 0o755)
    shared = site / "jupyter-config"
    shared.mkdir(exist_ok=True)
    (shared / "nbgrader_config.py").write_text(
        "# Written by deploy/hub.py: every user of the hub reads this.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.Exchange.path_includes_course = False\n"
    )
    server_d = site / "student-config" / "jupyter_server_config.d"
    server_d.mkdir(parents=True, exist_ok=True)
    (server_d / "zz-sysdesign-student.json").write_text(json.dumps(STUDENT_SERVER_CONFIG, indent=1))
    labconfig = site / "student-config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(STUDENT_LAB_CONFIG, indent=1))
    for path in (shared, site / "student-config", server_d, labconfig):
        os.chmod(path, 0o755)
    for path in (
        shared / "nbgrader_config.py",
        server_d / "zz-sysdesign-student.json",
        labconfig / "page_config.json",
    ):
        os.chmod(path, 0o644)
    state = site / "state"
    state.mkdir(exist_ok=True)
    os.chmod(state, 0o700)
    for path in state.iterdir():  # an older layout left the hub database world-readable
        os.chmod(path, 0o600)
    exchange.mkdir(parents=True, exist_ok=True)
    # 1777 like /tmp: anyone may create entries, nobody may rename or delete another user's
    # (nbgrader checks only the 777 part of the mode).
    os.chmod(exchange, 0o1777)
    return site


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def add_user(name: str) -> Path:
    """Create a system user whose home only they can read (Debian's default 755 would expose it)."""
    require_root()
    if not user_exists(name):
        run("useradd", "--create-home", "--shell", "/bin/bash", name)
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)
    return home


def user_pids(uid: int) -> list[int]:
    """Process ids of every process running as ``uid`` (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                continue
    return pids


def kill_user_processes(name: str, grace: float = 5.0) -> None:
    """Stop every process of the system user ``name`` by process id: SIGTERM, then SIGKILL."""
    if not user_exists(name):
        return
    uid = pwd.getpwnam(name).pw_uid
    if uid == 0:
        raise ValueError("refusing to stop root's processes")
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = user_pids(uid)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while pids and time.monotonic() < deadline:
            pids = user_pids(uid)
            time.sleep(0.1)
        if not pids:
            return


def remove_user(name: str) -> None:
    """Delete a system user, their processes and home (no error if absent)."""
    if user_exists(name):
        kill_user_processes(name)
        subprocess.run(["userdel", "--remove", "--force", name], capture_output=True)


def run_as(user: str, code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` as system user ``user`` (with Debian's python3, from their home)."""
    home = pwd.getpwnam(user).pw_dir
    return subprocess.run(
        [shutil.which("runuser") or "/usr/sbin/runuser", "-u", user, "--", SYSTEM_PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=home,
        env={"HOME": home, "USER": user, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


def instructor_nbgrader_config(course: Path, exchange: Path, db_url: str | None = None) -> str:
    """The instructor's ``~/.jupyter/nbgrader_config.py``: the repo's course settings, hub paths."""
    db_url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    return (
        "# Written by deploy/hub.py: the course folder, its private gradebook, the course's grading rules.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.source_directory = 'solutions'\n"
        "c.CourseDirectory.release_directory = 'release'\n"
        f"c.CourseDirectory.db_url = {db_url!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        # Same grading rules as the repository's nbgrader_config.py.
        "from sysdesign.nbgrading.config import grading_rules\n"
        "grading_rules(c)\n"
        # nbgrader's own collect only warns about a submission filed under another student's name.
        f"c.ExchangeFactory.collect = '{EXCHANGE_MODULE}.OwnerCheckedCollect'\n"
    )


def prepare_instructor(
    name: str,
    repo: Path = REPO,
    exchange: Path = EXCHANGE,
    db_url: str | None = None,
    refresh: bool = True,
) -> Path:
    """Give the instructor a course folder with the solutions and a private gradebook; return it.

    With ``refresh=False`` an existing ``~/course/solutions`` is kept (the instructor's own edits).
    The course's exchange folder is created owned by the instructor, so no student can claim it first.
    """
    home = add_user(name)
    user = pwd.getpwnam(name)
    course = home / "course"
    course.mkdir(exist_ok=True)
    if refresh or not (course / "solutions").exists():
        shutil.rmtree(course / "solutions", ignore_errors=True)
        shutil.copytree(
            repo / "solutions", course / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    config = home / ".jupyter"
    config.mkdir(exist_ok=True)
    (config / "nbgrader_config.py").write_text(instructor_nbgrader_config(course, exchange, db_url))
    for path in [course, config, *course.rglob("*"), *config.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    # The exchange layout nbgrader would create on the first release, made in advance with the same modes.
    course_exchange = exchange / COURSE_ID
    for path, mode in (
        (course_exchange, 0o755),
        (course_exchange / "outbound", 0o755),
        (course_exchange / "inbound", 0o2733),
        (course_exchange / "feedback", 0o711),
    ):
        path.mkdir(exist_ok=True)
        os.chown(path, user.pw_uid, user.pw_gid)
        os.chmod(path, mode)
    return course


def readable_by_others(path: Path) -> bool:
    """True if a user who is neither the owner nor in the group could read ``path``."""
    path = path.resolve()
    for parent in reversed(path.parents):
        if not parent.stat().st_mode & 0o001:
            return False
    return bool(path.stat().st_mode & 0o004)


def free_port_block(count: int = 3, tries: int = 200) -> int:
    """A port ``p`` such that ``p .. p+count-1`` are all free on 127.0.0.1."""
    rng = secrets.SystemRandom()
    for _ in range(tries):
        base = rng.randrange(20_000, 60_000 - count)
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no block of {count} free ports found")


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
        data = urllib.parse.urlencode(body).encode()  # type: ignore[arg-type]
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    if method in ("POST", "PUT") and data is None:
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


@dataclass
class Hub:
    """A running JupyterHub: URL, API token, its process, and the users whose servers it runs."""

    url: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path
    site: Path
    users: list[str] = field(default_factory=list)

    def api(self, method: str, path: str, body: object | None = None, timeout: float = 30) -> object:
        """Call the hub's REST API (``/hub/api`` + path) as the course-admin service."""
        return request(method, f"{self.url}/hub/api{path}", self.token, body, timeout)

    def user_api(
        self, user: str, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 300
    ) -> object:
        """Call a path on ``user``'s own server (e.g. ``/assignments/fetch``) with a form body."""
        return request(method, f"{self.url}/user/{user}{path}", self.token, form, timeout, as_form=True)

    def user_json(
        self, user: str, method: str, path: str, body: object | None = None, timeout: float = 120
    ) -> object:
        """Call a path on ``user``'s own server with a JSON body (e.g. ``/api/contents/...``)."""
        return request(method, f"{self.url}/user/{user}{path}", self.token, body, timeout)

    def nbgrader(
        self, user: str, path: str, form: dict[str, str] | None = None, timeout: float = 600
    ) -> dict:
        """POST an nbgrader action on ``user``'s server and raise unless it reports success."""
        result = self.user_api(user, "POST", path, form, timeout=timeout)
        if not isinstance(result, dict) or not result.get("success", False):
            detail = (
                result
                if not isinstance(result, dict)
                else (result.get("error") or result.get("value") or result)
            )
            raise RuntimeError(f"{user} {path} failed: {str(detail)[-3000:]}")
        return result

    def get_notebook(self, user: str, path: str) -> dict:
        model = self.user_json(user, "GET", f"/api/contents/{urllib.parse.quote(path)}?content=1")
        return model["content"]  # type: ignore[index]

    def put_notebook(self, user: str, path: str, nb: dict) -> None:
        self.user_json(
            user,
            "PUT",
            f"/api/contents/{urllib.parse.quote(path)}",
            {"type": "notebook", "format": "json", "content": nb},
        )

    # The course's steps, each on the server of the user who does it (see TOOLCHAIN.md for the paths).

    def assign(self, instructor: str, assignment: str) -> dict:
        """Generate the student version (formgrader: Generate)."""
        return self.nbgrader(instructor, f"/formgrader/api/assignment/{assignment}/assign")

    def release(self, instructor: str, assignment: str) -> dict:
        return self.nbgrader(instructor, f"/formgrader/api/assignment/{assignment}/release")

    def fetch(self, student: str, assignment: str) -> dict:
        return self.nbgrader(
            student, "/assignments/fetch", {"course_id": COURSE_ID, "assignment_id": assignment}
        )

    def submit(self, student: str, assignment: str) -> dict:
        return self.nbgrader(
            student, "/assignments/submit", {"course_id": COURSE_ID, "assignment_id": assignment}
        )

    def collect(self, instructor: str, assignment: str) -> dict:
        return self.nbgrader(instructor, f"/formgrader/api/assignment/{assignment}/collect")

    def autograde(self, instructor: str, assignment: str, student: str) -> dict:
        return self.nbgrader(instructor, f"/formgrader/api/submission/{assignment}/{student}/autograde")

    def generate_feedback(self, instructor: str, assignment: str) -> dict:
        return self.nbgrader(instructor, f"/formgrader/api/assignment/{assignment}/generate_feedback")

    def release_feedback(self, instructor: str, assignment: str) -> dict:
        return self.nbgrader(instructor, f"/formgrader/api/assignment/{assignment}/release_feedback")

    def fetch_feedback(self, student: str, assignment: str) -> dict:
        return self.nbgrader(
            student, "/assignments/fetch_feedback", {"course_id": COURSE_ID, "assignment_id": assignment}
        )

    def start_servers(self, users: Iterable[str], timeout: float = 300) -> float:
        """Create the users in the hub if needed, start all their servers at once, wait until every one
        is ready; return the seconds it took."""
        users = list(users)
        start = time.monotonic()

        def request_server(user: str) -> None:
            try:
                self.api("POST", f"/users/{user}")
            except HTTPError as exc:
                if exc.code != 409:  # already exists
                    raise
            try:  # the hub answers after the spawn or after 10 s (202, still starting), whichever is first
                self.api("POST", f"/users/{user}/server", timeout=timeout)
            except HTTPError as exc:
                if exc.code != 400:  # already running
                    raise

        for user in users:
            if user not in self.users:
                self.users.append(user)  # before the spawn: stop() must find its processes
        with ThreadPoolExecutor(max_workers=min(32, len(users) or 1)) as pool:
            list(pool.map(request_server, users))
        waiting = set(users)
        deadline = start + timeout
        while waiting:
            for user in sorted(waiting):
                model = self.api("GET", f"/users/{user}")
                server = model.get("servers", {}).get("", {})  # type: ignore[union-attr]
                if server.get("ready"):
                    waiting.discard(user)
            if waiting and time.monotonic() > deadline:
                raise TimeoutError(f"servers of {sorted(waiting)} not ready in {timeout} s; see {self.log}")
            if waiting:
                time.sleep(0.5)
        return time.monotonic() - start

    def start_server(self, user: str, timeout: float = 300) -> None:
        self.start_servers([user], timeout)

    def stop_server(self, user: str) -> None:
        try:
            self.api("DELETE", f"/users/{user}/server", timeout=60)
        except HTTPError as exc:
            if exc.code not in (204, 400, 404):
                raise

    def stop(self) -> None:
        """Stop the hub and its proxy, then any process still running as one of its users, all by pid."""
        proxy_pid = _read_pid(self.site / "state" / "proxy.pid")
        stop_process_group(self.process)
        if proxy_pid and _cmdline(proxy_pid).find("configurable-http-proxy") >= 0:
            _kill_pid(proxy_pid)
        for user in self.users:  # servers run in their own sessions; the hub stops them on SIGTERM
            kill_user_processes(user)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _kill_pid(pid: int, grace: float = 5.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not Path(f"/proc/{pid}").exists() or "zombie" in _status(pid):
                return
            time.sleep(0.1)


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return ""


def start(
    instructors: list[str],
    students: list[str],
    passwords: dict[str, str] | None = None,
    port: int = 8000,
    hub_dir: Path = HUB_DIR,
    site: Path | None = None,
    log: Path | None = None,
    timeout: float = 180,
) -> Hub:
    """Start JupyterHub in its own process group and wait for its API; return a :class:`Hub`.

    ``port`` is the public port; the hub and the proxy's API use ``port + 1`` and ``port + 2``.
    """
    site = site or hub_dir
    token = secrets.token_hex(24)
    env = dict(
        os.environ,
        SYSDESIGN_HUB_DIR=str(hub_dir),
        SYSDESIGN_HUB_SITE=str(site),
        SYSDESIGN_HUB_PORT=str(port),
        SYSDESIGN_INSTRUCTORS=",".join(instructors),
        SYSDESIGN_STUDENTS=",".join(students),
        SYSDESIGN_HUB_AUTH="demo",
        SYSDESIGN_HUB_PASSWORDS=",".join(f"{user}:{pw}" for user, pw in (passwords or {}).items()),
        SYSDESIGN_HUB_API_TOKEN=token,
        PATH=f"{venv_bin(hub_dir)}:/usr/local/bin:/usr/bin:/bin",
    )
    for var in (
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "IPYTHONDIR",
        "JUPYTER_CONFIG_PATH",
        "VIRTUAL_ENV",
        "PYTHONPATH",
    ):
        env.pop(var, None)
    log = log or site / "state" / "hub.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [venv_bin(hub_dir) / "jupyterhub", "-f", DEPLOY / "jupyterhub_config.py"],
            cwd=site / "state",
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(url=f"http://127.0.0.1:{port}", token=token, process=process, log=log, site=site)
    deadline = time.monotonic() + timeout
    while True:
        try:
            hub.api("GET", "/", timeout=5)
            return hub
        except (OSError, HTTPError):
            if process.poll() is not None or time.monotonic() > deadline:
                hub.stop()
                raise RuntimeError(f"JupyterHub did not start; log:\n{log.read_text()[-4000:]}") from None
            time.sleep(0.5)


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM the process group (the hub stops its servers and proxy), then SIGKILL what is left."""
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


def demo() -> int:
    """`make hub`: a demonstration hub with an instructor and two students on 127.0.0.1."""
    if os.geteuid() != 0:
        print(
            "make hub needs root: it creates system users (instructor, student1, student2) and a shared "
            "nbgrader exchange; run `sudo make hub`.",
            file=sys.stderr,
        )
        return 1
    port = int(os.environ.get("SYSDESIGN_HUB_PORT", "8000"))
    print(f"Installing the course hub in {HUB_DIR} (the first time takes a few minutes)...", flush=True)
    install()
    configure(HUB_DIR, EXCHANGE)
    instructors, students = ["instructor"], ["student1", "student2"]
    passwords = {name: secrets.token_urlsafe(6) for name in instructors + students}
    course = prepare_instructor(instructors[0], refresh=False)
    for student in students:
        add_user(student)
    if readable_by_others(REPO / "solutions"):
        print(
            f"Note: {REPO / 'solutions'} is readable by every user of this machine, students included; "
            f"on a shared server keep the course repository private (chmod 700 on its folder).",
            flush=True,
        )
    hub = start(instructors, students, passwords, port=port)
    hub.users = instructors + students
    stop_requested = []
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop_requested.append(True))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even if started with SIGINT ignored
    try:
        print(f"\nThe course hub is running at {hub.url}/  (Ctrl-C stops it)\n")
        for name, password in passwords.items():
            role = (
                f"instructor: Formgrader, course folder {course}"
                if name in instructors
                else "student: Nbgrader > Assignments"
            )
            print(f"  user {name:<11} password {password:<10} {role}")
        print(
            "\nThe instructor generates and releases ps01_estimation in Formgrader > Manage Assignments;\n"
            "students fetch and submit it from the Assignments panel.\n"
            f"Hub log: {hub.log}",
            flush=True,
        )
        while hub.process.poll() is None and not stop_requested:
            time.sleep(1)
        if hub.process.poll() is not None:
            print("JupyterHub exited; see", hub.log)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping the hub and the users' servers...", flush=True)
        hub.stop()
        print("Stopped.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Without arguments: the demonstration hub (`make hub`); subcommands set up a real server."""
    import argparse

    parser = argparse.ArgumentParser(prog="deploy/hub.py", description=main.__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("install", help=f"install the hub software into {HUB_DIR} (venv, proxy)")
    configure_p = sub.add_parser("configure", help="write a site's config folders and create the exchange")
    configure_p.add_argument("--site", type=Path, default=HUB_DIR)
    configure_p.add_argument("--exchange", type=Path, default=EXCHANGE)
    instructor_p = sub.add_parser(
        "instructor", help="give a user the course folder, nbgrader config and the course's exchange folder"
    )
    instructor_p.add_argument("name", help="system user name (on TLJH: jupyter-<hub name>)")
    instructor_p.add_argument("--exchange", type=Path, default=EXCHANGE)
    instructor_p.add_argument("--db-url", default=None, help="gradebook URL (default: SQLite in ~/course)")
    instructor_p.add_argument(
        "--refresh", action="store_true", help="replace ~/course/solutions from this checkout"
    )
    args = parser.parse_args(argv)
    if args.command is None:
        return demo()
    try:
        if args.command == "install":
            print(install())
        elif args.command == "configure":
            print(configure(args.site, args.exchange))
        elif args.command == "instructor":
            print(
                prepare_instructor(
                    args.name, exchange=args.exchange, db_url=args.db_url, refresh=args.refresh
                )
            )
    except PermissionError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
