# Seed the benchmark database: 100,000 partners (the baseline), 100,000 applications with
# 1,000,000 step records (10,000 files in progress, 2,000 of them late), officers of every
# role and an applicant whose company has 200 applications. Run by scripts/bench inside
# `odoo shell` (which provides `env`); bulk rows go in with SQL, users through the ORM.
import json
import os
import time

FILES, STEPS_PER_FILE, IN_PROGRESS_EVERY, LATE = 100_000, 10, 10, 2_000
out = os.environ["KI_BENCH_OUT"]
started = time.perf_counter()
cr = env.cr


def phase(label):
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def user(login, groups, **vals):
    return env["res.users"].create(
        dict(
            vals,
            name=vals.get("name", login.title()),
            login=login,
            password=login,
            email=f"{login}@bench.test",
            groups_id=[(6, 0, [env.ref(group).id for group in groups])],
        )
    )


group = "kawasan_industri_verif.group_"
officers = {
    "sekretariat": user("b_sekretariat", [group + "sekretariat"]),
    "kadis": user("b_kadis", [group + "kadis"]),
    "kabid": user("b_kabid", [group + "kabid"]),
    "tim_teknis": user("b_timteknis", [group + "tim_teknis"]),
}
company = env["res.partner"].create({"name": "PT Bench Pemohon", "is_company": True})
applicant = user("b_pemohon", ["base.group_portal"])
applicant.partner_id.parent_id = company
# commit the ORM's rows first: foreign-key checks of bulk rows against rows locked in the
# same transaction get slower with every row
env.cr.commit()

# 100,000 company partners: the res.partner baseline and the other applicants
cr.execute(
    """
    INSERT INTO res_partner (id, commercial_partner_id, name, complete_name, is_company,
                             active, type, lang, email, city, create_uid, write_uid,
                             create_date, write_date)
    SELECT id, id, 'PT Kawasan ' || lpad(i::text, 6, '0'), 'PT Kawasan ' || lpad(i::text, 6, '0'),
           true, true, 'contact', 'en_US', 'info' || i || '@kawasan.test', 'Semarang',
           1, 1, now(), now()
      FROM (SELECT nextval('res_partner_id_seq') AS id, i FROM generate_series(1, 100000) i) n
    """
)
phase("partners")
cr.execute("SELECT min(id) FROM res_partner WHERE name = 'PT Kawasan 000001'")
first_partner = cr.fetchone()[0]

# 100,000 applications: the first 200 are the bench applicant's; one in ten is in progress
office_states = [
    "submitted",
    "kadis_disposition",
    "kabid_disposition",
    "verification",
    "kabid_review",
    "kadis_review",
    "numbering",
]
cr.execute(
    """
    INSERT INTO ki_permohonan (name, state, partner_id, estate_name, estate_type, area_ha,
                               regency, submit_date, receive_date, agenda_number,
                               decision, create_uid, write_uid, create_date, write_date)
    SELECT 'KI/2026/' || lpad(i::text, 6, '0'),
           CASE WHEN i %% %(every)s = 0 THEN (%(office)s::varchar[])[1 + (i / %(every)s) %% 7]
                WHEN i %% 97 = 1 THEN 'cancelled' ELSE 'done' END,
           CASE WHEN i <= 200 THEN %(company)s ELSE %(first)s + (i %% 1000) END,
           'Kawasan Industri ' || lpad(i::text, 6, '0'), 'general', 50 + i %% 400,
           'Kabupaten Kendal', now() - (i %% 365) * interval '1 day',
           now() - (i %% 365) * interval '1 day' + interval '1 hour',
           'SM/2026/' || lpad(i::text, 6, '0'),
           CASE WHEN i %% 5 = 0 THEN 'reject' ELSE 'approve' END, 1, 1, now(), now()
      FROM generate_series(1, %(files)s) i
    """,
    {
        "every": IN_PROGRESS_EVERY,
        "office": office_states,
        "company": company.id,
        "first": first_partner,
        "files": FILES,
    },
)
phase("applications")
cr.execute("SELECT min(id) FROM ki_permohonan")
first_file = cr.fetchone()[0]

