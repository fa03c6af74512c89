"""Update latency of lesson 02's contract builder and lesson 09's availability calculator, and the
run time of ``measure.measure()`` (targets: explorers median under 30 ms per change; measure within
its budget plus one second of set-up).

python benchmarks/bench_requirements.py      # or: python benchmarks/run.py requirements
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from sysdesign import measure, requirements  # noqa: E402
from sysdesign.widgets.cheat_sheet import NINES_OPTIONS, availability_calculator  # noqa: E402
from sysdesign.widgets.requirements import AVAILABILITY_OPTIONS, contract_builder  # noqa: E402

TARGET_MS = 30.0
CHANGES = 60  # value changes per control (the brief asks for at least 50)


def _sweep(values: list) -> list:
    """``CHANGES`` values cycling through ``values`` (each differs from the one before)."""
    return [values[i % len(values)] for i in range(CHANGES)]


FEATURE_SETS = [tuple(requirements.FEATURES)[: i + 1] for i in range(len(requirements.FEATURES))]

CONTRACT_SWEEPS: dict[str, list] = {
    "availability": _sweep([value for _, value in AVAILABILITY_OPTIONS]),
    "latency_ms": _sweep(list(range(50, 3001, 50))),
    "dau_millions": _sweep(list(range(1, 2000, 33))),
    "per_user": _sweep(list(range(1, 200, 3))),
    "max_group": _sweep(list(range(2, 5000, 83))),
    "durability": _sweep(list(requirements.DURABILITY)),
    "ordering": _sweep(list(requirements.ORDERING)),
    "features": _sweep(FEATURE_SETS),
}

CALCULATOR_SWEEPS: dict[str, list] = {
    "level": _sweep([value for _, value in NINES_OPTIONS]),
    "downtime_minutes": _sweep([1.0 + 37 * i for i in range(CHANGES)]),
    "chain": _sweep([", ".join(["99.9"] * n + ["99.99"]) for n in range(1, 8)]),
    "replicas": _sweep([1, 2, 3, 4, 5]),
}


def _explorer(name: str, build, sweeps: dict[str, list]) -> list[float]:
    start = time.perf_counter()
    explorer = build()
    print(f"{name + '() build':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    medians = []
    for control, values in sweeps.items():
        stats = _timing.time_explorer(explorer, control, values)
        print(_timing.row(f"{name}: {control}", stats, TARGET_MS), flush=True)
        medians.append(stats["median_ms"])
        assert explorer.status.value == "", explorer.status.value
    return medians


def main() -> None:
    _explorer("contract_builder", contract_builder, CONTRACT_SWEEPS)
    _explorer("availability_calculator", availability_calculator, CALCULATOR_SWEEPS)
    for budget in (1.0, 2.0):
        start = time.perf_counter()
        table = measure.measure(budget_s=budget)
        elapsed = time.perf_counter() - start
        verdict = "ok" if elapsed < budget + 1.0 else f"MISSES {budget + 1.0:.1f} s"
        print(f"{f'measure.measure(budget_s={budget:g})':<48} {elapsed:7.2f} s   {verdict}")
    for _, row in table.iterrows():
        print(f"   {row['operation']:<46} {row['measured']:>9}   reference {row['reference_readable']:>7}")


if __name__ == "__main__":
    main()
