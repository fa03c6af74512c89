"""Plausible mistakes in p04_news_feed, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Freshness taken for a feature and ads kept in scope.
    "answer-requirements": (
        "def classify():\n"
        "    return {'post': 'functional', 'follow': 'functional', 'feed': 'functional',\n"
        "            'fast': 'non-functional', 'fresh': 'functional', 'available': 'non-functional',\n"
        "            'ads': 'functional', 'jobs': 'out of scope'}\n"
    ),
    # The average hour where the busiest one is asked for.
    "answer-feed-reads": "def peak_feed_reads(dau, opens_per_user, peak_factor):\n"
    "    return dau * opens_per_user / 86_400\n",
    # Posts counted, not the feed entries they fan out to.
    "answer-fanout-writes": "def fanout_writes(dau, posts_per_user, mean_followers):\n"
    "    return dau * posts_per_user / 86_400\n",
    # No rounding up: part of a node is still a node.
    "answer-cache-nodes": "def feed_cache_nodes(users, feed_entries, entry_bytes, node_bytes):\n"
    "    return users * feed_entries * entry_bytes / node_bytes\n",
    # Verbs in paths and a singular collection.
    "answer-api": (
        "def api():\n"
        "    return ['POST /api/v1/createPost {text} -> {post_id}',\n"
        "            'GET /api/v1/getFeed -> {posts}',\n"
        "            'POST /api/v1/user/{user_id}/follow -> {status}']\n"
    ),
    # One queue and one feed cache: single points of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {'author': 'client', 'reader': 'client', 'lb': ('load_balancer', 2), 'postsvc': ('app_server', 3),\n"
        "         'feedsvc': ('app_server', 4), 'postdb': ('database', 3), 'queue': ('message_queue', 1),\n"
        "         'fanout': ('worker', 4), 'feedcache': ('cache', 1)},\n"
        "        [('author', 'lb'), ('reader', 'lb'), ('lb', 'postsvc'), ('lb', 'feedsvc'), ('postsvc', 'postdb'),\n"
        "         ('postsvc', 'queue'), ('queue', 'fanout'), ('fanout', 'feedcache'), ('feedsvc', 'feedcache'),\n"
        "         ('feedsvc', 'postdb')],\n"
        "        name='Guildly', budget_s=FEED_BUDGET_S)\n"
    ),
    # The author is answered before the post is stored or queued.
    "answer-post-path": "def post_path():\n    return ['author', 'lb', 'postsvc']\n",
    # Pure push: one company's post means hundreds of thousands of writes.
    "answer-threshold": "def celebrity_threshold(max_writes_per_post, max_sources_p99):\n    return math.inf\n",
    # Every feed cached: the hit ratio is met, at several times the memory needed.
    "answer-cache": "def cache_share(target_hit_ratio):\n    return 1.0\n",
    # The celebrity post treated as a database failure.
    "answer-failures": (
        "def mitigations():\n"
        "    return {'cache_node_lost': 'rebuild the feed from timelines on read',\n"
        "            'worker_crash': 'redeliver from the queue with idempotent writes',\n"
        "            'celebrity_post': 'promote a replica', 'db_primary_down': 'pull it at read time'}\n"
    ),
}
