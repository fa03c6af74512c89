"""The URL shortener case study: estimate, codes and collisions, ID strategies, redirects, cache, shards.

Sources of the expected values:
* the lesson's scenario (100 M new links a month, 100 reads per link, 500 B per record, 10 years),
  with the arithmetic written next to each case;
* the birthday problem: the exact product 1 - prod(1 - i/N), computed here independently;
* a brute-force redirect replay and an explicit per-server block count, written here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import api, shortener, tradeoffs
from sysdesign.sim import caching

# --------------------------------------------------------------------------- alphabets and capacity


@pytest.mark.parametrize(
    ("alphabet", "size"),
    [("base62", 62), ("base58", 58), ("base64url", 64), ("base36", 36), ("hex", 16), ("decimal", 10)],
)
def test_alphabets_have_distinct_characters(alphabet, size):
    chars = shortener.alphabet_chars(alphabet)
    assert len(chars) == size and len(set(chars)) == size


def test_base58_drops_the_look_alikes():
    assert not set("0OIl") & set(shortener.alphabet_chars("base58"))


@pytest.mark.parametrize(
    ("length", "alphabet", "expected"),
    [
        (7, "base62", 3_521_614_606_208),  # 62**7: the "3.5 trillion" usually quoted for 7 characters
        (6, "base62", 56_800_235_584),  # 62**6
        (4, "hex", 65_536),  # 16**4
        (8, "base58", 128_063_081_718_016),  # 58**8 = 58**4 squared = 11,316,496**2
        (3, "decimal", 1_000),
    ],
)
def test_capacity(length, alphabet, expected):
    assert shortener.capacity(length, alphabet) == expected


@pytest.mark.parametrize(
    ("number", "alphabet", "length", "code"),
    [
        (0, "base62", None, "0"),
        (61, "base62", None, "z"),  # the last character
        (62, "base62", None, "10"),  # one "ten" in base 62
        (3_843, "base62", None, "zz"),  # 62**2 - 1
        (125, "base62", 4, "0021"),  # 2 x 62 + 1, padded
        (255, "hex", None, "ff"),
        (0, "base58", 3, "111"),  # base58's zero digit is '1'
    ],
)
def test_encode(number, alphabet, length, code):
    assert shortener.encode(number, alphabet, length) == code
    assert shortener.decode(code, alphabet) == number


@given(st.integers(min_value=0, max_value=2**80), st.sampled_from(sorted(shortener.ALPHABETS)))
def test_encode_decode_round_trip(number, alphabet):
    assert shortener.decode(shortener.encode(number, alphabet), alphabet) == number


@given(st.integers(min_value=1, max_value=10**15), st.sampled_from(sorted(shortener.ALPHABETS)))
def test_a_counter_fits_its_length(n_links, alphabet):
    length = shortener.length_for_capacity(n_links, alphabet)
    assert shortener.capacity(length, alphabet) >= n_links
    assert length == 1 or shortener.capacity(length - 1, alphabet) < n_links
    assert len(shortener.encode(n_links - 1, alphabet)) <= length  # the largest id 0..n-1 fits


def test_a_number_too_big_for_the_length_is_refused():
    with pytest.raises(ValueError, match="length=2"):
        shortener.encode(62**2, "base62", 2)


# --------------------------------------------------------------------------- collisions


def _exact_birthday(n: int, space: int) -> float:
    """1 - prod_{i<n} (1 - i/N), the exact chance of a repeat among n uniform draws."""
    p_distinct = 1.0
    for i in range(n):
        p_distinct *= 1.0 - i / space
    return 1.0 - p_distinct


@pytest.mark.parametrize(
    ("n", "length", "alphabet"),
    [(100, 4, "decimal"), (118, 4, "decimal"), (300, 2, "base62"), (1_000, 4, "base36"), (50, 2, "hex")],
)
def test_collision_probability_is_close_to_the_exact_birthday_product(n, length, alphabet):
    exact = _exact_birthday(n, shortener.capacity(length, alphabet))
    assert shortener.collision_probability(n, length, alphabet) == pytest.approx(exact, rel=0.05, abs=0.005)


@pytest.mark.parametrize(
    ("n", "length", "alphabet", "expected"),
    [
        (118, 4, "decimal", 1 - math.exp(-118 * 117 / 20_000)),  # 0.4986: about even odds
        (100_000, 7, "base62", 1 - math.exp(-100_000 * 99_999 / (2 * 62**7))),  # 0.00142
        (1e6, 7, "base62", 1 - math.exp(-1e6 * 999_999 / (2 * 62**7))),  # 0.1324
        (11, 1, "decimal", 1.0),  # 11 links, 10 codes: pigeonhole
        (1, 3, "base62", 0.0),  # one link cannot collide
    ],
)
def test_collision_probability_values(n, length, alphabet, expected):
    assert shortener.collision_probability(n, length, alphabet) == pytest.approx(expected, rel=1e-9)


def test_tiny_probabilities_keep_their_digits():
    # n(n-1)/2N for 1,000 links in 62**12 codes: 499,500 / 3.2262668e21; 1 - exp(-x) would round to 0
    p = shortener.collision_probability(1_000, 12, "base62")
    assert p == pytest.approx(1_000 * 999 / 2 / 62**12, rel=1e-9) and p > 0


@settings(max_examples=60)
@given(
    st.floats(min_value=2, max_value=1e12),
    st.floats(min_value=1.01, max_value=100),
    st.integers(min_value=1, max_value=14),
    st.sampled_from(sorted(shortener.ALPHABETS)),
)
def test_collision_probability_grows_with_links_and_falls_with_length(n, factor, length, alphabet):
    p = shortener.collision_probability(n, length, alphabet)
    assert shortener.collision_probability(n * factor, length, alphabet) >= p
    assert shortener.collision_probability(n, length + 1, alphabet) <= p
    assert 0.0 <= p <= shortener.birthday_bound(n, length, alphabet) <= 1.0


def test_insert_collision_is_the_used_share_of_the_key_space():
    assert shortener.insert_collision_probability(3_521_614_606, 7) == pytest.approx(1e-3)  # 62**7 / 1000


@pytest.mark.parametrize(
    ("n", "alphabet", "target"), [(1e6, "base62", 1e-3), (1e9, "base58", 1e-6), (1e4, "hex", 0.5)]
)
def test_min_length_is_the_shortest_that_meets_the_target(n, alphabet, target):
    length = shortener.min_length(n, alphabet, target)
    assert shortener.collision_probability(n, length, alphabet) <= target
    assert shortener.collision_probability(n, length - 1, alphabet) > target


def test_collision_curve_columns_agree():
    curve = shortener.collision_curve(1e9, "base62", range(5, 12))
    assert curve["capacity"].tolist() == [float(62**k) for k in range(5, 12)]
    assert (np.diff(curve["probability"]) <= 0).all()
    assert curve["space_used"].iloc[0] == 1.0  # 1e9 links > 62**5 = 916 M codes


# --------------------------------------------------------------------------- the estimate


def test_the_scenario_estimate():
    s = shortener.SHORTENER
    per_day = 100e6 / 30  # 3.33 M links a day (30-day month)
    assert s.writes().per_day == pytest.approx(per_day)
    assert s.writes().avg_qps == pytest.approx(per_day / 86_400)  # 38.6 /s
    assert s.reads().avg_qps == pytest.approx(100 * per_day / 86_400)  # 3,858 /s
    assert s.reads().peak_qps == pytest.approx(3 * 100 * per_day / 86_400)  # 11,574 /s
    assert s.storage().total == pytest.approx(per_day * 500 * 365 * 10)  # 6.08 TB
    assert s.total_links() == pytest.approx(per_day * 3_650)  # 12.2 billion
    assert s.bandwidth().egress == pytest.approx(100 * per_day * 500 / 86_400)  # 1.93 MB/s
    assert len(s.table()) == 11


def test_a_counter_needs_six_characters_and_random_codes_collide_at_seven():
    n = shortener.SHORTENER.total_links()  # 12.2 billion
    assert 62**5 < n <= 62**6  # 916 million < 12.2 billion <= 56.8 billion
    assert shortener.length_for_capacity(n) == 6
    assert shortener.collision_probability(n, 7) == 1.0  # random codes surely collide somewhere
    assert shortener.insert_collision_probability(n, 7) == pytest.approx(n / 62**7)  # 0.35 % retries


# --------------------------------------------------------------------------- ID strategies


def test_hash_code_is_deterministic_and_salted():
    a = shortener.hash_code("https://example.com/page")
    assert a == shortener.hash_code("https://example.com/page") and len(a) == 7
    assert shortener.hash_code("https://example.com/page", attempt=1) != a
    assert set(a) <= set(shortener.alphabet_chars("base62"))


def test_simulated_hash_collisions_match_the_birthday_expectation():
    # 200,000 links in 62**5 = 916 M codes: expected pairs 200,000 x 199,999 / 2 / 916,132,832 = 21.8
    expected = 200_000 * 199_999 / 2 / 62**5
    runs = [shortener.simulate_ids("hash", 200_000, 5, seed=s).collisions for s in range(5)]
    assert np.mean(runs) == pytest.approx(expected, rel=0.35)


def test_counter_and_ranges_never_collide_but_are_guessable():
    counter = shortener.simulate_ids("counter", 50_000)
    ranges = shortener.simulate_ids("ranges", 50_000, servers=4, block_size=1_000)
    for run in (counter, ranges):
        assert run.collisions == 0 and run.guessable_share > 0.99
    assert counter.coordination_calls == 50_000
    assert ranges.coordination_calls == 4 * math.ceil(50_000 / 4 / 1_000)  # 13 blocks per server


def test_range_blocks_are_distinct():
    # every number issued once even though servers interleave: rebuild the codes by hand
    n, servers, block = 10_000, 3, 500
    seen = set()
    for server in range(servers):
        handled = len(range(server, n, servers))
        for k in range(handled):
            seen.add(((k // block) * servers + server) * block + k % block)
    assert len(seen) == n
    assert shortener.simulate_ids("ranges", n, servers=servers, block_size=block).collisions == 0


def test_key_service_codes_are_unique_and_hard_to_guess():
    run = shortener.simulate_ids("key_service", 100_000, 6)
    assert run.collisions == 0
    assert run.guessable_share < 0.01  # about 100,000 / 62**6 = 1.8e-6 of neighbours are live
    assert run.coordination_calls == 10  # batches of 10,000


def test_compare_ids_has_one_row_per_strategy():
    table = shortener.compare_ids(20_000, 5)
    assert len(table) == 4 and table["collisions"].iloc[1:].eq(0).all()
    assert table.set_index("strategy").loc["hash and truncate", "same_url_same_code"] == "yes"


# --------------------------------------------------------------------------- redirects


def _replay(status, visitors, mean, keep, days, seed):
    """The same random draws as redirect_clicks, replayed click by click per visitor."""
    rng = np.random.default_rng(seed)
    per = 1 + rng.poisson(mean - 1.0, size=visitors)
    if status == "302" or keep == 0:
        return int(per.sum())
    if keep >= days:
        return visitors
    when = rng.random(int(per.sum())) * days
    reached, start = 0, 0
    for count in per:
        last = -math.inf
        for t in sorted(when[start : start + count]):
            if t - last >= keep:
                reached, last = reached + 1, t
        start += count
    return reached


@pytest.mark.parametrize(
    ("status", "keep"), [("302", math.inf), ("301", math.inf), ("301", 0.0), ("301", 3.0), ("301", 10.0)]
)
def test_redirect_clicks_match_a_click_by_click_replay(status, keep):
    result = shortener.redirect_clicks(status, 2_000, 4.0, cache_days=keep, days=30, seed=3)
    assert result.reached == _replay(status, 2_000, 4.0, keep, 30, 3)


def test_a_302_counts_every_click_and_a_301_loses_repeats():
    r302 = shortener.redirect_clicks("302", 5_000, 3.0)
    r301 = shortener.redirect_clicks("301", 5_000, 3.0)
    assert r302.reached == r302.clicks and r302.uncounted_share == 0.0
    assert r301.reached == 5_000  # kept for good: one request per visitor
    assert r301.uncounted_share == pytest.approx(1 - 5_000 / r301.clicks)  # about 2/3 with 3 clicks each


def test_a_longer_browser_cache_means_fewer_requests():
    reached = [shortener.redirect_clicks("301", 3_000, 5.0, cache_days=d).reached for d in (0, 1, 5, 20, 30)]
    assert reached == sorted(reached, reverse=True) and reached[0] > reached[-1]


# --------------------------------------------------------------------------- cache, storage, shards


def test_cache_hit_ratio_tracks_an_exact_lru_simulation():
    exact = caching.lru_hit_ratio(
        int(0.2 * shortener.MODEL_LINKS), shortener.MODEL_LINKS, n_requests=200_000, skew=1.0, seed=1
    )
    assert shortener.cache_hit_ratio(0.2, 1.0) == pytest.approx(exact, abs=0.03)


@pytest.mark.parametrize("skew", [0.0, 0.6, 1.0, 1.4])
def test_binned_che_curve_matches_the_per_key_one(skew):
    sizes, hits = shortener.che_curve_binned(10_000, skew, points=60)
    ref_sizes, ref_hits = caching.che_curve(10_000, skew, points=60)
    assert sizes == pytest.approx(ref_sizes, rel=1e-3) and hits == pytest.approx(ref_hits, abs=1e-3)


@given(st.floats(min_value=0, max_value=0.99), st.floats(min_value=0.001, max_value=0.01))
def test_a_bigger_cache_never_hits_less(share, more):
    assert shortener.cache_hit_ratio(share + more) >= shortener.cache_hit_ratio(share)


def test_hot_link_cache_sizing():
    plan = shortener.hot_link_cache(0.2, 1.0)
    assert plan.cached_links == pytest.approx(20e6)  # 20 % of one month's 100 M links
    assert plan.memory_bytes == pytest.approx(20e6 * 600)  # (500 + 100) B each: 12 GB, one node
    assert plan.nodes == 1
    assert plan.db_reads_per_s == pytest.approx(plan.peak_reads_per_s * (1 - plan.hit_ratio))


def test_storage_plan():
    plan = shortener.storage_plan()
    assert plan.by_storage == math.ceil(100e6 / 30 * 500 * 3_650 / 1e12)  # 6.08 TB at 1 TB a node: 7
    assert plan.by_reads == math.ceil(3 * 100 * 100e6 / 30 / 86_400 / 5_000)  # 11,574 /s at 5,000: 3
    assert (plan.shards, plan.machines) == (7, 21)


def test_range_placement_makes_a_hot_shard_and_hashing_spreads_it():
    ranged = shortener.shard_read_loads("range", 8)
    hashed = shortener.shard_read_loads("hash", 8)
    assert ranged.hot_ratio > 3 * hashed.hot_ratio
    assert ranged.loads.sum() == hashed.loads.sum() == 200_000


def test_a_cache_takes_reads_off_the_shards():
    without = shortener.shard_read_loads("hash", 8, cached_links=0)
    with_cache = shortener.shard_read_loads("hash", 8, cached_links=1_000)
    assert with_cache.loads.sum() < without.loads.sum()
    assert with_cache.hot_ratio <= without.hot_ratio


# --------------------------------------------------------------------------- API, architecture, wrap-up


def test_the_api_passes_review_and_covers_the_requirements():
    assert api.review(shortener.SHORTENER_API) == []
    assert api.missing_operations(shortener.SHORTENER_API, shortener.SHORTENER_OPERATIONS) == []


def test_the_architecture_has_no_single_point_of_failure_and_meets_the_budget():
    arch = shortener.shortener_architecture()
    assert arch.problems() == [] and arch.single_points_of_failure() == []
    hit, miss = arch.trace(shortener.REDIRECT_HIT_PATH), arch.trace(shortener.REDIRECT_MISS_PATH)
    assert hit.within_budget and miss.within_budget and hit.total_s < miss.total_s
    assert arch.durable_before_ack(shortener.CREATE_PATH, ack_at="db")
    assert shortener.shortener_architecture(draft=True).single_points_of_failure() == ["cache", "keys"]


def test_replicas_come_from_the_estimate():
    counts = shortener.replicas()
    assert counts["app"] == math.ceil((11_574.07 + 115.74) / 1_000)  # reads + writes at 1,000 /s each
    assert counts["cache"] == 2 and counts["db"] == 21


def test_tradeoffs_have_all_three_parts():
    assert len(shortener.TRADEOFFS) == 3
    for t in shortener.TRADEOFFS.values():
        assert tradeoffs.check_template(t.say()).complete


def test_failure_scenarios_state_the_cache_loss_numbers():
    table = shortener.failure_scenarios().set_index("failure")
    assert "11,574/s" in table.loc["Redis cache lost", "what happens"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: shortener.capacity(0), "length"),
        (lambda: shortener.capacity(7, "base99"), "alphabet"),
        (lambda: shortener.capacity(2.5), "length"),
        (lambda: shortener.encode(-1), "number"),
        (lambda: shortener.decode("abc!"), "code"),
        (lambda: shortener.collision_probability(-5, 7), "n_links"),
        (lambda: shortener.min_length(1e6, max_probability=0), "max_probability"),
        (lambda: shortener.simulate_ids("uuid"), "strategy"),
        (lambda: shortener.simulate_ids("hash", 0), "n_links"),
        (lambda: shortener.simulate_ids("ranges", block_size=0), "block_size"),
        (lambda: shortener.redirect_clicks("303"), "status"),
        (lambda: shortener.redirect_clicks("301", clicks_per_visitor=0.5), "clicks_per_visitor"),
        (lambda: shortener.redirect_clicks("301", cache_days=-1), "cache_days"),
        (lambda: shortener.cache_hit_ratio(1.5), "cache_share"),
        (lambda: shortener.hot_link_cache(0.2, skew=-1), "skew"),
        (lambda: shortener.storage_plan(hit_ratio=2), "hit_ratio"),
        (lambda: shortener.shard_read_loads("round_robin"), "placement"),
        (lambda: shortener.shard_read_loads("hash", 0), "n_shards"),
        (lambda: shortener.ShortenerScenario(links_per_month=0), "links_per_month"),
        (lambda: shortener.ShortenerScenario(peak_factor=0.5), "peak_factor"),
        (lambda: shortener.format_probability(1.5), "p"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_wrong_types_are_refused():
    with pytest.raises(TypeError, match="number"):
        shortener.encode(1.5)
    with pytest.raises(TypeError, match="scenario"):
        shortener.hot_link_cache(0.2, 1.0, scenario="big")
