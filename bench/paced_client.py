#!/usr/bin/env python3
"""A paced HTTP load: RATE GET requests a second for SECONDS, each measured from the moment
it was due (so a slow answer that delays the next ones counts against them too: no
coordinated omission). Prints "p50_ms p99_ms max_ms errors requests". With "distinct",
each request asks for another `at` (a second later than the one before, from now on), so
no two are the same question and none is answered from the server's snapshot cache.

    paced_client.py URL KEY RATE SECONDS [distinct]
"""
import http.client
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor


def main(url, key, rate, seconds, distinct=False):
    parts = urllib.parse.urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    local = threading.local()
    latencies, errors = [], []
    lock = threading.Lock()

    base = int(time.time())

    def fetch(due, index):
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        asked = path
        if distinct:
            asked += ("&" if "?" in path else "?") + "at=" + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + index))
        try:
            connection.request("GET", asked, headers={"Authorization": f"Bearer {key}"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            local.connection = None
            ok = False
        elapsed = time.monotonic() - due
        with lock:
            (latencies if ok else errors).append(elapsed)

    total = int(rate * seconds)
    start = time.monotonic() + 0.1
    with ThreadPoolExecutor(max_workers=32) as pool:
        for index in range(total):
            due = start + index / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(fetch, due, index)
    latencies.sort()
    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else float("nan")
    print(f"{percentile(0.5):.1f} {percentile(0.99):.1f} {(latencies[-1] * 1000 if latencies else float('nan')):.1f} "
          f"{len(errors)} {total}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), len(sys.argv) > 5 and sys.argv[5] == "distinct")
