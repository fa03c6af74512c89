"""Case study: a rate limiter (lesson ``13_rate_limiter``): the answer a client gets, the key, the design.

The algorithms themselves, their memory per key and the race between gateways are simulations
(:mod:`sysdesign.sim.ratelimit`); this module holds the lesson's design decisions:

* :func:`rejection`: the HTTP 429 answer of a token-bucket limiter, with ``Retry-After`` and the
  ``X-RateLimit-*`` headers;
* :func:`key_choice`: what limiting per IP address or per user gives an honest user and an abuser;
* :func:`limiter_architecture` with the paths of an allowed and a rejected request;
* :func:`tradeoffs`: the lesson's three decisions.

Rates are requests per second, times seconds.
"""

from __future__ import annotations

import math

from . import _check
from ._lazy import pd
from .components import Architecture
from .tradeoffs import Tradeoff


def rejection(rate: float, capacity: int, tokens: float, now_s: int = 1_700_000_000) -> dict[str, object]:
    """The HTTP answer a token-bucket limiter sends when a request finds ``tokens`` < 1 left.

    ``Retry-After`` is the whole seconds until one token is back; ``X-RateLimit-Reset`` is the
    Unix time (from ``now_s``) when the bucket is full again.

    >>> r = rejection(rate=2, capacity=10, tokens=0.2)
    >>> r["status"], r["headers"]["Retry-After"], r["headers"]["X-RateLimit-Remaining"]
    (429, '1', '0')
    """
    rate = _check.number("rate", rate, low=0, low_open=True)
    capacity = int(_check.number("capacity", capacity, low=1))
    tokens = _check.number("tokens", tokens, low=0, high=capacity)
    now_s = int(_check.number("now_s", now_s, low=0))
    retry = max(0.0, (1 - tokens) / rate)
    full = (capacity - tokens) / rate
    return {
        "status": 429,
        "headers": {
            "X-RateLimit-Limit": str(capacity),
            "X-RateLimit-Remaining": str(int(tokens)),
            "X-RateLimit-Reset": str(now_s + math.ceil(full)),
            "Retry-After": str(math.ceil(retry)),
        },
        "body": {"error": "rate_limited", "message": f"Too many requests; retry in {math.ceil(retry)} s"},
    }


def key_choice(limit: int, users_behind_one_ip: int, ips_of_one_abuser: int) -> pd.DataFrame:
    """What each key gives an honest user behind a shared address and an abuser with many addresses.

    Per IP: the honest users share one budget (``limit / users``) and the abuser gets ``limit`` per
    address. Per user: each honest user gets ``limit``, and the abuser one ``limit`` per account.

    >>> key_choice(100, 50, 20)["abuser gets"].tolist()
    [2000, 100]
    """
    limit = int(_check.number("limit", limit, low=1))
    users = int(_check.number("users_behind_one_ip", users_behind_one_ip, low=1))
    ips = int(_check.number("ips_of_one_abuser", ips_of_one_abuser, low=1))
    return pd.DataFrame(
        [
            {
                "key": "IP address",
                "honest user behind shared IP gets": limit / users,
                "abuser gets": limit * ips,
            },
            {
                "key": "user id (API key)",
                "honest user behind shared IP gets": float(limit),
                "abuser gets": limit,
            },
        ]
    )


def limiter_architecture() -> Architecture:
    """Client -> load balancer -> API gateway that asks a shared Redis counter -> app servers -> database.

    >>> limiter_architecture().single_points_of_failure()
    []
    """
    arch = Architecture("rate limiter")
    arch.add_component("client", "client")
    arch.add_component("lb", "load_balancer", replicas=2)
    arch.add_component("gateway", "api_gateway", replicas=3, label="API gateway + limiter")
    arch.add_component("counters", "cache", replicas=3, label="Redis counters (sharded by key)")
    arch.add_component("app", "app_server", replicas=4)
    arch.add_component("db", "database", replicas=3)
    arch.connect("client", "lb", "HTTPS request")
    arch.connect("lb", "gateway")
    arch.connect("gateway", "counters", "INCR / token script")
    arch.connect("gateway", "app", "allowed requests only")
    arch.connect("app", "db")
    return arch


ALLOWED_PATH = ("client", "lb", "gateway", "counters", "gateway", "app", "db")
"""An allowed request: the gateway checks the counter, then forwards."""
REJECTED_PATH = ("client", "lb", "gateway", "counters")
"""A rejected request stops at the gateway after the counter check (the 429 goes back the same way)."""


def tradeoffs() -> list[Tradeoff]:
    """The lesson's decisions as :class:`sysdesign.tradeoffs.Tradeoff` objects."""
    return [
        Tradeoff(
            "a token bucket",
            "a sliding-window log",
            "it needs two numbers per key and still allows short bursts that real clients make",
            "a client may briefly exceed the average rate by the bucket size",
            "size the bucket to the burst the back end can absorb",
            topic="algorithm",
        ),
        Tradeoff(
            "one shared Redis counter per key",
            "a local counter in each gateway",
            "the limit holds across all gateways",
            "a network round trip on every request and a dependency that can fail",
            "atomic scripts, replicas, and failing open when Redis is unreachable",
            topic="distributed counting",
        ),
        Tradeoff(
            "keys per user (API key)",
            "keys per IP address",
            "people behind one office or mobile NAT do not share a budget",
            "anonymous endpoints still need an IP key",
            "use the IP key only before login, with a looser limit",
            topic="key",
        ),
    ]
