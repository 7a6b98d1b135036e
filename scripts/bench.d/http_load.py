"""Portal pages over HTTP on loopback, against a server with 2 workers started by
scripts/bench: alone (p50, p95), then 20 concurrent clients for 60 s."""

import json
import os
import re
import statistics
import sys
import threading
import time

import requests

BASE = sys.argv[1]
out = os.environ["KI_BENCH_OUT"]
with open(os.path.join(out, "seed.json")) as handle:
    seed = json.load(handle)
CLIENTS, SECONDS, SAMPLES = 20, 60, 40


def login():
    session = requests.Session()
    page = session.get(f"{BASE}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    login = seed["applicant"]
    reply = session.post(
        f"{BASE}/web/login",
        data={"login": login, "password": login, "csrf_token": token, "redirect": "/my"},
        timeout=30,
    )
    assert "/web/login" not in reply.url, "portal login failed"
    return session


def p95(values):
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


session = login()
detail = f"/my/permohonan/{seed['applicant_file']}"
pages = {"/my/home (baseline)": "/my/home", "/my/permohonan": "/my/permohonan", detail: detail}
rows = []
for label, path in pages.items():
    timings = []
    for _sample in range(SAMPLES):
        started = time.perf_counter()
        reply = session.get(BASE + path, timeout=30)
        timings.append((time.perf_counter() - started) * 1000)
        assert reply.status_code == 200, (path, reply.status_code)
    rows.append(
        {
            "figure": f"Portal {label}, alone",
            "ms": statistics.median(timings),
            "p95": p95(timings),
            "target": "p95 < 300 ms" if "baseline" not in label else None,
        }
    )
    print(f"{label}: p50 {statistics.median(timings):.0f} ms, p95 {p95(timings):.0f} ms")

results, errors = [], []
lock = threading.Lock()
deadline = time.monotonic() + SECONDS


def client(index):
    own = login()
    paths = ["/my/permohonan", detail]
    count = 0
    while time.monotonic() < deadline:
        path = paths[count % 2]
        count += 1
        started = time.perf_counter()
        try:
            status = own.get(BASE + path, timeout=30).status_code
        except requests.RequestException as error:
            status = str(error)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            results.append(elapsed)
            if status != 200:
                errors.append(status)


threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
started = time.perf_counter()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
duration = time.perf_counter() - started
rows.append(
    {
        "figure": f"Portal list+detail, {CLIENTS} clients for {SECONDS} s, 2 workers",
        "ms": statistics.median(results),
        "p95": p95(results),
        "rps": len(results) / duration,
        "errors": len(errors),
        "target": "p95 < 1 s, 0 errors",
    }
)
print(
    f"{CLIENTS} clients: {len(results) / duration:.1f} req/s, p95 {p95(results):.0f} ms, "
    f"{len(errors)} errors"
)
with open(os.path.join(out, "http.json"), "w") as handle:
    json.dump(rows, handle)
