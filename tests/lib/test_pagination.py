"""Pagination on a real SQLite table: offset repeats and skips while the list changes, a cursor never does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import pagination as pg

# Offset, newest first, k arrivals between page reads, no deletions, k <= page size: the arrivals push
# every older row down by k, so each page after the first starts with the last k rows of the page before.
# Repeats = k x (pages - 1).
OFFSET_REPEATS = [
    # page_size, pages, arrivals_per_page, expected repeats (arithmetic)
    (20, 5, 5, 4 * 5),
    (10, 3, 4, 2 * 4),
    (50, 10, 1, 9 * 1),
    (25, 2, 25, 1 * 25),  # a whole page of arrivals: page 2 is page 1 again
    (10, 1, 7, 0),  # one page: nothing to repeat
    (10, 6, 0, 0),  # a quiet chat: offset is fine
]


@pytest.mark.parametrize(("page_size", "pages", "arrivals", "repeats"), OFFSET_REPEATS)
def test_offset_repeats_exactly_the_arrivals(page_size, pages, arrivals, repeats):
    result = pg.simulate("offset", page_size=page_size, pages=pages, arrivals_per_page=arrivals, seed=3)
    assert result.duplicates == repeats
    assert result.skipped == 0 and result.newer == 0
    assert sum(result.repeats_per_page) == repeats
    assert result.arrived == arrivals * (pages - 1)


def test_offset_page_two_starts_with_the_end_of_page_one():
    result = pg.simulate("offset", page_size=10, pages=2, arrivals_per_page=3, seed=1)
    first, second = result.pages
    assert second[:3] == first[-3:]


def test_offset_with_deletions_skips_and_never_repeats():
    skips = []
    for seed in range(10):
        result = pg.simulate(
            "offset", page_size=10, pages=6, arrivals_per_page=0, deletions_per_page=4, seed=seed
        )
        assert result.duplicates == 0
        assert result.skipped <= result.deleted == 4 * 5
        skips.append(result.skipped)
    # Deleting 4 of the ~110 rows at random after each page: some land among rows already read and
    # pull unread rows up past the next offset.
    assert sum(skips) > 0


def test_more_arrivals_than_a_page_show_new_rows_in_the_history():
    # Offset: with 30 arrivals per page of 10, page 2 (offset 10) holds only rows that arrived meanwhile.
    result = pg.simulate("offset", page_size=10, pages=3, arrivals_per_page=30)
    assert result.newer == 20 and result.duplicates == 0
    assert pg.simulate("cursor", page_size=10, pages=3, arrivals_per_page=30).newer == 0


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    page_size=st.integers(1, 60),
    pages=st.integers(1, 15),
    arrivals=st.integers(0, 80),
    deletions=st.integers(0, 10),
    initial=st.one_of(st.none(), st.integers(0, 400)),
)
def test_cursor_never_repeats_or_skips(seed, page_size, pages, arrivals, deletions, initial):
    result = pg.simulate(
        "cursor",
        page_size=page_size,
        pages=pages,
        arrivals_per_page=arrivals,
        deletions_per_page=deletions,
        initial=initial,
        seed=seed,
    )
    assert result.duplicates == 0
    assert result.skipped == 0
    assert result.newer == 0
    assert result.unique == result.returned
    assert all(r == 0 for r in result.repeats_per_page) and all(s == 0 for s in result.skipped_after_page)
    if initial is not None and len(result.pages[-1]) < page_size:
        # It reached the oldest message: every message but the deleted ones was shown once.
        assert result.unique + result.deleted >= initial >= result.unique


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    page_size=st.integers(1, 40),
    pages=st.integers(2, 10),
    arrivals=st.integers(1, 40),
)
def test_offset_repeats_whenever_messages_arrive(seed, page_size, pages, arrivals):
    result = pg.simulate("offset", page_size=page_size, pages=pages, arrivals_per_page=arrivals, seed=seed)
    if arrivals <= page_size:
        assert result.duplicates == arrivals * (pages - 1) > 0
    else:  # more arrivals than a page: the later pages are made of new rows instead
        assert result.newer > 0
    assert result.skipped == 0


def test_timestamp_cursor_skips_ties_but_the_pair_does_not():
    # About a quarter of neighbouring messages share a timestamp, so some page boundaries fall inside a tie.
    skipped = [
        pg.simulate("timestamp", page_size=7, pages=10, arrivals_per_page=0, seed=s).skipped for s in range(8)
    ]
    assert sum(skipped) > 0
    assert all(
        pg.simulate("cursor", page_size=7, pages=10, arrivals_per_page=0, seed=s).skipped == 0
        for s in range(8)
    )


def test_same_seed_same_result_and_same_world_for_every_strategy():
    kwargs = dict(page_size=10, pages=6, arrivals_per_page=3, deletions_per_page=2, seed=11)
    assert pg.simulate("offset", **kwargs) == pg.simulate("offset", **kwargs)
    results = [pg.simulate(s, **kwargs) for s in pg.STRATEGIES]
    assert len({(r.arrived, r.deleted) for r in results}) == 1
    assert (
        results[0].pages[0] == results[1].pages[0] == results[2].pages[0]
    )  # the first page is the same query
    other = pg.simulate("offset", **{**kwargs, "seed": 12})
    assert other.pages != results[0].pages


def test_sql_runs_on_sqlite():
    assert "OFFSET :offset" in pg.QUERIES["offset"]
    assert "(created_at, message_id) < (:cursor_time, :cursor_id)" in pg.QUERIES["cursor"]
    assert pg.simulate("cursor").sql == pg.QUERIES["cursor"]


def test_tables_figure_and_sentence():
    results = [pg.simulate(s, page_size=10, pages=3, arrivals_per_page=4) for s in ("offset", "cursor")]
    table = pg.results_table(results)
    assert list(table["duplicates"]) == [8, 0]  # 4 arrivals x 2 later pages
    assert list(table["rows returned"]) == [30, 30]
    pages = results[0].table()
    assert list(pages["repeated"]) == [0, 4, 4]
    fig = pg.comparison_figure(results)
    assert fig.layout.title.text == "offset: 8 repeated, 0 skipped · cursor: 0 repeated, 0 skipped"
    assert list(fig.data[0].y) == [8, 0]
    assert pg.describe(results[1:]) == "cursor read 3 pages of 10: 0 rows repeated, 0 messages skipped."
    assert list(pg.compare(page_size=10, pages=3, arrivals_per_page=4)["duplicates"]) == [8, 0]


def test_short_chat_ends_early():
    result = pg.simulate("cursor", page_size=10, pages=5, arrivals_per_page=0, initial=25)
    assert [len(p) for p in result.pages] == [10, 10, 5]
    assert result.pages_read == 3 and result.unique == 25
    empty = pg.simulate("offset", initial=0)
    assert empty.pages == ((),) and empty.skipped == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"strategy": "keyset"}, ValueError, "strategy must be one of 'offset', 'cursor', 'timestamp'"),
        ({"page_size": 0}, ValueError, r"page_size must be a number in \[1, 500\]"),
        ({"page_size": 2.5}, ValueError, "page_size must be a whole number"),
        ({"pages": 0}, ValueError, "pages must be"),
        ({"arrivals_per_page": -1}, ValueError, "arrivals_per_page must be"),
        ({"deletions_per_page": "3"}, TypeError, "deletions_per_page must be a number"),
        ({"initial": -5}, ValueError, "initial must be"),
        ({"seed": -1}, ValueError, "seed must be"),
        ({"initial": 200_000, "arrivals_per_page": 1000, "pages": 10}, ValueError, "must stay <= 200,000"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, error, message):
    with pytest.raises(error, match=message):
        pg.simulate(**kwargs)


def test_pagination_explorer_follows_the_sliders():
    from sysdesign.widgets.api import pagination_explorer

    explorer = pagination_explorer()
    result = next(c for c in explorer.children if "sd-pagination-result" in c._dom_classes)
    chart = next(c for c in explorer.children if "sd-pagination-chart" in c._dom_classes).figure
    # Defaults: pages of 20, 5 arrivals between reads, 5 pages -> offset repeats 4 x 5 = 20 rows.
    assert "offset read 5 pages of 20: 20 rows repeated" in result.value
    assert list(chart.data[0].y) == [20, 0]
    explorer.controls["arrivals_per_page"].value = 2  # 4 x 2 = 8
    assert "offset read 5 pages of 20: 8 rows repeated" in result.value
    assert chart.layout.title.text.startswith("offset: 8 repeated")
    explorer.controls["arrivals_per_page"].value = 0
    explorer.controls["deletions_per_page"].value = 10
    assert "cursor read 5 pages of 20: 0 rows repeated, 0 messages skipped" in result.value
    assert explorer.status.value == ""
