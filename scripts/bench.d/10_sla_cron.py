# The SLA scheduled action over 10,000 open steps, 2,000 of them late (run by scripts/bench
# inside `odoo shell`, where `env` is given). Seeds with batched ORM calls, then rolls back.
import statistics
import time
from datetime import datetime, timedelta

OPEN_STEPS, LATE_STEPS, RUNS = 10_000, 2_000, 3
quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
Step = env["ki.permohonan.step"]

started = time.perf_counter()
partner = env["res.partner"].create({"name": "PT Kawasan Bench", "is_company": True})
files = (
    env["ki.permohonan"]
    .with_context(**quiet)
    .create([{"partner_id": partner.id, "estate_name": f"Bench {i}"} for i in range(OPEN_STEPS)])
)
now = datetime.now().replace(microsecond=0)
roles = ["submitted", "kadis_disposition", "kabid_disposition", "verification", "kabid_review"]
Step.create(
    [
        {
            "permohonan_id": permohonan.id,
            "state": roles[i % len(roles)],
            "date_start": now - timedelta(days=3),
            "sla_minutes": 60,
            "deadline": now - timedelta(hours=1) if i < LATE_STEPS else now + timedelta(days=2),
        }
        for i, permohonan in enumerate(files)
    ]
)
env.flush_all()
print(
    f"seeded {OPEN_STEPS} open steps ({LATE_STEPS} late) in {time.perf_counter() - started:.1f} s"
)

timings, queries = [], []
for _run in range(RUNS):
    env.cr.execute("SAVEPOINT bench_cron")
    env.invalidate_all()
    count = env.cr.sql_log_count
    started = time.perf_counter()
    Step._cron_check_sla()
    env.flush_all()
    env.cr.flush()
    timings.append(time.perf_counter() - started)
    queries.append(env.cr.sql_log_count - count)
    escalated = Step.search_count(
        [("escalated_date", "!=", False), ("id", "in", files.step_ids.ids)]
    )
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_cron")
print(
    f"SLA cron over {OPEN_STEPS} open steps: median {statistics.median(timings):.2f} s "
    f"(target < 5 s), {queries[-1]} queries, {escalated} steps escalated"
)
env.cr.rollback()
