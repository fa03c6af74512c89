"""Plausible mistakes in p12_ride_sharing, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Freshness read as a feature, and food delivery kept in scope.
    "answer-requirements": (
        "def classify():\n"
        "    return {'request': 'functional', 'match': 'functional', 'track': 'functional',\n"
        "        'surge': 'functional', 'match_time': 'non-functional', 'availability': 'non-functional',\n"
        "        'freshness': 'functional', 'food': 'functional'}\n"
    ),
    # The average hour, not the busiest one.
    "answer-peak-qps": "def peak_ride_qps(rides_per_day, peak_factor):\n    return rides_per_day / 86_400\n",
    # Multiplied by the interval instead of dividing.
    "answer-location-qps": (
        "def location_write_qps(drivers_online, interval_s):\n    return drivers_online * interval_s\n"
    ),
    # Bytes per second, the day forgotten.
    "answer-location-bytes": (
        "def location_bytes_per_day(drivers_online_avg, interval_s, bytes_per_update):\n"
        "    return drivers_online_avg / interval_s * bytes_per_update\n"
    ),
    # A singular collection and a verb in the path; no location upload.
    "answer-api": (
        "def api():\n"
        "    return ['POST /api/v1/ride {pickup, dropoff} -> {ride_id}',\n"
        "        'GET /api/v1/rides/{ride_id} -> {status}',\n"
        "        'POST /api/v1/updateLocation {driver_id, lat, lon}']\n"
    ),
    # One database and one load balancer: single points of failure.
    "answer-architecture": (
        "def architecture():\n"
        "    a = components.Architecture('ridenow', budget_s=REQUEST_BUDGET_S)\n"
        "    a.add_component('rider', 'client')\n"
        "    a.add_component('driver', 'client')\n"
        "    a.add_component('lb', 'load_balancer')\n"
        "    a.add_component('app', 'app_server', replicas=20)\n"
        "    a.add_component('ws', 'websocket_server', replicas=150)\n"
        "    a.add_component('stream', 'message_queue', replicas=3)\n"
        "    a.add_component('tracker', 'worker', replicas=4)\n"
        "    a.add_component('geo', 'cache', replicas=2)\n"
        "    a.add_component('db', 'database')\n"
        "    for s, t in [('rider', 'lb'), ('driver', 'lb'), ('lb', 'app'), ('lb', 'ws'),\n"
        "                 ('ws', 'stream'), ('stream', 'tracker'), ('tracker', 'geo'),\n"
        "                 ('app', 'geo'), ('app', 'db'), ('ws', 'rider')]:\n"
        "        a.connect(s, t)\n"
        "    return a\n"
    ),
    # Answers the rider as soon as a driver is found, before the ride is stored.
    "answer-request-path": "def request_path():\n    return ['rider', 'lb', 'app', 'geo', 'app']\n",
    # One character more than needed, 'to scan fewer drivers': the 3 x 3 block misses drivers.
    "answer-precision": (
        "def geohash_precision(radius_m, lat):\n    return geo.precision_for_radius(radius_m, lat) + 1\n"
    ),
    # Rounded down: the write rate ends above the bound.
    "answer-interval": (
        "def update_interval(drivers_online, max_writes_per_s):\n"
        "    return max(1, int(drivers_online / max_writes_per_s))\n"
    ),
    # Replica promotion and TTL expiry swapped.
    "answer-failures": (
        "def mitigations():\n"
        "    return {'ws_crash': 'reconnect and resend', 'geo_node_down': 'expire by ttl',\n"
        "        'request_timeout': 'idempotent retry', 'driver_offline': 'promote replica',\n"
        "        'stadium': 'surge and shed load', 'double_match': 'conditional claim'}\n"
    ),
}
