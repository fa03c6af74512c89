"""Lesson 06 in real JupyterLab: switch the index, shard key and order of work; the results follow."""

from __future__ import annotations

import re

import pytest
from jlab import _ALL_RUN, select, wait_text
from playwright.sync_api import Page
from sysdesign.sim import failure, sharding

pytestmark = pytest.mark.browser


def _open_and_run(page: Page, lab: str, path: str, timeout_ms: int = 180_000) -> None:
    """Like ``jlab.open_notebook``, but wait until the kernel itself reports Idle before Run All.

    On a busy machine the execution indicator reads "idle" while the status bar still says
    "No Kernel | Initializing"; Run All clicked then executes nothing.
    """
    page.goto(f"{lab}/lab/tree/{path}")
    page.locator(".jp-Notebook").first.wait_for()
    page.locator(".jp-StatusBar-Widget").filter(has_text=re.compile(r"\|\s*Idle")).first.wait_for(
        timeout=90_000
    )
    page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()
    page.wait_for_function(_ALL_RUN, timeout=timeout_ms)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=timeout_ms)
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, f"a cell raised: {tracebacks.first.text_content()}"


def test_index_shard_key_and_persist_order_change_the_results(page, lab):
    _open_and_run(page, lab, "notebooks/06_deep_dive.ipynb")

    # Schema: the explorer starts with the index; without it SQLite scans the table.
    wait_text(page, ".sd-schema-plan", "SEARCH messages USING INDEX idx_messages_chat_created")
    select(page, "Index", "off")
    wait_text(page, ".sd-schema-plan", "SCAN messages")

    # Sharding: by chat_id a history query asks one shard; by user_id it asks all 16.
    wait_text(page, ".sd-sharding-touched", "asks 1 shard")
    select(page, "Shard key", "user_id")
    wait_text(page, ".sd-sharding-touched", "asks all 16 shards")
    ratio = sharding.hot_shard_ratio("user_id", 16, sharding.chat_data(skew=1.0, seed=0))
    page.locator(".sd-sharding .js-plotly-plot").first.scroll_into_view_if_needed()  # drawn once on screen
    wait_text(page, ".sd-sharding-load .gtitle", f"sharded by user_id: hot shard {ratio:.2f}x the mean")

    # Failure: persisting first loses nothing; pushing first loses the messages in flight.
    wait_text(page, ".sd-failure-lost", "0 messages lost")
    lost = failure.crash(10_000, "push_first", True, seed=0).lost
    assert lost > 0
    select(page, "Order of work", "push, then persist")
    wait_text(page, ".sd-failure-lost", f"{lost:,} messages lost")
