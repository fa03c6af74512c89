"""Run every benchmark script in this folder and print its figures: `make benchmark`.

python benchmarks/run.py              # all of them
python benchmarks/run.py estimation   # only bench_estimation.py
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(selected: list[str]) -> None:
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if selected and name not in selected:
            continue
        print(f"\n== {name} ==", flush=True)
        start = time.perf_counter()
        importlib.import_module(path.stem).main()
        print(f"   ({time.perf_counter() - start:.1f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
