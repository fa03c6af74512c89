"""Plausible mistakes in p14_task_scheduler, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Priority read as a quality, and workflow graphs kept in scope.
    "answer-requirements": (
        "def classify():\n"
        "    return {'register': 'functional', 'cancel': 'functional', 'history': 'functional',\n"
        "        'priority': 'non-functional', 'on_time': 'non-functional', 'no_loss': 'non-functional',\n"
        "        'scale': 'non-functional', 'dag': 'functional'}\n"
    ),
    # The average hour, not the busiest one.
    "answer-peak-rate": (
        "def peak_dispatch_rate(tasks_per_day, peak_factor):\n    return tasks_per_day / 86_400\n"
    ),
    # One task per slot per second: the duration forgotten, and no headroom.
    "answer-workers": (
        "def workers(tasks_per_s, mean_duration_s, slots_per_worker, max_utilisation):\n"
        "    return math.ceil(tasks_per_s / slots_per_worker)\n"
    ),
    # Replicas forgotten.
    "answer-history-bytes": (
        "def history_bytes(tasks_per_day, bytes_per_run, days, replicas):\n"
        "    return tasks_per_day * bytes_per_run * days\n"
    ),
    # Verbs in the paths and a singular collection.
    "answer-api": (
        "def api():\n"
        "    return ['POST /api/v1/createJob {schedule, payload} -> {job_id}',\n"
        "        'GET /api/v1/job/{job_id} -> {status}',\n"
        "        'POST /api/v1/cancelJob {job_id}']\n"
    ),
    # One scheduler node: a single point of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    a = components.Architecture('tempo', budget_s=SUBMIT_BUDGET_S)\n"
        "    a.add_component('team', 'client')\n"
        "    a.add_component('gateway', 'api_gateway', replicas=2)\n"
        "    a.add_component('api', 'app_server', replicas=4)\n"
        "    a.add_component('db', 'database', replicas=3)\n"
        "    a.add_component('scheduler', 'scheduler')\n"
        "    a.add_component('queue', 'message_queue', replicas=6)\n"
        "    a.add_component('workers', 'worker', replicas=8_800)\n"
        "    for s, t in [('team', 'gateway'), ('gateway', 'api'), ('api', 'db'), ('scheduler', 'db'),\n"
        "                 ('scheduler', 'queue'), ('queue', 'workers'), ('workers', 'db')]:\n"
        "        a.connect(s, t)\n"
        "    return a\n"
    ),
    # Answers before the job is stored.
    "answer-submit-path": "def submit_path():\n    return ['team', 'gateway', 'api']\n",
    # "Twice the typical task should be plenty": about 8% of tasks outlast it and run twice.
    "answer-lease": "def lease_seconds(median_s, sigma, max_recovery_s):\n    return 2 * median_s\n",
    # Trusts heartbeats and calls deleting first safe.
    "answer-exactly-once": (
        "def verdict(claim):\n"
        "    return {'lease_only': 'fails: a slow task outlives its lease',\n"
        "        'delete_first': 'holds: effectively once',\n"
        "        'heartbeat': 'holds: effectively once',\n"
        "        'dedup_key': 'holds: effectively once',\n"
        "        'fencing': 'holds: effectively once'}[claim]\n"
    ),
    # Backoff and lease expiry swapped.
    "answer-failures": (
        "def mitigations():\n"
        "    return {'worker_crash': 'exponential backoff', 'scheduler_down': 'standby takes over',\n"
        "        'hot_shard': 'hash shard key and jitter', 'poison_task': 'dead-letter after n attempts',\n"
        "        'batch_flood': 'separate priority queues', 'dependency_down': 'lease expiry and retry'}\n"
    ),
}