# 1,000,000 step records, ten per file; the tenth of a file in progress is open, and the
# first 2,000 of those open steps are late
role_user = {
    "submitted": officers["sekretariat"].id,
    "kadis_disposition": officers["kadis"].id,
    "kabid_disposition": officers["kabid"].id,
    "verification": officers["tim_teknis"].id,
    "kabid_review": officers["kabid"].id,
    "kadis_review": officers["kadis"].id,
    "numbering": officers["sekretariat"].id,
}
users = [role_user[state] for state in office_states]
cr.execute(
    """
    INSERT INTO ki_permohonan_step (permohonan_id, state, date_start, date_end, user_id,
                                    outcome, sla_minutes, deadline, worked_minutes, is_late,
                                    on_time_pct, create_uid, write_uid, create_date,
                                    write_date)
    SELECT p.id,
           CASE WHEN open THEN p.state ELSE (%(office)s::varchar[])[1 + k %% 7] END,
           p.submit_date + k * interval '2 hours',
           CASE WHEN open THEN NULL
                ELSE p.submit_date + k * interval '2 hours' + interval '1 hour' END,
           CASE WHEN open THEN NULL ELSE (%(users)s::int[])[1 + k %% 7] END,
           CASE WHEN open THEN NULL ELSE 'disposed' END,
           60,
           CASE WHEN NOT open THEN p.submit_date + k * interval '2 hours' + interval '1 hour'
                WHEN late THEN now() - interval '1 hour' ELSE now() + interval '2 days' END,
           CASE WHEN open THEN 0 ELSE 10 + (p.id * 7 + k * 13) %% 120 END,
           NOT open AND (p.id + k) %% 7 = 0,
           CASE WHEN open THEN 0 WHEN (p.id + k) %% 7 = 0 THEN 0 ELSE 100 END,
           1, 1, now(), now()
      FROM (SELECT id, state, submit_date,
                   row_number() OVER (ORDER BY id) AS n
              FROM ki_permohonan) p
      CROSS JOIN generate_series(0, %(last)s) k
      CROSS JOIN LATERAL (
          SELECT k = %(last)s AND p.state NOT IN ('done', 'cancelled') AS open,
                 p.n <= %(late_rank)s AS late
      ) flags
    """,
    {
        "office": office_states,
        "users": users,
        "last": STEPS_PER_FILE - 1,
        "late_rank": LATE * IN_PROGRESS_EVERY,
    },
)
phase("steps")
cr.execute(
    """
    UPDATE ki_permohonan p
       SET current_step_id = s.id, sla_deadline = s.deadline, sla_late = false
      FROM ki_permohonan_step s
     WHERE s.permohonan_id = p.id AND s.date_end IS NULL;
    INSERT INTO ki_permohonan_responsible_rel (permohonan_id, user_id)
    SELECT p.id, (%(users)s::int[])[array_position(%(office)s::varchar[], p.state::varchar)]
      FROM ki_permohonan p WHERE p.current_step_id IS NOT NULL;
    INSERT INTO ki_permohonan_verifier_rel (permohonan_id, user_id)
    SELECT id, %(verifier)s FROM ki_permohonan WHERE id %% 50 = 0;
    ANALYZE;
    """,
    {"users": users, "office": office_states, "verifier": officers["tim_teknis"].id},
)
cr.execute("SELECT count(*) FROM ki_permohonan_step WHERE date_end IS NULL")
open_steps = cr.fetchone()[0]
cr.execute("SELECT count(*) FROM ki_permohonan_step WHERE date_end IS NULL AND deadline < now()")
late_steps = cr.fetchone()[0]
cr.execute("SELECT count(*) FROM ki_permohonan_step")
steps = cr.fetchone()[0]
env.cr.commit()
seconds = time.perf_counter() - started
print(
    f"seeded {FILES} applications, {steps} step records ({open_steps} open, {late_steps} late), "
    f"100000 partners in {seconds:.0f} s"
)
with open(os.path.join(out, "seed.json"), "w") as handle:
    json.dump(
        {
            "seconds": seconds,
            "officers": {role: user.id for role, user in officers.items()},
            "applicant": applicant.login,
            "applicant_file": first_file,
        },
        handle,
    )
