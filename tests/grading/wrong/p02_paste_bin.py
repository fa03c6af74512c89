"""Plausible mistakes in p02_paste_bin, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # The excluded features counted as requirements, and durability taken for a feature.
    "answer-requirements": (
        "def classify():\n"
        "    return {'create': 'functional', 'read': 'functional', 'expiry': 'functional',\n"
        "            'latency': 'non-functional', 'durability': 'functional', 'never_stale': 'non-functional',\n"
        "            'live_edit': 'functional', 'stats': 'functional'}\n"
    ),
    # The average hour where the busiest one is asked for.
    "answer-read-qps": "def peak_read_qps(pastes_per_day, reads_per_paste, peak_factor):\n"
    "    return pastes_per_day * reads_per_paste / 86_400\n",
    # Replicas forgotten.
    "answer-content-storage": "def content_storage(pastes_per_day, mean_bytes, years, replicas):\n"
    "    return pastes_per_day * mean_bytes * 365 * years\n",
    # Each paste counted once, not once per read.
    "answer-egress": "def egress(pastes_per_day, reads_per_paste, mean_bytes):\n"
    "    return pastes_per_day * mean_bytes / 86_400\n",
    # A singular collection and a verb in the path.
    "answer-api": (
        "def api():\n"
        "    return ['POST /api/v1/createPaste {content} -> {paste_id}',\n"
        "            'GET /api/v1/paste/{paste_id} -> {content}',\n"
        "            'DELETE /api/v1/paste/{paste_id} -> {status}']\n"
    ),
    # One metadata database, one scheduler: single points of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {'author': 'client', 'reader': 'client', 'cdn': ('cdn', 2), 'lb': ('load_balancer', 2),\n"
        "         'app': ('app_server', 3), 'meta': ('database', 1), 'blobs': ('object_storage', 3),\n"
        "         'scheduler': ('scheduler', 1), 'sweeper': ('worker', 2)},\n"
        "        [('reader', 'cdn'), ('cdn', 'lb'), ('author', 'lb'), ('lb', 'app'), ('app', 'meta'),\n"
        "         ('app', 'blobs'), ('scheduler', 'sweeper'), ('sweeper', 'meta'), ('sweeper', 'blobs')],\n"
        "        name='SnipDrop', budget_s=READ_BUDGET_S)\n"
    ),
    # Answers the author before anything is stored.
    "answer-write-path": "def write_path():\n    return ['author', 'lb', 'app']\n",
    # The read check alone: pastes nobody opens again stay in storage for ever.
    "answer-expiry": "def expiry_policy(max_expired_hours):\n    return ('lazy', 6)\n",
    # The lesson's 10 MB limit copied: one abuser can store 864 GB a day.
    "answer-size-limit": "def size_limit(median_bytes, sigma, max_refused_share, max_abuse_bytes_per_day):\n"
    "    return 10e6\n",
    # A primary failure treated as a cache problem, and the viral paste as a capacity problem.
    "answer-failures": (
        "def mitigations():\n"
        "    return {'db_primary_down': 'serve it from the CDN edge', 'viral_paste': 'size the origin for every read',\n"
        "            'cdn_outage': 'promote a replica', 'sweeper_crashed': 'let the next sweep catch up',\n"
        "            'blob_write_timeout': 'retry with the same content key'}\n"
    ),
    # Keyed and indexed by author, but the sweep for expired pastes reads the whole table.
    "answer-schema": (
        "def schema():\n"
        "    return '''CREATE TABLE pastes (paste_id TEXT PRIMARY KEY, author_id INTEGER, content_key TEXT,\n"
        "        created_at TEXT, expires_at TEXT);\n"
        "    CREATE INDEX idx_pastes_author_created ON pastes (author_id, created_at);'''\n"
    ),
}
