"""Plausible mistakes in p06_notification_system, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # A latency target and a durability promise taken for features.
    "answer-requirements": (
        'LABELS = ("functional", "non-functional", "out of scope")\n\n\n'
        "def classify():\n"
        '    return {"send": "functional", "template": "functional", "optout": "functional",\n'
        '            "inbox": "functional", "otp": "functional", "durable": "functional",\n'
        '            "peak": "non-functional", "segment": "out of scope"}\n'
    ),
    # The average rate: the peak factor is forgotten.
    "answer-peak-rate": "def peak_send_rate(dau, per_user_per_day, peak_factor):\n    return dau * per_user_per_day / 86_400\n",
    # One day of rows instead of the whole retention period.
    "answer-log-storage": "def log_storage(per_day, record_bytes, retention_days):\n    return per_day * record_bytes\n",
    # Every id of a whole day kept, whatever the window.
    "answer-dedup-memory": "def dedup_memory(per_day, window_s, key_bytes):\n    return per_day * key_bytes\n",
    # A singular collection and a verb in the path.
    "answer-api": (
        "def api():\n"
        '    return ["POST /api/v1/notification/send {user_id, template_id, values} -> {notification_id}",\n'
        '            "POST /api/v1/templates {name, body} -> {template_id}",\n'
        '            "PUT /api/v1/users/{user_id}/preferences/{channel} {enabled}"]\n'
    ),
    # One database and one queue broker: single points of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    return components.Architecture.from_spec(\n"
        '        {"caller": "client", "lb": ("load_balancer", 2), "api": ("app_server", 3), "dedup": ("cache", 2),\n'
        '         "db": ("database", 1), "queue": ("message_queue", 1), "workers": ("worker", 4),\n'
        '         "providers": "push_service"},\n'
        '        [("caller", "lb"), ("lb", "api"), ("api", "dedup"), ("api", "db"), ("api", "queue"),\n'
        '         ("queue", "workers"), ("workers", "providers")])\n'
    ),
    # The reply leaves before the notification is stored in the queue.
    "answer-send-path": 'def send_path():\n    return ["caller", "lb", "api", "lb", "caller"]\n',
    # The schedule as if a timed-out call took no time, and no redelivery after a crash: 62 s for
    # Beacon, though retries can arrive for 712 s (issue 16).
    "answer-dedup": (
        "def dedup_window_s(first_delay_s, max_retries, timeout_s, visibility_s, max_receives):\n"
        "    return first_delay_s * (2**max_retries - 1)\n"
    ),
    # One shared queue: the campaign sits in front of every sign-in code.
    "answer-queues": (
        "def queue_setup(burst, urgent_rate, per_worker, deadline_s):\n"
        '    return {"layout": "shared", "workers": math.ceil(burst / (per_worker * deadline_s))}\n'
    ),
    # Retrying a three-hour outage and failing over on a 20-second blip.
    "answer-failures": (
        "RECOVERIES = (\n"
        '    "fail over to a second vendor",\n'
        '    "acknowledge only after sending, so the queue redelivers",\n'
        '    "retry with exponential backoff and jitter",\n'
        '    "give urgent messages their own queue",\n'
        '    "roll back to the previous template version",\n'
        ")\n\n\n"
        "def recoveries():\n"
        '    return {"vendor_down": "retry with exponential backoff and jitter",\n'
        '            "worker_crash": "acknowledge only after sending, so the queue redelivers",\n'
        '            "blip": "fail over to a second vendor",\n'
        '            "flood": "give urgent messages their own queue",\n'
        '            "bad_template": "roll back to the previous template version"}\n'
    ),
}
