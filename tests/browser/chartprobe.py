"""Watch the explorers' plotly charts in the page: which have drawn their traces, and when a control's
change reached them.

``arm(page, i)`` installs, before a key press, a ``MutationObserver`` on the ``i``-th explorer
(``.sd-explorer`` elements holding a ``.sd-chart``, in page order) that stamps with
``performance.now()``: the key press (if the change is one), the first mutation outside the
controls, the first mutation inside a ``.js-plotly-plot``, the moment every chart of the explorer shows its
traces again, and the kernel going busy. Used by ``every_chart_draws`` (called by each lesson's browser test)
and benchmarks/bench_chart_latency.py.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from jlab import wait_until
from playwright.sync_api import Locator, Page

# A chart has drawn when its SVG holds trace groups with drawn marks (paths or bar/point
# elements), not only axes; empty traces (no data) do not count.
DRAWN_JS = """(chart) => {
  const plots = chart.querySelectorAll('.js-plotly-plot');
  if (plots.length !== 1) return false;
  const traces = plots[0].querySelectorAll(
    '.scatterlayer .trace, .barlayer .trace, .pielayer .trace, .heatmaplayer .hm, .imagelayer image');
  if (traces.length === 0) return false;
  return [...traces].some(t => t.querySelector('path[d]:not([d=""]), .point, image') !== null);
}"""

# Explorers with a chart; a chart is a ``.sd-chart`` (or, for plotly's FigureWidget, the element
# holding its plot, so benchmarks can measure the FigureWidget explorers of older commits too).
_EXPLORERS = (
    "[...document.querySelectorAll('.sd-explorer')]"
    ".filter(e => e.querySelector('.sd-chart, .js-plotly-plot'))"
)
_CHARTS = """(explorer) => {
  const charts = [...explorer.querySelectorAll('.sd-chart')];
  return charts.length ? charts : [...explorer.querySelectorAll('.js-plotly-plot')].map(p => p.parentElement);
}"""

_ARM = (
    """([index, drawnSource]) => {
  const drawn = eval(drawnSource);
  const explorer = ("""
    + _EXPLORERS
    + """)[index];
  const charts = [...explorer.querySelectorAll('.sd-chart')];
  window.__sdCharts = charts;
  for (const plot of explorer.querySelectorAll('.js-plotly-plot')) plot.__sdOld = true;
  const s = {key: null, first: null, plot: null, drawn: null, last: null, busy: null, redrawn: false};
  window.__sdStamps = s;
  if (window.__sdObserver) window.__sdObserver.disconnect();
  const everyChartDrawn = () => charts.every(c => drawn(c));
  const observer = new MutationObserver(records => {
    const now = performance.now();
    for (const r of records) {
      const target = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!target || target.closest('.widget-slider, .widget-dropdown, .widget-checkbox')) continue;
      if (s.first === null) s.first = now;
      if (s.plot === null && target.closest('.js-plotly-plot')) s.plot = now;
    }
    s.last = now;
    if (s.plot !== null && s.drawn === null && everyChartDrawn()) {
      s.drawn = now;
      s.redrawn = [...explorer.querySelectorAll('.js-plotly-plot')].some(p => !p.__sdOld);
    }
  });
  observer.observe(explorer, {subtree: true, childList: true, attributes: true, characterData: true});
  window.__sdObserver = observer;
  // When the page saw the kernel go busy (the toolbar's indicator; it may skip a short busy spell
  // and is slow to flip back, so waits read the server and the status bar instead).
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  if (window.__sdStatus) window.__sdStatus.disconnect();
  const status = new MutationObserver(() => {
    if (s.busy === null && indicator.getAttribute('data-status') === 'busy') s.busy = performance.now();
  });
  status.observe(indicator, {attributes: true, attributeFilter: ['data-status']});
  window.__sdStatus = status;
  document.addEventListener('keydown', e => { if (s.key === null) s.key = e.timeStamp; },
                            {capture: true, once: true});
  return charts.length;
}"""
)


def explorer_count(page: Page) -> int:
    """How many explorers with at least one chart the page shows."""
    return int(page.evaluate(f"() => ({_EXPLORERS}).length"))


def explorer(page: Page, index: int) -> Any:
    """The ``index``-th explorer with a chart, as a Playwright locator."""
    return page.locator(".sd-explorer").filter(has=page.locator(".sd-chart, .js-plotly-plot")).nth(index)


def arm(page: Page, index: int) -> int:
    """Start watching explorer ``index`` (call just before the key press); returns its number of charts."""
    return int(page.evaluate(_ARM, [index, DRAWN_JS, _CHARTS]))


def stamps(page: Page) -> dict[str, Any]:
    """What the armed observer recorded so far (``performance.now()`` milliseconds, or None)."""
    return dict(page.evaluate("() => ({...window.__sdStamps})"))


def kernel_activity(lab: str, path: str) -> tuple[str, str]:
    """The server's view of the notebook's kernel: (execution_state, last_activity)."""
    sessions = json.loads(urllib.request.urlopen(f"{lab}/api/sessions", timeout=10).read())
    kernel = next(s["kernel"] for s in sessions if s["path"].endswith(path))
    return kernel["execution_state"], kernel["last_activity"]


_STATUS_BAR_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-Widget, .jp-StatusBar-TextItem')]
  .some(e => /\\|\\s*Idle\\b/.test(e.textContent))"""


