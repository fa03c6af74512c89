"""A real JupyterHub for the course, shared by every test in tests/hub/test_hub.py.

One hub per session (LocalProcessSpawner, the DemoAuthenticator with per-user passwords) with
system users created for the session and removed after it: an instructor, two students for the
REST cycle, and a third student for the browser test. The hub gets a throw-away site folder and
exchange under /tmp and a free block of ports, so it never touches a `make hub` on the same machine.
Everything is stopped by process id (the hub's process group, the proxy's pid, then any process of
the test users) even when a test fails.

These tests need root (system users, ``runuser``). Elsewhere they skip with that reason; with
SYSDESIGN_REQUIRE_HUB=1 (CI) a missing requirement fails instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from answers import ASSIGNMENT  # noqa: E402
from hubenv import BROWSER_STUDENT, INSTRUCTOR, STUDENTS, USERS, CourseHub, deploy_hub, have_tools, need  # noqa: E402


@pytest.fixture(scope="session")
def course_hub() -> Iterator[CourseHub]:
    need(os.geteuid() == 0, "needs root to create system users")
    need(have_tools(), "needs runuser, useradd and userdel")
    site = Path(tempfile.mkdtemp(prefix="sdt-hub-"))
    exchange = site / "exchange"
    passwords = {user: secrets.token_urlsafe(9) for user in USERS}
    hub = None
    timings: dict[str, float] = {}
    try:
        start = time.monotonic()
        deploy_hub.install()
        timings["install"] = time.monotonic() - start
        deploy_hub.configure(site, exchange)
        for user in USERS:  # leftovers of an interrupted run
            deploy_hub.remove_user(user)
        course = deploy_hub.prepare_instructor(INSTRUCTOR, exchange=exchange)
        for user in [*STUDENTS, BROWSER_STUDENT]:
            deploy_hub.add_user(user)
        start = time.monotonic()
        hub = deploy_hub.start(
            [INSTRUCTOR],
            [*STUDENTS, BROWSER_STUDENT],
            passwords,
            port=deploy_hub.free_port_block(),
            site=site,
        )
        hub.users = list(USERS)
        timings["hub start"] = time.monotonic() - start
        timings["4 servers start"] = hub.start_servers(USERS)
        yield CourseHub(hub, site, exchange, course, passwords, timings)
    finally:
        if hub is not None:
            hub.stop()
        for user in USERS:
            deploy_hub.remove_user(user)
        shutil.rmtree(site, ignore_errors=True)


@pytest.fixture(scope="session")
def released(course_hub: CourseHub) -> CourseHub:
    """ps01 generated and released by the instructor through the formgrader's API."""
    hub = course_hub.hub
    start = time.monotonic()
    hub.assign(INSTRUCTOR, ASSIGNMENT)
    hub.release(INSTRUCTOR, ASSIGNMENT)
    course_hub.timings["generate + release"] = time.monotonic() - start
    return course_hub
