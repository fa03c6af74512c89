"""JupyterHub configuration for the course: one instructor, many students, nbgrader's exchange.

Everything site-specific comes from environment variables (set by `deploy/hub.py`, or by you):

SYSDESIGN_HUB_DIR       where the hub software lives: venv/ and node/ (default /opt/sysdesign-hub)
SYSDESIGN_HUB_SITE      this hub's configuration and state: jupyter-config/, student-config/, state/
                        (default: SYSDESIGN_HUB_DIR; `deploy/hub.py configure` writes them)
SYSDESIGN_HUB_PORT      public port on 127.0.0.1 (default 8000); hub and proxy API use the next two
SYSDESIGN_HUB_IP        address to listen on (default 127.0.0.1; 0.0.0.0 behind a TLS proxy)
SYSDESIGN_INSTRUCTORS   comma-separated user names with the formgrader (default "instructor")
SYSDESIGN_STUDENTS      comma-separated student user names (empty: anyone who can log in)
SYSDESIGN_HUB_AUTH      "demo" (passwords from SYSDESIGN_HUB_PASSWORDS, user:pw,...) or "pam" (system
                        passwords); any other value is taken as an authenticator class name
SYSDESIGN_HUB_API_TOKEN if set, a service "course-admin" with this token may drive the hub's REST API
"""

from __future__ import annotations

import hmac
import os
import sys
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Dict

HUB_DIR = Path(os.environ.get("SYSDESIGN_HUB_DIR", "/opt/sysdesign-hub"))
SITE = Path(os.environ.get("SYSDESIGN_HUB_SITE", str(HUB_DIR)))
STATE = SITE / "state"
STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
VENV_BIN = Path(sys.executable).parent
PORT = int(os.environ.get("SYSDESIGN_HUB_PORT", "8000"))
INSTRUCTORS = {u for u in os.environ.get("SYSDESIGN_INSTRUCTORS", "instructor").split(",") if u}
STUDENTS = {u for u in os.environ.get("SYSDESIGN_STUDENTS", "").split(",") if u}
SHARED_CONFIG = SITE / "jupyter-config"  # everyone: course id and exchange root
STUDENT_CONFIG = SITE / "student-config"  # students only: no formgrader, no authoring tools


class DemoAuthenticator(Authenticator):
    """Fixed user:password pairs, for a local demonstration only (never on a public address)."""

    passwords = Dict(config=True, help="user name -> password")

    async def authenticate(self, handler, data):  # noqa: ANN001, ANN201
        name, given = data.get("username", ""), data.get("password", "")
        expected = self.passwords.get(name)
        if name and expected and hmac.compare_digest(expected.encode(), given.encode()):
            return name
        return None


def site_config_path(spawner) -> None:  # noqa: ANN001
    """Every server reads the site's nbgrader config; student servers also read a folder that turns
    off the formgrader and the authoring tools. (A student can switch those back on in their own
    ~/.jupyter, but the formgrader then runs as them and can read no one else's files: the file
    permissions are the real boundary, this keeps the student's interface to what they need.)"""
    paths = [SHARED_CONFIG] if spawner.user.name in INSTRUCTORS else [STUDENT_CONFIG, SHARED_CONFIG]
    spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": os.pathsep.join(map(str, paths))}


c = get_config()  # type: ignore[name-defined]  # noqa: F821

c.JupyterHub.ip = os.environ.get("SYSDESIGN_HUB_IP", "127.0.0.1")
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
c.ConfigurableHTTPProxy.command = [
    str(HUB_DIR / "node" / "node_modules" / ".bin" / "configurable-http-proxy")
]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.cleanup_servers = True

auth = os.environ.get("SYSDESIGN_HUB_AUTH", "demo")
if auth == "demo":
    c.JupyterHub.authenticator_class = DemoAuthenticator
    pairs = [p.split(":", 1) for p in os.environ.get("SYSDESIGN_HUB_PASSWORDS", "").split(",") if ":" in p]
    c.DemoAuthenticator.passwords = dict(pairs)
elif auth == "pam":
    c.JupyterHub.authenticator_class = "pam"
else:
    c.JupyterHub.authenticator_class = auth
if STUDENTS:
    c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
else:
    c.Authenticator.allow_all = True
c.Authenticator.admin_users = INSTRUCTORS

c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# nbgrader runs `alembic` by name: the venv's bin must be on PATH.
c.Spawner.environment = {"PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin"}
c.Spawner.pre_spawn_hook = site_config_path
# A busy machine needs 20-60 s to start a server.
c.Spawner.http_timeout = 180
c.Spawner.start_timeout = 180

token = os.environ.get("SYSDESIGN_HUB_API_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "course-admin", "api_token": token}]
    c.JupyterHub.load_roles = [
        {
            "name": "course-admin",
            "scopes": [
                "admin:users",
                "admin:servers",
                "access:servers",
                "list:users",
                "read:users",
                "tokens",
            ],
            "services": ["course-admin"],
        }
    ]
