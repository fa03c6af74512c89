"""A real JupyterLab in real Chromium: one server per test session, one browser context per test.

The server serves a temporary copy of the repo's course folders, so running lessons in the
browser never writes outputs into the committed notebooks. Debian's chromium is required when
SYSDESIGN_REQUIRE_BROWSER=1 (CI); elsewhere a missing browser skips these tests with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# JupyterLab settings for tests: no news toast, and render every cell (no windowing), so a
# whole lesson's widgets exist in the page.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("SYSDESIGN_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " — browser tests are required here (SYSDESIGN_REQUIRE_BROWSER=1)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def lab_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder JupyterLab serves: a temporary copy of notebooks/, exercises/ and solutions/."""
    _require_browser()
    served = tmp_path_factory.mktemp("lab") / "course"
    for folder in ("notebooks", "exercises", "solutions"):
        if (ROOT / folder).exists():
            shutil.copytree(
                ROOT / folder, served / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
            )
    served.mkdir(exist_ok=True)
    return served


@pytest.fixture(scope="session")
def lab(lab_dir: Path) -> Iterator[str]:
    """Base URL of a fresh JupyterLab serving ``lab_dir``."""
    work, served = lab_dir.parent, lab_dir
    settings = work / "settings"
    for name, value in LAB_SETTINGS.items():
        target = settings / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(work / "ws"))
    # The learner's progress store: a fresh one, never the real one.
    env["SYSDESIGN_DATA_DIR"] = str(work / "data")
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip",
        "127.0.0.1",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={served}",
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.news_url=None",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: tests reuse one loaded JupyterLab
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(work / "lab.log", "wb")
    server = subprocess.Popen(command, cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2).read()
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not start; log:\n{(work / 'lab.log').read_text()[-3000:]}"
                    ) from error
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# Playwright's expect() waits 5 s by default, its actions 30 s (set on the context below). A widget's
# answer comes back through the kernel, which on a loaded machine (several test workers on two cores)
# has taken longer than 5 s: assertions wait as long as actions do.
EXPECT_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser(lab: str) -> Iterator[object]:
    """One headless chromium for the session."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def browser_context(browser: object) -> Iterator[object]:
    """One browser context for the session."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


_PAGES: list[object] = []  # the page this worker's tests share, while it stays healthy


@pytest.fixture
def page(browser_context: object, lab: str) -> Iterator[object]:
    """The worker's page, with JupyterLab loaded once and reused by every test (``open_notebook``
    shuts down and closes the previous test's documents). After each test its documents are closed
    and the kernels shut down; a page that cannot be cleaned (a dialog left open, a crash) is
    replaced by a fresh one for the next test."""
    from jlab import close_documents

    if not _PAGES:
        _PAGES.append(browser_context.new_page())  # type: ignore[attr-defined]
    page = _PAGES[0]
    try:
        yield page
    finally:
        try:
            close_documents(page)  # type: ignore[arg-type]
            dialogs = page.locator(".jp-Dialog")  # type: ignore[attr-defined]
            if dialogs.count():
                raise RuntimeError("a dialog is open")
        except Exception:
            _PAGES.clear()
            page.close()  # type: ignore[attr-defined]
        _shutdown_kernels(lab)


def _shutdown_kernels(lab: str) -> None:
    """Shut down the kernels running now, in the background: the next test does not wait for them.

    The list is read before this returns, so a kernel the next test starts is never among them.
    """
    try:
        kernels = json.loads(urllib.request.urlopen(f"{lab}/api/kernels", timeout=5).read())
    except OSError:
        return

    def delete() -> None:
        for kernel in kernels:
            req = urllib.request.Request(f"{lab}/api/kernels/{kernel['id']}", method="DELETE")
            try:
                urllib.request.urlopen(req, timeout=30).read()
            except OSError:
                pass

    threading.Thread(target=delete, name="shutdown-kernels", daemon=True).start()
