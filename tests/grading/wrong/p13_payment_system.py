"""Plausible mistakes in p13_payment_system, one per autograded answer cell."""

WRONG: dict[str, str] = {
    # PCI compliance read as a feature, and payouts left out.
    "answer-requirements": (
        "def classify():\n"
        "    return {'charge': 'functional', 'refund': 'functional', 'status': 'functional',\n"
        "        'payouts': 'out of scope', 'durability': 'non-functional', 'latency': 'non-functional',\n"
        "        'pci': 'functional', 'crypto': 'out of scope'}\n"
    ),
    # The quick-math day and no peak factor.
    "answer-peak-tps": (
        "def peak_tps(payments_per_day, peak_factor):\n    return payments_per_day / 100_000\n"
    ),
    # One ledger entry per payment and no replicas.
    "answer-ledger-bytes": (
        "def ledger_bytes(payments_per_day, entries_per_payment, bytes_per_entry, years, replicas):\n"
        "    return payments_per_day * bytes_per_entry * 365 * years\n"
    ),
    # Counts payments, not writes, and does not round up.
    "answer-shards": (
        "def database_shards(peak_tps, writes_per_payment, writes_per_shard):\n"
        "    return peak_tps / writes_per_shard\n"
    ),
    # Offset paging and a verb in the refund path.
    "answer-api": (
        "def api():\n"
        "    return ['POST /api/v1/payments {amount, card_token} -> {payment_id}',\n"
        "        'GET /api/v1/payments/{payment_id} -> {status}',\n"
        "        'POST /api/v1/refundPayment {payment_id, amount}',\n"
        "        'GET /api/v1/payments?offset=&limit=50 -> {payments}']\n"
    ),
    # A single ledger database.
    "answer-architecture": (
        "def architecture():\n"
        "    a = components.Architecture('payflow', budget_s=CHARGE_BUDGET_S)\n"
        "    a.add_component('shop', 'client')\n"
        "    a.add_component('gateway', 'api_gateway', replicas=2)\n"
        "    a.add_component('payments', 'app_server', replicas=12)\n"
        "    a.add_component('db', 'database')\n"
        "    a.add_component('events', 'message_queue', replicas=3)\n"
        "    a.add_component('workers', 'worker', replicas=4)\n"
        "    for s, t in [('shop', 'gateway'), ('gateway', 'payments'), ('payments', 'db'),\n"
        "                 ('payments', 'events'), ('events', 'workers'), ('workers', 'db')]:\n"
        "        a.connect(s, t)\n"
        "    return a\n"
    ),
    # Answers the shop before the payment is stored.
    "answer-charge-path": "def charge_path():\n    return ['shop', 'gateway', 'payments']\n",
    # Check, then act: right for retries one after another, but a retry that arrives while the
    # first attempt still runs also finds no record, and both charge the card.
    "answer-idempotency": (
        "def charge(store, key, amount):\n"
        "    earlier = store.get(key)\n"
        "    if earlier is not None:\n"
        "        return earlier\n"
        "    charge_id = store.debit(amount)\n"
        "    store.put(key, charge_id)\n"
        "    return charge_id\n"
    ),
    # Compares amounts only for ids in both books; misses duplicates and one-sided rows.
    "answer-reconcile": (
        "def reconcile(ledger, report):\n"
        "    theirs = dict(report)\n"
        "    return {pid: 'amount mismatch' for pid, amount in ledger\n"
        "            if pid in theirs and theirs[pid] != amount}\n"
    ),
    # Outbox and processor lookup swapped.
    "answer-failures": (
        "def mitigations():\n"
        "    return {\n"
        "        'shop_timeout': 'retry with the same key',\n"
        "        'crash_mid_charge': 'transactional outbox',\n"
        "        'books_disagree': 'reconcile and repair',\n"
        "        'db_primary_down': 'fail over to a sync replica',\n"
        "        'processor_down': 'route to a second processor',\n"
        "        'event_lost': 'query the processor by key',\n"
        "    }\n"
    ),
}
