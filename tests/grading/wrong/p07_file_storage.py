"""Plausible mistakes in p07_file_storage, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Durability and sync speed taken for features, and co-editing kept in scope.
    "answer-requirements": (
        'LABELS = ("functional", "non-functional", "out of scope")\n\n\n'
        "def classify():\n"
        '    return {"upload": "functional", "sync": "functional", "share": "functional",\n'
        '            "history": "functional", "durable": "functional", "fresh": "functional",\n'
        '            "small_edit": "non-functional", "coedit": "functional"}\n'
    ),
    # Replicas forgotten.
    "answer-storage": (
        "def stored_bytes(users, bytes_per_user, dedup_share, replicas):\n"
        "    return users * bytes_per_user * (1 - dedup_share)\n"
    ),
    # The quick-math day where the exact one is asked for.
    "answer-bandwidth": (
        "def upload_bandwidth(dau, saves_per_user_per_day, bytes_per_save):\n"
        "    return dau * saves_per_user_per_day * bytes_per_save / 100_000\n"
    ),
    # The saving device is told about its own save.
    "answer-sync-events": (
        "def sync_events_per_second(dau, saves_per_user_per_day, devices_per_user, peak_factor):\n"
        "    return dau * saves_per_user_per_day * devices_per_user / 86_400 * peak_factor\n"
    ),
    # Verbs in the paths and no channel for change events.
    "answer-api": (
        "def api():\n"
        '    return ["POST /api/v1/uploadChunk {hash, data} -> {hash}",\n'
        '            "GET /api/v1/chunks/{hash} -> {data}",\n'
        '            "POST /api/v1/files {path, chunk_hashes} -> {file_id}"]\n'
    ),
    # One metadata database and one object store: single points of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    return components.Architecture.from_spec(\n"
        '        {"laptop": "client", "phone": "client", "lb": ("load_balancer", 2), "api": ("app_server", 3),\n'
        '         "blobs": ("object_storage", 1), "db": ("database", 1), "notifier": ("websocket_server", 2)},\n'
        '        [("laptop", "lb"), ("phone", "lb"), ("lb", "api"), ("api", "blobs"), ("api", "db"),\n'
        '         ("api", "notifier"), ("notifier", "phone")])\n'
    ),
    # "Saved" is answered before the metadata database has the new version.
    "answer-save-path": 'def save_path():\n    return ["laptop", "lb", "api", "blobs", "api", "lb", "laptop"]\n',
    # Dropbox's 4 MB, whatever the file and the limits.
    "answer-chunking": "def chunk_size(file_bytes, edit_bytes, max_upload_bytes, max_chunks):\n    return 4_000_000\n",
    # The simplest policy, which drops an edit without telling anyone.
    "answer-conflicts": 'def conflict_policy():\n    return "last_writer_wins"\n',
    # Resuming and rebuilding swapped.
    "answer-failures": (
        "RECOVERIES = (\n"
        '    "resume from the chunks the server already has",\n'
        '    "keep both versions as a conflicted copy",\n'
        '    "rebuild the lost copies from the other replicas",\n'
        '    "reconnect and fetch changes since the saved cursor",\n'
        '    "promote a database replica to primary",\n'
        ")\n\n\n"
        "def recoveries():\n"
        '    return {"upload_cut": "rebuild the lost copies from the other replicas",\n'
        '            "offline_both": "keep both versions as a conflicted copy",\n'
        '            "disk_fail": "resume from the chunks the server already has",\n'
        '            "notifier_restart": "reconnect and fetch changes since the saved cursor",\n'
        '            "db_primary": "promote a database replica to primary"}\n'
    ),
}
