"""Plausible mistakes in p10_key_value_store, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Growing without downtime taken for a feature; transactions assumed in scope.
    "answer-classify": (
        "def classify():\n"
        "    return {'put': 'functional', 'get': 'functional', 'delete': 'functional',\n"
        "            'latency': 'non-functional', 'one_down': 'non-functional', 'grow': 'functional',\n"
        "            'range': 'out of scope', 'transactions': 'functional'}\n"
    ),
    # Only one copy counted.
    "answer-storage": (
        "def total_storage(n_keys, key_bytes, value_bytes, replicas):\n"
        "    return n_keys * (key_bytes + value_bytes)\n"
    ),
    # Disks filled to 100% and no rounding up.
    "answer-nodes": (
        "def nodes_needed(total_bytes, disk_bytes_per_node, max_fill):\n"
        "    return total_bytes / disk_bytes_per_node\n"
    ),
    # Singular collection, a verb in the path and a DELETE with a body.
    "answer-api": (
        "def endpoints():\n"
        "    return ['GET /api/v1/key/{key} -> {value}',\n"
        "            'POST /api/v1/putKey {key, value} -> {ok}',\n"
        "            'DELETE /api/v1/key/{key} {context}']\n"
    ),
    # A single storage node: every key is lost when it fails.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {'client': 'client', 'lb': ('load_balancer', 2), 'coordinator': ('app_server', 6),\n"
        "         'storage': ('database', 1), 'repair': ('worker', 2)},\n"
        "        [('client', 'lb'), ('lb', 'coordinator'), ('coordinator', 'storage'),\n"
        "         ('coordinator', 'repair'), ('repair', 'storage')], name='vaultkv')\n"
    ),
    # Acknowledged from memory before any replica stored the value.
    "answer-write-path": ("def write_path():\n    return ['client', 'lb', 'coordinator', 'lb', 'client']\n"),
    # Write to all, read from one: fresh reads, but every put fails with a replica down.
    "answer-quorum": ("def choose_quorum(failures):\n    n = 2 * failures + 1\n    return (n, 1, n)\n"),
    # Modulo and consistent swapped.
    "answer-moved": (
        "def moved_fraction(n_nodes, scheme):\n"
        "    if scheme == 'consistent':\n"
        "        return n_nodes / (n_nodes + 1)\n"
        "    return 1 / (n_nodes + 1)\n"
    ),
    # Comparing the sums of the counters: never finds a conflict.
    "answer-vclock": (
        "def compare(a, b):\n"
        "    sa, sb = sum(a.values()), sum(b.values())\n"
        "    if sa < sb:\n"
        "        return 'before'\n"
        "    if sa > sb:\n"
        "        return 'after'\n"
        "    return 'equal'\n"
    ),
}
