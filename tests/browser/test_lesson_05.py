"""Lesson 05 in real JupyterLab: step the message tracer, then replicate components until no SPOF is left."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import click_button, open_notebook, select, set_slider, wait_text
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_tracer_steps_and_replicas_clear_the_spof_warning(page, lab):
    open_notebook(page, lab, "notebooks/05_architecture.ipynb")

    # Tracer: step 1 is A's app to the load balancer, 70 ms internet round trip + 0.1 ms.
    wait_text(page, ".sd-trace-total", "After 1 hop: 70.1 ms of the 500 ms budget")
    click_button(page, "Next hop")  # + lb -> ws: 0.5 ms round trip + 1 ms = 71.6 ms
    wait_text(page, ".sd-trace-total", "After 2 hops: 71.6 ms")
    set_slider(page, "Step", 11)  # the whole online path: 157.8 ms (tests/lib/test_components.py adds it up)
    wait_text(page, ".sd-trace-total", "After 11 hops: 157.8 ms")
    expect(page.locator(".sd-trace-table tbody tr")).to_have_count(11)
    select(page, "Recipient", "offline: B's app is closed")  # step clamps to the 7 hops of that path
    wait_text(page, ".sd-trace-total", "After 7 hops: 160.2 ms")
    wait_text(page, ".sd-trace-table", "notifier → push")

    # SPOF finder: the draft has four; a second database replica removes the database from the list.
    warning = page.locator(".sd-spof-warning")
    expect(warning).to_contain_text("4 single points of failure")
    expect(warning).to_contain_text("Message DB (Cassandra) (db)")
    select(page, "Component", "Message DB (Cassandra) (db)")
    set_slider(page, "Replicas", 2)
    expect(warning).to_contain_text("3 single points of failure")
    expect(warning).not_to_contain_text("Message DB")
    singles = ("Load balancer (lb)", "Redis (presence, recent messages) (redis)", "Redis Pub/Sub (pubsub)")
    for option in singles:
        select(page, "Component", option)
        set_slider(page, "Replicas", 2)
    expect(warning).to_contain_text("No single point of failure")

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/05_architecture.ipynb", explorers=2)
