"""Plausible mistakes in p01_url_shortener, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Out-of-scope wishes counted as features, and "unguessable" taken for a feature.
    "answer-requirements": (
        "def classify():\n"
        '    return {"shorten": "functional", "redirect": "functional", "alias": "functional",\n'
        '            "clicks": "functional", "fast": "non-functional", "uptime": "non-functional",\n'
        '            "unguessable": "functional", "preview": "functional", "qr": "functional"}\n'
    ),
    # The average rate: the peak factor is forgotten.
    "answer-peak-redirects": (
        "def peak_redirects(links_per_month, redirects_per_link, peak_factor):\n"
        "    return links_per_month * redirects_per_link / (30 * 86_400)\n"
    ),
    # One year of links instead of every year kept.
    "answer-storage": (
        "def storage_bytes(links_per_month, record_bytes, years):\n"
        "    return links_per_month / 30 * 365 * record_bytes\n"
    ),
    # A singular collection and a verb in the path.
    "answer-api": (
        "def api():\n"
        "    return [\n"
        '        "POST /api/v1/createLink {long_url} -> {code}",\n'
        '        "GET /{code} -> {location}",\n'
        '        "GET /api/v1/link/{code} -> {long_url}",\n'
        '        "DELETE /api/v1/link/{code}",\n'
        "    ]\n"
    ),
    # A single cache node and a single database.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        '        {"reader": "client", "writer": "client", "lb": ("load_balancer", 2),\n'
        '         "app": ("app_server", 14),\n'
        '         "cache": ("cache", 1), "db": ("database", 1), "queue": ("message_queue", 3),\n'
        '         "counter": ("worker", 2), "stats": ("database", 3)},\n'
        '        [("reader", "lb"), ("writer", "lb"), ("lb", "app"), ("app", "cache"), ("app", "db"),\n'
        '         ("app", "queue"), ("queue", "counter"), ("counter", "stats")],\n'
        '        name="snip",\n'
        "    )\n"
    ),
    # Straight to the database: the cache is never asked.
    "answer-redirect-path": 'def redirect_path():\n    return ["reader", "lb", "app", "db"]\n',
    # Enough codes for every link (the capacity): 6 characters, but then one insert in 23 collides.
    "answer-code-length": (
        "def code_length(n_links, alphabet, max_probability):\n"
        "    length = 1\n"
        "    while shortener.capacity(length, alphabet) < n_links:\n"
        "        length += 1\n"
        "    return length\n"
    ),
    # A 301 everywhere: cheaper, but repeat clicks never reach the counters.
    "answer-redirect-status": 'def redirect_status(count_clicks):\n    return "301"\n',
    # Every hot link cached, overhead forgotten.
    "answer-hot-cache": (
        "def hot_cache_bytes(hot_links, cache_share, record_bytes, overhead_bytes):\n"
        "    return hot_links * record_bytes\n"
    ),
    # Failover and the cache swapped.
    "answer-failures": (
        "def mitigations():\n"
        '    return {"cache_restart": "automatic failover", "key_service_down": "local batch of codes",\n'
        '            "primary_down": "replicate the cache", "counters_behind": "queue buffers clicks",\n'
        '            "viral": "cache the hot link"}\n'
    ),
    # The code is the key, but the dashboard has no index: every link is read.
    "answer-schema": (
        "def schema():\n"
        "    return 'CREATE TABLE links (code TEXT PRIMARY KEY, long_url TEXT, writer_id INTEGER, created_at TEXT)'\n"
    ),
}
