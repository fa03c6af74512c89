"""Web crawler: seen-set memory, Bloom filter sizing and measured false positives, politeness, the frontier.

Expected numbers are the arithmetic written next to them: the Bloom formulas
p = (1 - e^(-kn/m))^k, m = n ln(1/p) / (ln 2)^2, k = (m/n) ln 2; one host giving 1 / delay pages
a second; one fetcher giving 1 / fetch_s.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import crawler


@pytest.mark.parametrize(
    ("urls", "per_url", "expected"),
    [
        (10e9, 100, 1e12),  # ten billion 100-byte URLs: a terabyte
        (10e9, 8, 8e10),  # 64-bit fingerprints instead: 80 GB
        (0, 100, 0.0),
    ],
)
def test_seen_set_bytes(urls, per_url, expected):
    assert crawler.seen_set_bytes(urls, per_url) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("p", "bits_per_url"),
    [
        (0.01, 9.585),  # ln(100) / ln(2)^2 = 4.60517 / 0.480453
        (0.001, 14.378),  # ln(1000) / ln(2)^2 = 6.90776 / 0.480453
        (0.05, 6.235),  # ln(20) / ln(2)^2 = 2.99573 / 0.480453
    ],
)
def test_bloom_bits_per_url(p, bits_per_url):
    assert crawler.bloom_bits(1e9, p) / 1e9 == pytest.approx(bits_per_url, rel=1e-3)


@pytest.mark.parametrize(
    ("n", "m", "k", "expected"),
    [
        (1, 1e9, 1, 1e-9),  # one bit set out of a billion: 1 - e^(-1e-9) ~ 1e-9
        (1e6, 9.585e6, 7, 0.01004),  # (1 - e^(-7 / 9.585))^7 = 0.51823^7
        (1e6, 1e6, 1, 0.63212),  # 1 - e^(-1)
    ],
)
def test_bloom_fp_rate(n, m, k, expected):
    assert crawler.bloom_fp_rate(n, m, k) == pytest.approx(expected, rel=2e-3)


def test_optimal_hashes_and_the_target_rate():
    m = crawler.bloom_bits(1e9, 0.01)
    k = crawler.bloom_hashes(1e9, m)
    assert k == 7  # 9.585 * ln 2 = 6.64
    assert crawler.bloom_fp_rate(1e9, m, k) == pytest.approx(0.01, rel=0.01)
    # Any other k does worse.
    assert all(crawler.bloom_fp_rate(1e9, m, j) > crawler.bloom_fp_rate(1e9, m, k) for j in (3, 5, 6, 8, 10))


@settings(max_examples=40, deadline=None)
@given(n=st.floats(1e3, 1e12), p=st.floats(1e-6, 0.3))
def test_sized_filter_meets_its_target_within_rounding(n, p):
    m = math.ceil(crawler.bloom_bits(n, p))
    k = crawler.bloom_hashes(n, m)
    assert crawler.bloom_fp_rate(n, m, k) <= p * 1.1  # rounding k to a whole number costs a little


@pytest.mark.parametrize(
    ("n", "m", "k"), [(100_000, 958_506, 7), (50_000, 250_000, 3), (200_000, 1_000_000, 1)]
)
def test_simulated_false_positives_match_the_formula(n, m, k):
    measured = crawler.bloom_simulation(n, m, k, probes=200_000, seed=3)
    expected = crawler.bloom_fp_rate(n, m, k)
    assert measured == pytest.approx(expected, rel=0.1, abs=0.001)


def test_bloom_filter_never_forgets_and_rarely_lies():
    bloom = crawler.BloomFilter(m_bits=9_600, k=7)
    seen = [f"https://example.com/page/{i}" for i in range(1_000)]
    for url in seen:
        bloom.add(url)
    assert all(url in bloom for url in seen)
    fresh = sum(f"https://example.org/other/{i}" in bloom for i in range(5_000))
    assert fresh / 5_000 < 0.03  # expected about 1%
    assert bloom.fp_rate == pytest.approx(crawler.bloom_fp_rate(1_000, 9_600, 7))


@pytest.mark.parametrize(
    ("target", "delay", "fetch", "hosts", "fetchers"),
    [
        (400, 1, 0.5, 400, 200),  # 400 x 1 s, 400 x 0.5 s
        (1_000, 2, 0.2, 2_000, 200),
        (50, 10, 1.5, 500, 75),
        (386, 1, 0.5, 386, 193),
    ],
)
def test_hosts_and_fetchers_needed(target, delay, fetch, hosts, fetchers):
    assert crawler.hosts_needed(target, delay) == hosts
    assert crawler.fetchers_needed(target, fetch) == fetchers
    run = crawler.crawl(hosts, fetchers, delay, fetch, "per_host", duration_s=20, seed=1)
    assert run.pages_per_s >= target * 0.99
    assert run.violations == 0 and run.min_gap_s >= delay * (1 - 1e-9)


def test_rate_is_the_smaller_of_the_two_limits():
    # 100 hosts at one page every 2 s give 50 pages/s; 100 fetchers at 0.5 s could give 200.
    assert crawler.crawl(100, 100, 2, 0.5, duration_s=20).pages_per_s == pytest.approx(50, rel=0.03)
    # 1,000 hosts could give 1,000/s; 10 fetchers at 0.1 s give only 100.
    assert crawler.crawl(1_000, 10, 1, 0.1, duration_s=20).pages_per_s == pytest.approx(100, rel=0.03)


def test_fifo_frontier_hits_hosts_too_often():
    run = crawler.crawl(400, 200, 1, 0.5, "fifo", duration_s=10, seed=2)
    assert run.violations > 0 and run.min_gap_s < 1


def test_min_crawl_time():
    assert crawler.min_crawl_time(1, 1) == 0  # the first request goes at once
    assert crawler.min_crawl_time(10_000, 1) == 9_999
    assert crawler.min_crawl_time(100, 0.5) == pytest.approx(49.5)


def test_simulations_are_seeded():
    # Their speed (about 60 ms) is measured by benchmarks/bench_budgets.py.
    a = crawler.crawl(400, 200, 1, 0.5, duration_s=10, seed=4)
    assert a == crawler.crawl(400, 200, 1, 0.5, duration_s=10, seed=4)
    assert crawler.bloom_simulation(10_000, 95_851, 7, seed=4) == crawler.bloom_simulation(
        10_000, 95_851, 7, seed=4
    )


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: crawler.bloom_fp_rate(10, 0, 3), "m_bits"),
        (lambda: crawler.bloom_fp_rate(10, 100, 2.5), "k"),
        (lambda: crawler.bloom_bits(10, 0), "fp_rate"),
        (lambda: crawler.bloom_bits(10, 1), "fp_rate"),
        (lambda: crawler.bloom_simulation(10, 10**9, 3), "m_bits"),
        (lambda: crawler.hosts_needed(0, 1), "target_pages_per_s"),
        (lambda: crawler.crawl(10, 10, 1, 0.5, "lifo"), "frontier"),
        (lambda: crawler.crawl(0, 10, 1, 0.5), "hosts"),
        (lambda: crawler.crawl(10**6, 10**6, 0.001, 0.001, duration_s=100), "duration_s"),
        (lambda: crawler.BloomFilter(100, 3).add(42), "url"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