def wait_settled(page: Page, lab: str, path: str, before: str, timeout_ms: float = 60_000) -> dict[str, Any]:
    """After a change made once ``arm`` ran, wait until it is handled everywhere, then until every chart
    of the armed explorer shows its traces; return the stamps.

    Handled: the server saw the kernel active after ``before`` (its ``last_activity`` read before
    the change) and idle again, and the page's status bar reads Idle. The page applies a kernel's
    messages in order and the updates precede the idle message, so by then the charts usually
    hold the change. The status bar can still read Idle from before the change when the page lags
    the server (seen for about 1 step in 50 in bench_chart_latency): a chart then is checked
    before its update lands, and the next move's check covers it.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        state, last = kernel_activity(lab, path)
        if state == "idle" and last > before:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel of {path} did not go idle after the change ({state}, {last})")
        page.wait_for_timeout(50)  # polling the server's state, not waiting for time to pass
    wait_until(page, _STATUS_BAR_IDLE, timeout=timeout_ms)
    wait_until(
        page,
        """([drawnSource]) => {
          const drawn = eval(drawnSource);
          return window.__sdCharts.every(c => drawn(c));
        }""",
        arg=[DRAWN_JS],
        timeout=timeout_ms,
    )
    return stamps(page)


MOVES_PER_EXPLORER = 2


def _move(page: Page, control: Locator) -> str:
    """Change one control the way a reader would; returns what was done (for failure messages)."""
    control.scroll_into_view_if_needed()
    kind = control.get_attribute("class") or ""
    if "widget-slider" in kind:
        handle = control.locator(".noUi-handle").first
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        key = "ArrowLeft" if at_max else "ArrowRight"
        handle.focus()
        page.keyboard.press(key)
        return f"slider {key}"
    if "widget-dropdown" in kind:
        select = control.locator("select")
        count = select.locator("option").count()
        index = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(index + 1) % count)
        return f"dropdown option {(index + 1) % count}"
    if "widget-checkbox" in kind:
        control.locator("input").click()
        return "checkbox click"
    box = control.locator("input, textarea").first
    if box.get_attribute("type") == "number":
        box.fill(str(float(box.input_value()) + 1))
        box.press("Enter")
        return "number +1"
    raise AssertionError(f"no way to move a control of class {kind!r}")


def every_chart_draws(page: Page, lab: str, path: str, explorers: int) -> None:
    """Every chart of the open lesson draws: the page shows ``explorers`` explorers with charts; move each
    one's first two controls and, after every move, check each of its charts shows its traces.

    Waits for states (the kernel busy then idle, the charts drawn), never for a fixed time.
    """
    assert explorer_count(page) == explorers, f"{path}: {explorer_count(page)} explorers with charts"
    for index in range(explorers):
        box = explorer(page, index)
        box.scroll_into_view_if_needed()
        charts = box.locator(".sd-chart")
        for i in range(charts.count()):  # the first picture, before any move
            charts.nth(i).scroll_into_view_if_needed()
            wait_until(page, f"(c) => ({DRAWN_JS})(c)", arg=charts.nth(i).element_handle(), timeout=60_000)
        controls = box.locator(".widget-gridbox").first.locator(":scope > .jupyter-widgets")
        for c in range(min(MOVES_PER_EXPLORER, controls.count())):
            _, before = kernel_activity(lab, path)
            arm(page, index)
            done = _move(page, controls.nth(c))
            settled = wait_settled(page, lab, path, before)
            assert settled["last"] is not None, f"{path} explorer {index}: {done} changed nothing"
