"""Wall-clock budgets of the simulations and of `measure`, moved out of the unit tests.

    python benchmarks/run.py budgets

Each line times one call the way the unit tests once asserted it and says whether it stays under
its budget. The budgets are generous for a loaded 2-core machine; the comments give quiet-machine
figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sysdesign import filesync, measure
from sysdesign.sim import crawler, notify


def _notify() -> None:  # about 20 ms on a quiet machine
    notify.drain(2e6, 200, 8, 500, "shared", duration_s=600, seed=1)
    notify.retries(20_000, timeout_rate=0.6, max_retries=5, window_s=31, seed=1)


def _crawler() -> None:  # about 60 ms
    crawler.crawl(400, 200, 1, 0.5, duration_s=10, seed=4)
    crawler.bloom_simulation(100_000, 958_506, 7, seed=4)


def _filesync() -> None:  # about 100 ms
    filesync.sync_edit(16_000_000, 16_000, 10_000, seed=1)
    filesync.conflicts(100_000, 3, 0.2, "conflicted_copy", seed=1)


# name -> (call, budget in seconds). measure's 0.6 s budget covers its timed loops; set-up (64 MB
# arrays, a 16 MB file, 10,000 rows) adds under a second.
BUDGETS: dict[str, tuple[Callable[[], object], float]] = {
    "notify.drain + notify.retries": (_notify, 0.5),
    "crawler.crawl + crawler.bloom_simulation": (_crawler, 1.0),
    "filesync.sync_edit + filesync.conflicts": (_filesync, 1.0),
    "measure.measure(budget_s=0.6)": (lambda: measure.measure(budget_s=0.6), 6.0),
    "measure.sqlite_query(budget_s=0.2)": (lambda: measure.sqlite_query(budget_s=0.2), 2.0),
}


def main() -> None:
    for name, (call, budget_s) in BUDGETS.items():
        start = time.perf_counter()
        call()
        seconds = time.perf_counter() - start
        verdict = "ok" if seconds < budget_s else "OVER BUDGET"
        print(f"{name:<44} {seconds * 1e3:8.1f} ms   budget {budget_s * 1e3:6.0f} ms   {verdict}")


if __name__ == "__main__":
    main()
