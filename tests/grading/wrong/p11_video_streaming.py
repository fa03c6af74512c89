"""Plausible mistakes in p11_video_streaming, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # Durability taken for a feature; recommendations and comments mixed up.
    "answer-classify": (
        "def classify():\n"
        "    return {'upload': 'functional', 'watch': 'functional', 'recommend': 'out of scope',\n"
        "            'startup': 'non-functional', 'stalls': 'non-functional', 'durable': 'functional',\n"
        "            'live': 'out of scope', 'comments': 'functional'}\n"
    ),
    # Bits never turned into bytes.
    "answer-storage": (
        "def daily_storage(hours_per_day, ladder_bps):\n    return hours_per_day * 3_600 * sum(ladder_bps)\n"
    ),
    # Only the top rung's bytes per viewer... and bits kept as bytes.
    "answer-egress": ("def peak_egress(viewers, avg_bitrate_bps):\n    return viewers * avg_bitrate_bps\n"),
    # Verbs in the paths and a singular collection.
    "answer-api": (
        "def endpoints():\n"
        "    return ['POST /api/v1/uploadVideo {file} -> {video_id}',\n"
        "            'GET /api/v1/video/{video_id} -> {url}',\n"
        "            'GET /api/v1/getRecommendations -> {videos}']\n"
    ),
    # No CDN: every segment comes from the origin's object store.
    "answer-architecture": (
        "def architecture():\n"
        "    return Architecture.from_spec(\n"
        "        {'viewer': 'client', 'lb': ('load_balancer', 2), 'api': ('app_server', 6),\n"
        "         'blobs': ('object_storage', 3), 'jobs': ('message_queue', 3),\n"
        "         'transcoders': ('worker', 20), 'metadata': ('database', 3)},\n"
        "        [('viewer', 'lb'), ('lb', 'api'), ('api', 'blobs'), ('api', 'jobs'), ('api', 'metadata'),\n"
        "         ('jobs', 'transcoders'), ('transcoders', 'blobs'), ('transcoders', 'metadata')],\n"
        "        name='streambox')\n"
    ),
    # The job is queued but the file itself never reaches the object store before the reply.
    "answer-upload-path": (
        "def upload_path():\n    return ['viewer', 'lb', 'api', 'jobs', 'api', 'lb', 'viewer']\n"
    ),
    # Headroom forgotten: the whole measured bandwidth is spent.
    "answer-abr": (
        "def pick_bitrate(ladder_bps, measured_bps, headroom):\n"
        "    fits = [b for b in ladder_bps if b <= measured_bps]\n"
        "    return max(fits) if fits else min(ladder_bps)\n"
    ),
    # The origin's share instead of the CDN's.
    "answer-cdn": (
        "def min_cdn_hit_ratio(total_egress, origin_capacity):\n"
        "    return min(1.0, origin_capacity / total_egress)\n"
    ),
    # A viral video is not a replica problem.
    "answer-failures": (
        "def recovery():\n"
        "    return {'transcoder': 'retry the job from the queue', 'edge_down': 'route to another edge',\n"
        "            'bandwidth_drop': 'switch to a lower rendition', 'viral': 'fail over to a replica',\n"
        "            'metadata_primary': 'fail over to a replica'}\n"
    ),
}
