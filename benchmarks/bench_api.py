"""Latency of the API lesson's explorers and of the calls behind them (targets: explorer < 150 ms)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from sysdesign import api  # noqa: E402
from sysdesign.sim import pagination  # noqa: E402
from sysdesign.widgets.api import api_review_explorer, pagination_explorer  # noqa: E402

N = 60


def main() -> None:
    lines = api.EXAMPLE_BAD_API.splitlines() + api.CHAT_API.lines().splitlines()
    texts = [
        "\n".join(lines[: 1 + i % len(lines)]) + f"\nGET /api/v1/things{i}?offset=0&limit={i + 1}"
        for i in range(N)
    ]
    print(_timing.row("api.review (1-14 endpoints)", _timing.time_calls(api.review, texts), target_ms=30))
    print(
        _timing.row(
            "api_review_explorer: edit endpoints",
            _timing.time_explorer(api_review_explorer(), "endpoints", texts),
            150,
        )
    )

    def worst(seed: int) -> object:
        return pagination.compare(
            page_size=50, pages=20, arrivals_per_page=30, deletions_per_page=10, seed=seed
        )

    print(
        _timing.row(
            "pagination.compare, largest settings", _timing.time_calls(worst, range(N)), target_ms=150
        )
    )
    explorer = pagination_explorer()
    for control, values in (
        ("page_size", [5 * (1 + i % 10) for i in range(N)]),
        ("arrivals_per_page", [i % 31 for i in range(N)]),
        ("pages", [1 + i % 20 for i in range(N)]),
    ):
        print(
            _timing.row(
                f"pagination_explorer: {control}", _timing.time_explorer(explorer, control, values), 150
            )
        )
    explorer.controls["pages"].value = 20
    explorer.controls["page_size"].value = 50
    big = _timing.time_explorer(explorer, "arrivals_per_page", [i % 31 for i in range(N)])
    print(_timing.row("pagination_explorer: arrivals at 20 pages of 50", big, 150))


if __name__ == "__main__":
    main()
