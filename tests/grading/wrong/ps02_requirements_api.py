"""Plausible mistakes in ps02_requirements_api, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Scale and peak load taken for features (they describe how much, not what).
    "answer-classify": (
        "def classify():\n"
        "    return {'hold': 'functional', 'seat_map': 'functional', 'cancel': 'functional',\n"
        "            'my_bookings': 'functional', 'hold_p99': 'non-functional', 'uptime': 'non-functional',\n"
        "            'on_sale': 'functional', 'no_loss': 'functional'}\n"
    ),
    # The yearly budget used for a month, and no rounding down.
    "answer-deploys": (
        "def deploys_per_month(availability_target, minutes_per_deploy):\n"
        "    return (1 - availability_target) * 365 * 24 * 60 / minutes_per_deploy\n"
    ),
    # Processing time forgotten: the whole budget spent on round trips.
    "answer-round-trips": (
        "def sequential_round_trips(budget_ms, processing_ms, round_trip_ms):\n"
        "    return budget_ms // round_trip_ms\n"
    ),
    # The average rate instead of the peak.
    "answer-peak": (
        "def peak_qps(dau, per_user_per_day, peak_factor):\n    return dau * per_user_per_day / 86_400\n"
    ),
    # Singular collections and an offset list: the review flags them.
    "answer-api": (
        "def endpoints():\n"
        "    return ['GET /api/v1/events?offset=&limit=20 -> {events}',\n"
        "            'POST /api/v1/booking {event_id, seat_ids} -> {booking_id}',\n"
        "            'GET /api/v1/booking/{booking_id} -> {booking}',\n"
        "            'DELETE /api/v1/booking/{booking_id}']\n"
    ),
    # Offset whenever nobody needs page jumps... and also when they do.
    "answer-pagination": (
        "def pagination_for(new_per_page, removed_per_page, needs_page_jumps):\n    return 'offset'\n"
    ),
    # Counting every page, the first one included.
    "answer-repeats": ("def offset_repeats(new_per_page, pages):\n    return new_per_page * pages\n"),
    # Only features asked about: no scale (users, QPS) and no consistency (stale seat maps, double sales).
    "answer-questions": (
        "def clarifying_questions():\n"
        "    return ['Which features are in scope for the first version?',\n"
        "            'Can fans resell tickets they bought?',\n"
        "            'What latency should the seat map have at p99?',\n"
        "            'How long do we keep past bookings?',\n"
        "            'What uptime does booking need?']\n"
    ),
    # An index on user_id alone: "my bookings" is found by index but every match is sorted.
    "answer-schema": (
        "def schema():\n"
        "    return '''CREATE TABLE bookings (booking_id INTEGER PRIMARY KEY, event_id INTEGER, user_id INTEGER,\n"
        "        seat TEXT, status TEXT, created_at TEXT, UNIQUE (event_id, seat));\n"
        "    CREATE INDEX idx_bookings_user ON bookings (user_id);'''\n"
    ),
}
