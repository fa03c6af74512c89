"""Plausible mistakes in ps03_architecture_deep_dive, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # A first whiteboard draft: one database and one cache, so either machine failing stops Huddle.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {\n"
        '            "member": "client", "lb": ("load_balancer", 2), "ws": ("websocket_server", 40),\n'
        '            "log": ("message_queue", 3), "writer": ("worker", 4), "notifier": ("worker", 2),\n'
        '            "db": ("database", 1), "cache": ("cache", 1), "pubsub": ("pubsub", 2),\n'
        '            "push": "push_service",\n'
        "        },\n"
        "        [\n"
        '            ("member", "lb"), ("lb", "ws"), ("ws", "cache"), ("ws", "log"), ("log", "writer"),\n'
        '            ("writer", "db"), ("writer", "cache"), ("writer", "pubsub"), ("pubsub", "ws"),\n'
        '            ("ws", "member"), ("log", "notifier"), ("notifier", "cache"), ("notifier", "push"),\n'
        "        ],\n"
        '        name="huddle",\n'
        "    )\n"
    ),
    # The WebSocket server says "sent" as soon as the frame arrives, before anything durable has it.
    "answer-send-path": 'def send_path():\n    return ["member", "lb", "ws"]\n',
    # Sharding by the sender: a group's page is spread over every shard.
    "answer-shard-key": 'def shard_key(query):\n    return "user_id"\n',
    # The bookkeeping of each cached message is forgotten.
    "answer-cache-bytes": (
        "def cache_bytes(active_chats, messages_per_chat, message_bytes, overhead_bytes):\n"
        "    return active_chats * messages_per_chat * message_bytes\n"
    ),
    # Nodes filled to the brim: the headroom is forgotten.
    "answer-cache-nodes": (
        "def cache_nodes(total_bytes, node_bytes, max_fill):\n"
        "    return math.ceil(total_bytes / node_bytes)\n"
    ),
    # Compares with the raw memory of the nodes, ignoring the fill limit.
    "answer-cache-fits": (
        "def cache_fits(total_bytes, node_bytes, max_fill, nodes_available):\n"
        '    return "fits" if total_bytes <= nodes_available * node_bytes else "does not fit"\n'
    ),
    # Push first for speed, and plain exponential backoff: messages in flight are lost and every
    # client retries in the same instant.
    "answer-recovery": (
        'def recovery_policy():\n    return {"order": "push-then-persist", "backoff": "exponential"}\n'
    ),
}
