"""Chart latency as the learner sees it: one slider step, measured in real JupyterLab in Chromium.

For each explorer with a chart, the first slider whose step changes the chart is stepped
``STEPS`` times (right, left, ...). Before each key press a ``MutationObserver`` is installed on
the explorer (tests/browser/chartprobe.py); it stamps ``performance.now()`` of the key press, of
the first change outside the controls, of the first change inside a ``.js-plotly-plot``, and of
the moment every chart of the explorer shows its traces again. Figures are milliseconds after
the key press, as in TOOLCHAIN.md ("Browser tests": FigureWidget baseline 81-173 ms, median 138,
to the first change of the chart).

    python benchmarks/bench_chart_latency.py                    # lessons 03, 06, 12, 13
    python benchmarks/bench_chart_latency.py 07 11 14           # those lessons
    SYSDESIGN_LIB=/tmp/old/lib python benchmarks/bench_chart_latency.py   # kernels import that sysdesign

``SYSDESIGN_LIB`` points the kernels at another copy of ``lib/`` (e.g. ``git archive <commit> lib``),
and ``SYSDESIGN_NOTEBOOKS`` serves the lessons of that commit, to measure an older chart
implementation on the same machine under the same load.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = {
    "01": "01_framework",
    "03": "03_estimation",
    "04": "04_api_design",
    "05": "05_architecture",
    "06": "06_deep_dive",
    "07": "07_tradeoffs",
    "09": "09_cheat_sheet",
    "11": "11_url_shortener",
    "12": "12_paste_bin",
    "13": "13_rate_limiter",
    "14": "14_news_feed",
    "15": "15_replication",
    "16": "16_coordination",
    "17": "17_unique_ids",
    "18": "18_geo_indexing",
    "19": "19_conflicts",
    "20": "20_transactions",
    "21": "21_structures",
    "22": "22_media_delivery",
}
DEFAULT = ("03", "06", "12", "13")
STEPS = 6
_SELECTED = "SYSDESIGN_BENCH_LESSONS"


def test_chart_latency(page, lab, lab_dir):  # run by main() through pytest, with the browser fixtures
    from chartprobe import arm, explorer, explorer_count, kernel_activity, wait_settled
    from jlab import open_notebook

    if os.environ.get("SYSDESIGN_NOTEBOOKS"):  # lessons of the same commit as SYSDESIGN_LIB
        for notebook in Path(os.environ["SYSDESIGN_NOTEBOOKS"]).glob("*.ipynb"):
            shutil.copy(notebook, lab_dir / "notebooks" / notebook.name)
    rows = []
    for key in os.environ[_SELECTED].split(","):
        path = f"notebooks/{LESSONS[key]}.ipynb"
        open_notebook(page, lab, path, timeout_ms=300_000)
        for index in range(explorer_count(page)):
            box = explorer(page, index)
            box.scroll_into_view_if_needed()
            sliders = box.locator(".widget-gridbox").first.locator(":scope > .widget-slider")
            samples: list[dict] = []
            for s in range(sliders.count()):
                handle = sliders.nth(s).locator(".noUi-handle").first
                for step in range(STEPS):
                    _, before = kernel_activity(lab, path)
                    arm(page, index)
                    handle.focus()
                    page.keyboard.press("ArrowRight" if step % 2 == 0 else "ArrowLeft")
                    try:
                        stamps = wait_settled(page, lab, path, before, timeout_ms=20_000)
                    except Exception:  # a chart that never shows its traces again (empty axes)
                        stamps = {"key": 0.0, "first": None, "plot": None, "drawn": None, "empty": True}
                    if step == 0 and stamps.get("plot") is None and not stamps.get("empty"):
                        break  # this slider does not change the chart: try the next one
                    samples.append(stamps)  # later steps without a chart change count as "unchanged"
                if samples:
                    break
            rows.append((LESSONS[key], index, samples))
    _report(rows)


def _ms(samples: list[dict], what: str) -> list[float]:
    return [s[what] - s["key"] for s in samples if s.get(what) is not None and s.get("key") is not None]


def _report(rows: list[tuple[str, int, list[dict]]]) -> None:
    print(f"\nsysdesign from {os.environ.get('SYSDESIGN_LIB') or ROOT / 'lib'}; ms after the key press")
    heads = ("first change", "chart changes", "traces drawn")
    print(f"{'lesson':<24}{'#':>2} {'n':>3} " + " ".join(f"{h:>16}" for h in heads) + " empty unchanged")
    every: dict[str, list[float]] = {"first": [], "plot": [], "drawn": []}
    empty = unchanged = 0
    for lesson, index, samples in rows:
        cells = []
        for what in every:
            values = _ms(samples, what)
            every[what] += values
            cells.append(
                f"{min(values):5.0f}-{max(values):5.0f} ({statistics.median(values):4.0f})" if values else "-"
            )
        lost = sum(1 for s in samples if s.get("empty"))
        same = sum(1 for s in samples if s.get("plot") is None and not s.get("empty"))
        empty += lost
        unchanged += same
        shown = " ".join(f"{c:>16}" for c in cells)
        print(f"{lesson:<24}{index:>2} {len(samples):>3} {shown} {lost:>5} {same:>9}")
    for what, values in every.items():
        if values:
            q = statistics.quantiles(values, n=20) if len(values) > 1 else values
            print(
                f"all {what:<6} n={len(values):>3}  median {statistics.median(values):5.0f} ms  "
                f"p95 {q[-1]:5.0f} ms  range {min(values):.0f}-{max(values):.0f} ms"
            )
    print(f"steps whose chart stayed without traces for 20 s: {empty}")
    print(f"steps whose chart had not changed when the kernel and the page were idle: {unchanged}")


def main(lessons: list[str] | None = None) -> None:
    import pytest

    chosen = lessons or list(DEFAULT)
    unknown = [k for k in chosen if k not in LESSONS]
    if unknown:
        raise ValueError(f"lessons must be among {', '.join(LESSONS)}; got {', '.join(unknown)}")
    os.environ[_SELECTED] = ",".join(chosen)
    if os.environ.get("SYSDESIGN_LIB"):
        os.environ["PYTHONPATH"] = os.environ["SYSDESIGN_LIB"]  # the lab server's kernels inherit it
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    code = pytest.main(
        [
            __file__,
            "-p",
            "conftest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            f"--rootdir={ROOT}",
            "-o",
            "addopts=",
        ]
    )
    if code != 0:
        raise SystemExit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
