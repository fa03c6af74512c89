"""Plausible mistakes in ps04_tradeoffs, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # "Availability always wins at scale": the seat sale and the transfer lose their guarantee.
    "answer-consistency": (
        "def consistency_or_availability():\n"
        "    return {'last_seats': 'availability', 'like_count': 'availability', 'transfer': 'consistency',\n"
        "            'home_feed': 'availability', 'presence': 'availability'}\n"
    ),
    # "NoSQL scales, so use it everywhere": the stock levels lose their transactions.
    "answer-sql": (
        "def sql_or_nosql():\n"
        "    return {'orders': 'sql', 'sensor_readings': 'nosql', 'accounts': 'sql',\n"
        "            'chat_messages': 'nosql', 'stock_levels': 'nosql'}\n"
    ),
    # Push everywhere, ignoring the celebrities and the read:write ratio.
    "answer-fanout": (
        "def feed_strategy(largest_account, max_writes_per_post, feed_reads_per_post):\n    return 'push'\n"
    ),
    # A threshold ten times the budget: a post by an account just under it blows the write budget.
    "answer-threshold": (
        "def celebrity_threshold(max_writes_per_post):\n    return max_writes_per_post * 10\n"
    ),
    # Write-through for everything "so the cache is always fresh".
    "answer-cache": (
        "def cache_policy():\n"
        "    return {'product_pages': 'write_through', 'cart': 'write_through',\n"
        "            'leaderboard': 'write_through', 'profiles': 'write_through'}\n"
    ),
    # Microservices from day one.
    "answer-services": (
        "def monolith_or_services():\n"
        "    return {'startup': 'microservices', 'ride_platform': 'microservices',\n"
        "            'internal_tool': 'monolith', 'streaming': 'microservices'}\n"
    ),
    # The published slip reproduced: the years multiplied a second time.
    "answer-xu-storage": (
        "def storage_over_years(items_per_day, years, bytes_per_item):\n"
        "    return items_per_day * 365 * years * bytes_per_item * years\n"
    ),
    # Blaming the record count instead of the storage step.
    "answer-xu-step": "def xu_slipped_step():\n    return 'record_count'\n",
    # Every message counted as a media file.
    "answer-kps-storage": (
        "def daily_media_storage(messages_per_day, media_share, bytes_per_file):\n"
        "    return messages_per_day * bytes_per_file\n"
    ),
    # Blaming the stated assumption, which is fine, instead of the product that ignored it.
    "answer-kps-step": "def kps_slipped_step():\n    return 'file_size'\n",
}
