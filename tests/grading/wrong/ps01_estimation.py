"""Plausible mistakes in ps01_estimation, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # The quick-math day where the exact one is asked for.
    "answer-average-qps": "def average_qps(dau, uploads_per_user_per_day):\n    return dau * uploads_per_user_per_day / 100_000\n",
    # The average instead of the busiest hour.
    "answer-peak-qps": "def peak_qps(average, peak_factor):\n    return average\n",
    # Megabytes where bytes are asked for.
    "answer-daily-storage": "def daily_storage(photos_per_day, bytes_per_photo):\n    return photos_per_day * bytes_per_photo / 1e6\n",
    # Replicas forgotten.
    "answer-total-storage": "def total_storage(daily_bytes, years, replicas):\n    return daily_bytes * 365 * years\n",
    # Bits instead of bytes.
    "answer-ingress": "def ingress(bytes_per_day):\n    return bytes_per_day * 8 / 86_400\n",
    # Views forgotten.
    "answer-egress": "def egress(bytes_per_day, views_per_photo):\n    return bytes_per_day / 86_400\n",
    # Everyone online at once.
    "answer-concurrent": "def concurrent_connections(dau, online_fraction):\n    return dau\n",
    # No headroom and no rounding up.
    "answer-servers": "def connection_servers(connections, per_server, max_utilisation):\n    return connections / per_server\n",
    # Downtime per year instead of per month.
    "answer-downtime": "def downtime_minutes_per_month(availability_target):\n    return (1 - availability_target) * 365 * 24 * 60\n",
}
