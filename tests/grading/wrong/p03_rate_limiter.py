"""Plausible mistakes in p03_rate_limiter, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Failing open taken for a feature, and billing kept in scope.
    "answer-requirements": (
        "def classify():\n"
        "    return {'reject': 'functional', 'per_key': 'functional', 'headers': 'functional',\n"
        "            'overhead': 'non-functional', 'accuracy': 'non-functional', 'fail_open': 'functional',\n"
        "            'billing': 'functional', 'flood': 'out of scope'}\n"
    ),
    # The quick-math day and no peak factor.
    "answer-peak-checks": "def peak_checks(active_keys, requests_per_key, peak_factor):\n"
    "    return active_keys * requests_per_key / 100_000\n",
    # Commands per check forgotten and no rounding up.
    "answer-counter-nodes": "def counter_nodes(checks_per_s, ops_per_check, ops_per_node):\n"
    "    return checks_per_s / ops_per_node\n",
    # A verb in the path and a list without pagination.
    "answer-api": (
        "def api():\n"
        "    return ['POST /api/v1/createRule {limit} -> {rule_id}',\n"
        "            'GET /api/v1/rules -> {rules}',\n"
        "            'PUT /api/v1/rules/{rule_id} {limit} -> {rule_id}']\n"
    ),
    # One counter node: the limiter itself becomes the single point of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {'client': 'client', 'lb': ('load_balancer', 2), 'gateway': ('api_gateway', 3),\n"
        "         'counters': ('cache', 1), 'app': ('app_server', 4), 'db': ('database', 3)},\n"
        "        [('client', 'lb'), ('lb', 'gateway'), ('gateway', 'counters'), ('gateway', 'app'), ('app', 'db')],\n"
        "        name='Weatherly', budget_s=REQUEST_BUDGET_S)\n"
    ),
    # The request is forwarded without asking the counter store.
    "answer-allowed-path": "def allowed_path():\n    return ['client', 'lb', 'gateway', 'app', 'db']\n",
    # A token bucket refilling 20% faster than the limit: a flood gets 24 through in one second of
    # limit 20 (issue 16), though the boundary burst and the bursty traffic never show it.
    "answer-algorithm": "def choose_limiter(limit, window_s):\n"
    "    return {'algorithm': 'token bucket', 'rate': 1.2 * limit / window_s, 'capacity': 1}\n",
    # The sliding log counted as one timestamp, whatever the limit.
    "answer-memory": "def memory_bytes(active_keys, algorithm, limit, key_bytes):\n"
    "    return active_keys * (key_bytes + 8)\n",
    # GET then SET across a network round trip: both gateways see room and both admit.
    "answer-race": "def counter_update():\n    return 'read the count, then write count + 1'\n",
    # Failing closed during a counter outage mixed up with the retry storm.
    "answer-failures": (
        "def mitigations():\n"
        "    return {'counters_down': 'send Retry-After with the 429', 'retry_storm': 'fail open with a local limit',\n"
        "            'clock_skew': 'take the time from the counter store', 'gateway_crash': 'drop it from the load balancer pool'}\n"
    ),
}
