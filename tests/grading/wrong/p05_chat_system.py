"""Plausible mistakes in p05_chat_system, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Ordering taken for a feature and end-to-end encryption kept in scope.
    "answer-requirements": (
        "def classify():\n"
        "    return {'send': 'functional', 'history': 'functional', 'presence': 'functional',\n"
        "            'latency': 'non-functional', 'durable': 'non-functional', 'order': 'functional',\n"
        "            'video': 'out of scope', 'e2e': 'non-functional'}\n"
    ),
    # The quick-math day where the exact one is asked for.
    "answer-message-qps": "def peak_message_qps(dau, messages_per_user, peak_factor):\n"
    "    return dau * messages_per_user / 100_000 * peak_factor\n",
    # Replicas forgotten.
    "answer-message-storage": "def message_storage(dau, messages_per_user, message_bytes, years, replicas):\n"
    "    return dau * messages_per_user * message_bytes * 365 * years\n",
    # No headroom: servers run 100% full.
    "answer-servers": "def connection_servers(dau, online_fraction, per_server, max_utilisation):\n"
    "    return math.ceil(dau * online_fraction / per_server)\n",
    # Polling instead of a live channel, and a verb in the path.
    "answer-api": (
        "def api():\n"
        "    return ['POST /api/v1/channels {name} -> {channel_id}',\n"
        "            'POST /api/v1/sendMessage {channel_id, content} -> {message_id}',\n"
        "            'GET /api/v1/channels/{channel_id}/messages?cursor=&limit=50 -> {messages, next_cursor}']\n"
    ),
    # One message database: a single point of failure for seven years of history.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {'sender': 'client', 'recipient': 'client', 'lb': ('load_balancer', 2), 'ws': ('websocket_server', 140),\n"
        "         'presence': ('cache', 3), 'queue': ('message_queue', 3), 'consumer': ('worker', 6),\n"
        "         'db': ('database', 1), 'pubsub': ('pubsub', 2)},\n"
        "        [('sender', 'lb'), ('lb', 'ws'), ('ws', 'presence'), ('ws', 'queue'), ('queue', 'consumer'),\n"
        "         ('consumer', 'db'), ('consumer', 'presence'), ('consumer', 'pubsub'), ('pubsub', 'ws'), ('ws', 'recipient')],\n"
        "        name='Teamline', budget_s=DELIVERY_BUDGET_S)\n"
    ),
    # Acknowledged by the server that only holds the message in memory.
    "answer-send-path": "def send_path():\n    return ['sender', 'lb', 'ws', 'presence', 'ws']\n",
    # Sharded by sender: opening a channel asks every shard.
    "answer-shard-key": "def shard_key():\n    return 'user_id'\n",
    # Push first, store later: a crash loses what was in flight.
    "answer-delivery": "def delivery_order():\n    return 'push_first'\n",
    # A heartbeat every 5 s: about a million presence writes a second.
    "answer-heartbeat": "def heartbeat_interval(online_users, max_writes_per_s, max_staleness_s):\n    return 5\n",
    # The offline recipient and the crashed server swapped.
    "answer-failures": (
        "def mitigations():\n"
        "    return {'ws_crash': 'send a push notification', 'recipient_offline': 'reconnect with jitter and replay from the last id',\n"
        "            'db_primary_down': 'promote a replica', 'duplicate_send': 'deduplicate by client message id'}\n"
    ),
}
