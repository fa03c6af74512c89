"""Latency of the framework explorers (lessons 00, 01, 08) and the calls behind them.

    .venv/bin/python benchmarks/bench_framework.py      # or: python benchmarks/run.py framework

Targets: library calls < 30 ms, explorer updates (a control change or a button press) < 150 ms.
Button-driven explorers are timed by pressing their buttons, which runs the same handler a
click in the browser runs. The timer uses a manual clock, so every press sees a moving clock.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from sysdesign import framework  # noqa: E402
from sysdesign.widgets.framework import mistake_quiz, phase_timer_explorer, plan_explorer  # noqa: E402

CALL_TARGET_MS = 30.0
EXPLORER_TARGET_MS = 150.0
N = 60  # changes or presses per measurement (at least 50)


def main() -> None:
    clock = framework.ManualClock()
    running = framework.PhaseTimer(clock=clock)
    running.start()

    def tick(_: object) -> object:
        clock.advance(7)
        return running.report()

    calls = {
        "plan(length)": (framework.plan, [20 + i % 71 for i in range(N)]),
        "phase_figure(length)": (framework.phase_figure, [20 + i % 71 for i in range(N)]),
        "PhaseTimer.report() while running": (tick, range(N)),
        "check_answer(key, option)": (
            lambda i: framework.check_answer(framework.MISTAKE_KEYS[i % 7], i % 4),
            range(N),
        ),
        "spoken_summary()": (lambda _: framework.spoken_summary(), range(N)),
        "practice_problems(tier)": (
            lambda i: framework.practice_problems(framework.TIER_KEYS[i % 3]),
            range(N),
        ),
    }
    for name, (call, inputs) in calls.items():
        print(_timing.row(name, _timing.time_calls(call, inputs), CALL_TARGET_MS))

    lengths = [20 + 5 * (i % 15) for i in range(1, N + 1)]
    print(
        _timing.row(
            "plan_explorer: length slider",
            _timing.time_explorer(plan_explorer(), "length", lengths),
            EXPLORER_TARGET_MS,
        )
    )

    clock = framework.ManualClock()
    timer = phase_timer_explorer(clock=clock)
    # One full interview per cycle: Start, five Next phase presses with Refreshes and a
    # Pause/Resume in between, the last Next phase (finished), Reset.
    cycle = ["Start", "Refresh", "Pause", "Resume"] + ["Next phase", "Refresh"] * 5 + ["Next phase", "Reset"]
    presses = list(itertools.islice(itertools.cycle(cycle), 4 * len(cycle)))

    def press(text: str) -> None:
        clock.advance(40)
        timer.press(text)

    print(
        _timing.row(
            "phase_timer_explorer: button press", _timing.time_calls(press, presses), EXPLORER_TARGET_MS
        )
    )
    assert timer.status.value == "", timer.status.value  # every press was a valid one
    print(
        _timing.row(
            "phase_timer_explorer: length dropdown",
            _timing.time_explorer(timer, "length", [(30, 45, 60)[i % 3] for i in range(1, N + 1)]),
            EXPLORER_TARGET_MS,
        )
    )
    timer.close()

    quiz = mistake_quiz("no_estimation")
    options = quiz.controls["answer"].options

    def answer_and_check(i: int) -> None:
        quiz.controls["answer"].value = options[i % len(options)]
        quiz.press("Check")

    print(
        _timing.row(
            "mistake_quiz: pick an option and Check",
            _timing.time_calls(answer_and_check, range(N)),
            EXPLORER_TARGET_MS,
        )
    )
    keys = itertools.cycle(framework.MISTAKE_KEYS)
    print(
        _timing.row(
            "mistake_quiz(key): build", _timing.time_calls(lambda _: mistake_quiz(next(keys)), range(N))
        )
    )


if __name__ == "__main__":
    main()
