"""Lesson 06 in real JupyterLab: switch the index, shard key and order of work; the results follow."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, select, wait_text
from sysdesign.sim import failure, sharding

pytestmark = pytest.mark.browser


def test_index_shard_key_and_persist_order_change_the_results(page, lab):
    open_notebook(page, lab, "notebooks/06_deep_dive.ipynb", timeout_ms=240_000)

    # Schema: the explorer starts with the index; without it SQLite scans the table.
    wait_text(page, ".sd-schema-plan", "SEARCH messages USING INDEX idx_messages_chat_created")
    select(page, "Index", "off")
    wait_text(page, ".sd-schema-plan", "SCAN messages")

    # Sharding: by chat_id a history query asks one shard; by user_id it asks all 16.
    wait_text(page, ".sd-sharding-touched", "asks 1 shard")
    select(page, "Shard key", "user_id")
    wait_text(page, ".sd-sharding-touched", "asks all 16 shards")
    ratio = sharding.hot_shard_ratio("user_id", 16, sharding.chat_data(skew=1.0, seed=0))
    page.locator(".sd-sharding .sd-chart").first.scroll_into_view_if_needed()  # as a reader would
    wait_text(page, ".sd-sharding-load .gtitle", f"sharded by user_id: hot shard {ratio:.2f}x the mean")

    # Failure: persisting first loses nothing; pushing first loses the messages in flight.
    wait_text(page, ".sd-failure-lost", "0 messages lost")
    lost = failure.crash(10_000, "push_first", True, seed=0).lost
    assert lost > 0
    select(page, "Order of work", "push, then persist")
    wait_text(page, ".sd-failure-lost", f"{lost:,} messages lost")

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/06_deep_dive.ipynb", explorers=3)
