"""Cost of the locker's envelope encryption for a 4 MiB file (ADR 0103).

DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m bench.locker_encryption [N]
"""

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from locker import crypto  # noqa: E402


def main(runs: int) -> None:
    content = os.urandom(4 * 1024 * 1024)
    wrapped, key_id = crypto.wrap(crypto.new_data_key(), holder="space:1")
    timings = {"unwrap + encrypt": [], "unwrap + decrypt": []}
    for _ in range(runs):
        start = time.perf_counter()
        key = crypto.unwrap(wrapped, holder="space:1", master_key_id=key_id)
        blob = crypto.encrypt(content, data_key=key, storage_key="locker/1/x")
        timings["unwrap + encrypt"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        key = crypto.unwrap(wrapped, holder="space:1", master_key_id=key_id)
        assert crypto.decrypt(blob, data_key=key, storage_key="locker/1/x") == content
        timings["unwrap + decrypt"].append((time.perf_counter() - start) * 1000)
    for label, values in timings.items():
        values.sort()
        p99 = values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]
        print(f"{label:<18} 4 MiB  p50 {statistics.median(values):6.1f} ms  p99 {p99:6.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
