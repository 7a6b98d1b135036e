"""Print the benchmark's figures as one Markdown table."""

import json
import os
import sys

out = os.environ["KI_BENCH_OUT"]
rows = []
for name in ("inproc.json", "site.json", "http.json"):
    path = os.path.join(out, name)
    if os.path.exists(path):
        with open(path) as handle:
            rows += json.load(handle)
baseline = next((r["ms"] for r in rows if r["figure"].startswith("res.partner list")), None)
print("| figure | median | p95 | queries | vs baseline | target |")
print("| --- | ---: | ---: | ---: | ---: | --- |")
for row in rows:
    ratio = ""
    if row.get("baseline") == "res.partner list" and baseline:
        ratio = f"{row['ms'] / baseline:.2f}x"
    queries = row.get("queries", "")
    if "queries_big" in row:
        queries = f"{row['queries']} / {row['queries_big']}"
    extra = f" ({row['note']})" if row.get("note") else ""
    if "rps" in row:
        note = f"; {row['note']}" if row.get("note") else ""
        extra = f" ({row['rps']:.1f} req/s, {row['errors']} errors{note})"
    p95 = f"{row['p95']:.0f} ms" if "p95" in row else ""
    print(
        f"| {row['figure']}{extra} | {row['ms']:.1f} ms | {p95} | {queries} | {ratio} "
        f"| {row.get('target') or ''} |"
    )
sys.stdout.flush()
