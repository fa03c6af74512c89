"""Plausible mistakes in p09_search_autocomplete, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Freshness and graceful degradation taken for features; the excluded items kept in.
    "answer-classify": (
        "def classify():\n"
        "    return {'suggest': 'functional', 'rank': 'functional', 'record': 'functional',\n"
        "            'latency': 'non-functional', 'freshness': 'functional', 'degrade': 'functional',\n"
        "            'personal': 'functional', 'spelling': 'out of scope'}\n"
    ),
    # One request per search, not per keystroke.
    "answer-peak-qps": (
        "def peak_suggest_qps(dau, searches_per_user, keystrokes_per_search, peak_factor):\n"
        "    return dau * searches_per_user / 86_400 * peak_factor\n"
    ),
    # One suggestion per node instead of k.
    "answer-topk-memory": (
        "def topk_memory(n_nodes, k, bytes_per_entry):\n    return n_nodes * bytes_per_entry\n"
    ),
    # Singular collection and a verb in the path.
    "answer-api": (
        "def endpoints():\n"
        "    return ['GET /api/v1/getSuggestions?prefix= -> {queries}',\n"
        "            'POST /api/v1/search {query} -> {search_id}',\n"
        "            'DELETE /api/v1/query/{query_id}']\n"
    ),
    # A single cache node holds every suggestion list.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {'user': 'client', 'lb': ('load_balancer', 2), 'suggest': ('app_server', 4),\n"
        "         'prefix_cache': ('cache', 1), 'search_api': ('app_server', 3),\n"
        "         'search_log': ('message_queue', 3), 'aggregator': ('worker', 3),\n"
        "         'counts_db': ('database', 3), 'snapshots': ('object_storage', 3)},\n"
        "        [('user', 'lb'), ('lb', 'suggest'), ('suggest', 'prefix_cache'), ('lb', 'search_api'),\n"
        "         ('search_api', 'search_log'), ('search_log', 'aggregator'), ('aggregator', 'counts_db'),\n"
        "         ('aggregator', 'snapshots'), ('aggregator', 'prefix_cache')],\n"
        "        name='quickfind', budget_s=0.1)\n"
    ),
    # The keystroke goes down the logging path and never reads the precomputed lists.
    "answer-read-path": (
        "def read_path():\n"
        "    return ['user', 'lb', 'search_api', 'search_log', 'search_api', 'lb', 'user']\n"
    ),
    # Sorting (count, query) in reverse: ties come out reverse-alphabetical.
    "answer-top-k": (
        "def top_k(counts, prefix, k):\n"
        "    matches = [q for q in counts if q.startswith(prefix)]\n"
        "    return sorted(matches, key=lambda q: (counts[q], q), reverse=True)[:k]\n"
    ),
    # Always precompute, even where a scan is cheap.
    "answer-strategy": (
        "def lookup_strategy(subtree_nodes, node_visit_s, budget_s):\n    return 'precompute'\n"
    ),
    # A corrupt snapshot is copied to the replicas too: failing over does not help.
    "answer-failures": (
        "def recovery():\n"
        "    return {'cache_node': 'fail over to a replica', 'job_late': 'serve the previous snapshot',\n"
        "            'bad_snapshot': 'fail over to a replica', 'keystroke_storm': 'debounce on the client',\n"
        "            'offensive': 'filter with a blocklist'}\n"
    ),
}
