"""The rate limiter case study (lesson 13): the 429 answer, the key choice, the design.

Expected values are worked out here from the token bucket's definition (tokens refill at ``rate``
per second up to ``capacity``; a request needs one whole token) and from the lesson's scenario.
"""

from __future__ import annotations

import pytest
from sysdesign import ratelimiter


@pytest.mark.parametrize(
    ("rate", "capacity", "tokens", "retry", "full"),
    [
        (2, 10, 0.2, 1, 5),  # one token back after 0.8 / 2 = 0.4 s; full after 9.8 / 2 = 4.9 s
        (0.5, 3, 0.0, 2, 6),  # 1 / 0.5 = 2 s; 3 / 0.5 = 6 s
        (4, 8, 0.99, 1, 2),  # 0.01 / 4 = 2.5 ms rounds up to 1 s; 7.01 / 4 = 1.75 s
    ],
)
def test_rejection_says_when_to_retry_and_when_the_bucket_is_full(rate, capacity, tokens, retry, full):
    answer = ratelimiter.rejection(rate=rate, capacity=capacity, tokens=tokens, now_s=1_000)
    assert answer["status"] == 429
    assert answer["headers"] == {
        "X-RateLimit-Limit": str(capacity),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(1_000 + full),
        "Retry-After": str(retry),
    }
    assert f"retry in {retry} s" in answer["body"]["message"]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"rate": 0}, "rate"),
        ({"capacity": 0}, "capacity"),
        ({"tokens": 11}, "tokens"),
        ({"now_s": -1}, "now_s"),
    ],
)
def test_rejection_names_the_bad_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ratelimiter.rejection(**{"rate": 2, "capacity": 10, "tokens": 0.2, **kwargs})


def test_key_choice_per_ip_starves_shared_addresses_and_rewards_many_addresses():
    table = ratelimiter.key_choice(limit=100, users_behind_one_ip=50, ips_of_one_abuser=20).set_index("key")
    assert table.loc["IP address", "honest user behind shared IP gets"] == 2.0  # 100 shared by 50
    assert table.loc["IP address", "abuser gets"] == 2_000  # 100 on each of 20 addresses
    assert table.loc["user id (API key)", "honest user behind shared IP gets"] == 100.0
    assert table.loc["user id (API key)", "abuser gets"] == 100


def test_the_design_has_no_single_point_of_failure_and_a_rejected_request_never_reaches_the_app():
    arch = ratelimiter.limiter_architecture()
    assert arch.single_points_of_failure() == []
    allowed = arch.trace(list(ratelimiter.ALLOWED_PATH)).hops
    rejected = arch.trace(list(ratelimiter.REJECTED_PATH)).hops
    assert list(allowed["target"])[-1] == "db"
    assert {"app", "db"}.isdisjoint(set(rejected["source"]) | set(rejected["target"]))


def test_the_tradeoffs_cover_the_algorithm_the_counting_and_the_key():
    assert [t.topic for t in ratelimiter.tradeoffs()] == ["algorithm", "distributed counting", "key"]
