"""Plausible mistakes in p08_web_crawler, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Politeness taken for a feature, and ranking kept in scope.
    "answer-requirements": (
        'LABELS = ("functional", "non-functional", "out of scope")\n\n\n'
        "def classify():\n"
        '    return {"fetch": "functional", "store": "functional", "recrawl": "functional",\n'
        '            "robots": "functional", "polite": "functional", "scale": "non-functional",\n'
        '            "robust": "non-functional", "rank": "functional"}\n'
    ),
    # Divided by the seconds of one day, not of a month.
    "answer-fetch-rate": "def fetch_rate(pages_per_month):\n    return pages_per_month / 86_400\n",
    # One month of pages, however long they are kept.
    "answer-content-storage": "def content_storage(pages_per_month, page_bytes, months):\n    return pages_per_month * page_bytes\n",
    # Bits where bytes are asked for.
    "answer-seen-set": "def seen_set_bytes(urls, bytes_per_url):\n    return urls * bytes_per_url * 8\n",
    # A singular collection and a verb in the path.
    "answer-api": (
        "def api():\n"
        '    return ["POST /api/v1/seed {urls} -> {seed_id}",\n'
        '            "GET /api/v1/getPages -> {pages}",\n'
        '            "PUT /api/v1/hosts/{host} {delay_s}"]\n'
    ),
    # A single frontier broker and a single database: single points of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    return components.Architecture.from_spec(\n"
        '        {"operator": "client", "lb": ("load_balancer", 2), "api": ("app_server", 2), "seen": ("cache", 2),\n'
        '         "frontier": ("message_queue", 1), "fetchers": ("worker", 50), "dns": ("dns", 2),\n'
        '         "pages": ("object_storage", 3), "db": ("database", 1)},\n'
        '        [("operator", "lb"), ("lb", "api"), ("api", "seen"), ("api", "frontier"), ("frontier", "fetchers"),\n'
        '         ("fetchers", "dns"), ("fetchers", "pages"), ("fetchers", "db"), ("fetchers", "seen")])\n'
    ),
    # The reply leaves before the URLs reach the durable frontier.
    "answer-seed-path": 'def seed_path():\n    return ["operator", "lb", "api", "seen", "api", "lb", "operator"]\n',
    # A byte per URL and three hashes: far above a 1% false-positive rate.
    "answer-bloom": 'def bloom_filter(n, fp_rate):\n    return {"bits": n * 8, "hashes": 3}\n',
    # Discovery order with enough fetchers: fast, but several fetchers hit one host at once.
    "answer-frontier": (
        "def frontier_setup(target_pages_per_s, delay_s, fetch_s):\n"
        '    return {"frontier": "fifo", "hosts": math.ceil(target_pages_per_s * delay_s),\n'
        '            "fetchers": math.ceil(target_pages_per_s * fetch_s)}\n'
    ),
    # Backing off a spider trap and capping a slow host.
    "answer-failures": (
        "RECOVERIES = (\n"
        '    "cap the depth and the pages per host",\n'
        '    "requeue URLs that were taken but never acknowledged",\n'
        '    "time out and back off that host",\n'
        '    "normalise URLs and skip content hashes already seen",\n'
        '    "cache DNS answers per host",\n'
        ")\n\n\n"
        "def recoveries():\n"
        '    return {"trap": "time out and back off that host",\n'
        '            "crash": "requeue URLs that were taken but never acknowledged",\n'
        '            "slow_host": "cap the depth and the pages per host",\n'
        '            "mirrors": "normalise URLs and skip content hashes already seen",\n'
        '            "dns": "cache DNS answers per host"}\n'
    ),
}
