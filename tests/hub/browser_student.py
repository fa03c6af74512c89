"""A student in Debian's chromium: log in to the hub, open Nbgrader > Assignment List, fetch, submit.

Used by tests/hub/test_hub.py (marked ``browser``). Chromium's flags are those of
tests/browser/conftest.py. On failure a screenshot is left in the system temp folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as in tests/browser/conftest.py
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 120_000  # a busy two-core machine


def fetch_and_submit(hub_url: str, user: str, password: str, assignment: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            page = context.new_page()
            try:
                page.goto(f"{hub_url}/hub/login")
                page.fill("#username_input", user)
                page.fill("#password_input", password)
                page.click("#login_submit")
                page.wait_for_url(f"**/user/{user}/lab**")
                page.wait_for_selector("#jp-main-dock-panel")
                # Nbgrader > Assignment List
                page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
                page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
                released = page.locator("#released_assignments_list .list_item", has_text=assignment)
                released.get_by_role("button", name="Fetch").click()
                fetched = page.locator("#fetched_assignments_list .list_item", has_text=assignment).first
                fetched.get_by_role("button", name="Submit").click()
                submitted = page.locator("#submitted_assignments_list .list_item", has_text=assignment)
                expect(submitted.first).to_be_visible()
            except Exception:
                shot = Path(tempfile.gettempdir()) / f"sdt-browser-{user}.png"
                page.screenshot(path=str(shot), full_page=True)
                raise
            finally:
                context.close()
        finally:
            browser.close()
