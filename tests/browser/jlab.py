"""Helpers that drive JupyterLab's notebook and ipywidgets in Playwright.

Controls are found by their description label, views by the CSS classes explorers give them.
"""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

_KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-Widget, .jp-StatusBar-TextItem')]
  .some(e => /\\|\\s*Idle\\b/.test(e.textContent))"""
_STARTED = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
  .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
_ALL_RUN = """() => {
  // A cell that raised stops Run All: finish waiting at once, the assertion below reports it.
  const error = ".jp-Notebook .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']";
  if (document.querySelector(error)) return true;
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


POLL_MS = 100


def wait_until(page: Page, expression: str, *, arg: Any = None, timeout: float = 30_000) -> Any:
    """``page.wait_for_function`` checking every :data:`POLL_MS` ms instead of every animation frame.

    Playwright's default re-runs the predicate 60 times a second; over a whole lesson's page
    (querySelectorAll on every cell) that alone kept chromium at a full core during a test.
    """
    return page.wait_for_function(expression, arg=arg, polling=POLL_MS, timeout=timeout)


# In a page where JupyterLab already runs (the server exposes it as window.jupyterapp): shut down
# and close every open document, then open ``path``. Loading JupyterLab itself costs about 3.5 s of
# chromium's CPU; this keeps that to once per test worker.
_CLOSE_ALL = """async () => {
  for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
    if (widget.sessionContext) await widget.sessionContext.shutdown();
    widget.dispose();
  }
}"""
_LAB_READY = "() => !!(window.jupyterapp && window.jupyterapp.shell && window.jupyterapp.commands)"


def close_documents(page: Page) -> None:
    """Shut down the kernels of the documents open in JupyterLab and close them (no prompts)."""
    if page.url.startswith("http") and page.evaluate(_LAB_READY):
        page.evaluate(_CLOSE_ALL)


def open_notebook(page: Page, lab: str, path: str, timeout_ms: int = 120_000) -> None:
    """Open ``path`` (relative to the course root) on a fresh kernel, run all cells, and wait until
    every cell ran. The page's JupyterLab is reused when it has one (documents open before are shut
    down and closed first); otherwise JupyterLab is loaded with an empty workspace."""
    if page.url.startswith(lab) and page.evaluate(_LAB_READY):
        close_documents(page)
        # Resolve to nothing: the command's result is the notebook widget, which Playwright would
        # serialize (megabytes of object graph) and send back to this process.
        page.evaluate(
            "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }", path
        )
    else:
        # ?reset: start from an empty workspace, or the server reopens the previous test's notebook.
        page.goto(f"{lab}/lab/tree/{path}?reset")
    page.locator(".jp-Notebook").first.wait_for()
    # The toolbar's indicator can read "idle" while the kernel is still starting ("No Kernel |
    # Initializing" in the status bar); Run All would then run nothing. Wait for the status bar.
    _wait_for_kernel(page, timeout_s=120)
    # Under load a Run All sent while the kernel connection settles can be dropped: retry it
    # until some cell shows it started ([*] or a number).
    for attempt in range(4):
        page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
        page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()
        try:
            wait_until(page, _STARTED, timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
    wait_until(page, _ALL_RUN, timeout=timeout_ms)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=timeout_ms)
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, f"a cell raised: {tracebacks.first.text_content()}"


def _wait_for_kernel(page: Page, timeout_s: float) -> None:
    """Wait until the kernel is idle; accept the "Select Kernel" dialog if it shows (it does under load)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.evaluate(_KERNEL_IDLE):
            return
        accept = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
        if accept.count() and accept.first.is_visible():
            accept.first.click()
        page.wait_for_timeout(250)
    raise TimeoutError(f"the kernel did not start within {timeout_s} s")


def control(page: Page, kind: str, label: str) -> Locator:
    """The widget of class ``kind`` (e.g. "widget-slider") whose description is exactly ``label``."""
    name = page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    found = page.locator(f".{kind}").filter(has=name)
    expect(found.first).to_be_attached()
    return found.first


def set_slider(page: Page, label: str, value: float | int | str) -> None:
    """Type ``value`` into the slider's editable readout and press Enter."""
    readout = control(page, "widget-slider", label).locator(".widget-readout")
    readout.scroll_into_view_if_needed()
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")


def press_slider(page: Page, label: str, key: str = "ArrowRight", times: int = 1) -> None:
    """Focus the slider's handle and press ``key`` (one step each)."""
    handle = control(page, "widget-slider", label).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def set_text(page: Page, label: str, value: str) -> None:
    """Fill a Text/Textarea/number box by its label and commit with Enter (Tab for a textarea)."""
    box = control(page, "widget-inline-hbox", label).locator("input, textarea").first
    box.scroll_into_view_if_needed()
    box.fill(str(value))
    box.press("Tab" if box.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")


def select(page: Page, label: str, option: str) -> None:
    """Choose ``option`` (its visible text) in a Dropdown by label."""
    box = control(page, "widget-dropdown", label).locator("select")
    box.scroll_into_view_if_needed()
    box.select_option(label=option)


def click_button(page: Page, text: str) -> None:
    """Click the ipywidgets Button whose text is ``text``."""
    button = page.locator("button.jupyter-button", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first
    button.scroll_into_view_if_needed()
    button.click()


def click_until(
    page: Page, button: str, css: str, text: str | re.Pattern[str], timeout_ms: int = 30_000
) -> None:
    """Click the Button ``button`` until the first ``css`` element contains ``text`` (for state that
    changes on its own, like a clock, and is shown only when asked)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        click_button(page, button)
        try:
            expect(page.locator(css).first).to_contain_text(text, timeout=1_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def wait_text(page: Page, css: str, text: str | re.Pattern[str], timeout_ms: int = 15_000) -> None:
    """Wait until the first element matching ``css`` contains ``text``."""
    expect(page.locator(css).first).to_contain_text(text, timeout=timeout_ms)


def text_of(page: Page, css: str) -> str:
    """Text content of the first element matching ``css`` (works on SVG too)."""
    return page.locator(css).first.text_content() or ""
