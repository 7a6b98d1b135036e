# In-process figures on the seeded database, each the median of several runs next to its
# baseline. Run by scripts/bench inside `odoo shell` (which provides `env`); changes made
# while measuring are rolled back.
import base64
import json
import logging
import os
import statistics
import subprocess
import time
from datetime import date

from odoo.addons.kawasan_industri_verif.tools import pki

# Debian's wkhtmltopdf warns on every run that XDG_RUNTIME_DIR is not set: not a figure
logging.getLogger("odoo.addons.base.models.ir_actions_report").setLevel(logging.ERROR)

out = os.environ["KI_BENCH_OUT"]
with open(os.path.join(out, "seed.json")) as handle:
    seed = json.load(handle)
officers = {role: env["res.users"].browse(uid) for role, uid in seed["officers"].items()}
RUNS = 5
rows = []


def measure(label, fn, runs=RUNS, baseline=None, target=None):
    timings, queries = [], []
    for _run in range(runs):
        env.invalidate_all()
        env.cr.execute("SAVEPOINT bench")
        count = env.cr.sql_log_count
        started = time.perf_counter()
        fn()
        env.flush_all()
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(env.cr.sql_log_count - count)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench")
    row = {
        "figure": label,
        "ms": statistics.median(timings),
        "queries": queries[-1],
        "baseline": baseline,
        "target": target,
    }
    rows.append(row)
    print(f"{label}: {row['ms']:.1f} ms, {row['queries']} queries")
    return row


LIST_SPEC = {
    name: {}
    for name in (
        "name",
        "estate_name",
        "regency",
        "submit_date",
        "state",
        "decision",
        "sla_deadline",
        "sla_late",
        "letter_number",
    )
}
LIST_SPEC["partner_id"] = {"fields": {"display_name": {}}}
LIST_SPEC["responsible_user_ids"] = {"fields": {"display_name": {}}}
PARTNER_SPEC = {
    name: {} for name in ("complete_name", "email", "phone", "city", "active", "is_company")
}
PARTNER_SPEC["country_id"] = {"fields": {"display_name": {}}}


def backend_list(user):
    model = env["ki.permohonan"].with_user(user)
    model.web_search_read([], LIST_SPEC, limit=80)
    model.read_group([], ["state"], ["state"])


def partner_list():
    model = env["res.partner"].with_user(officers["kadis"])
    model.web_search_read([], PARTNER_SPEC, limit=80)


baseline = measure("res.partner list, first 80 of 100,000 (baseline)", partner_list)
measure(
    "Backend list + count per state, Kepala Dinas",
    lambda: backend_list(officers["kadis"]),
    baseline="res.partner list",
    target="<= 1.5x baseline",
)
measure(
    "Backend list + count per state, Tim Teknis member",
    lambda: backend_list(officers["tim_teknis"]),
    baseline="res.partner list",
    target="<= 2x baseline",
)
FORM_SPEC = dict(LIST_SPEC, sla_status={}, sla_label={})
FORM_SPEC.update(
    {
        name: {}
        for name in (
            "nib",
            "npwp",
            "pic_name",
            "street",
            "area_ha",
            "share_industrial",
            "share_green",
            "share_road",
            "share_other",
            "decision_reason",
            "allowed_actions",
            "can_edit_applicant",
            "can_edit_draft",
        )
    }
)
FORM_SPEC["step_ids"] = {
    "fields": {
        name: {}
        for name in (
            "state",
            "date_start",
            "deadline",
            "date_end",
            "outcome",
            "note",
            "is_late",
            "worked_minutes",
        )
    }
}
FORM_SPEC["disposisi_ids"] = {"fields": {"date": {}, "urgency": {}, "note": {}}}
FORM_SPEC["document_ids"] = {"fields": {"status": {}, "version": {}, "verifier_note": {}}}
some_file = env["ki.permohonan"].search([("state", "=", "verification")], limit=1)
measure(
    "Open one application's form (web_read), Kepala Dinas",
    lambda: some_file.with_user(officers["kadis"]).web_read(FORM_SPEC),
)

# --- transitions, on a small file (1 document, few steps) and a big one (50, 30+) ------
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
applicant = env["res.users"].search([("login", "=", seed["applicant"])])
doc_types = env["ki.document.type"].search([])
extra_types = env["ki.document.type"].create(
    [{"name": f"Lampiran {i}", "code": f"BENCH{i}", "required": False} for i in range(50)]
)
# the Kepala Dinas signs at step 7 with an office certificate made for the bench
ca_key, ca_cert = pki.make_ca("CA Bench")
signer_key, signer_cert = pki.make_signer(ca_key, ca_cert, "Kepala Dinas Bench")
env.company.sudo().write(
    {
        "ki_signing_mode": "certificate",
        "ki_signing_certificate": base64.b64encode(
            pki.to_pkcs12(signer_key, signer_cert, [ca_cert], "bench")
        ),
        "ki_signing_certificate_filename": "bench.p12",
    }
)
PLAN = [
    ("action_submit", applicant, {}),
    ("action_receive", officers["sekretariat"], {}),
    ("action_dispose_to_kabid", officers["kadis"], {"recipient_ids": officers["kabid"].ids}),
    ("action_dispose_to_team", officers["kabid"], {"recipient_ids": officers["tim_teknis"].ids}),
    ("action_return_to_applicant", officers["tim_teknis"], {"note": "Lengkapi"}),
    ("action_submit", applicant, {}),
    (
        "action_submit_draft",
        officers["tim_teknis"],
        {"decision": "approve", "decision_reason": "Memenuhi ketentuan"},
    ),
    ("action_kabid_return", officers["kabid"], {"note": "Koreksi"}),
    (
        "action_submit_draft",
        officers["tim_teknis"],
        {"decision": "approve", "decision_reason": "Memenuhi ketentuan"},
    ),
    ("action_kabid_approve", officers["kabid"], {}),
    ("action_kadis_return", officers["kadis"], {"note": "Redaksi"}),
    ("action_kabid_approve", officers["kabid"], {}),
    ("action_kadis_sign", officers["kadis"], {"passphrase": "bench"}),
    ("action_number_and_publish", officers["sekretariat"], {}),
    ("action_confirm_download", applicant, {}),
]
DATA = {
    "application_letter_number": "012/KIU/III/2026",
    "application_letter_date": "2026-03-02",
    "nib": "9120001234567",
    "npwp": "01.234.567.8-901.000",
    "pic_name": "Bench",
    "estate_name": "Kawasan Bench",
    "province_id": env.ref("base.state_id_jt").id,
    "regency": "Kendal",
    "street": "Jl. Bench",
    "area_ha": 100,
    "share_industrial": 60,
    "share_green": 20,
    "share_road": 10,
    "share_other": 10,
}


def new_file(documents):
    permohonan = env["ki.permohonan"].with_user(applicant).create(DATA)
    for doc_type in doc_types.filtered("required") | documents:
        permohonan.action_upload_document(doc_type.id, "dokumen.pdf", PDF)
    return permohonan


def walk(permohonan, history=0):
    """Run the plan; before it, `history` rounds of the Kabid's loop add earlier steps."""
    counts = {}
    for index, (action, user, kwargs) in enumerate(PLAN):
        if index == 7 and history:
            for _round in range(history):
                permohonan.with_user(officers["kabid"]).action_kabid_return(note="x")
                permohonan.with_user(officers["tim_teknis"]).action_submit_draft()
        if action == "action_submit_draft":
            # the verifier checks every document before drafting: not part of the transition
            permohonan.with_user(user).action_mark_documents_valid()
        env.flush_all()
        env.cr.flush()
        env.invalidate_all()
        count = env.cr.sql_log_count
        started = time.perf_counter()
        getattr(permohonan.with_user(user), action)(**kwargs)
        env.flush_all()
        env.cr.flush()
        counts.setdefault(action, []).append(
            ((time.perf_counter() - started) * 1000, env.cr.sql_log_count - count)
        )
    return counts


env.cr.execute("SAVEPOINT transitions")
walk(new_file(env["ki.document.type"]))  # warm-up: caches, sequences' date ranges
small_file = new_file(env["ki.document.type"])
small = walk(small_file)
big = walk(new_file(extra_types), history=15)

# --- the decision letter: rendering again the one just published --------------------------
LETTER_REPORT = "kawasan_industri_verif.action_report_ki_letter"
reports = env["ir.actions.report"].with_context(
    force_report_rendering=True, report_pdf_no_attachment=True
)
measure(
    "Render one decision letter PDF (wkhtmltopdf)",
    lambda: reports._render_qweb_pdf(
        "kawasan_industri_verif.action_report_ki_letter", small_file.ids
    ),
    runs=3,
)
published = small_file.sudo().letter_id.attachment_id.raw
text = subprocess.run(["pdftotext", "-", "-"], input=published, capture_output=True).stdout
rows[-1]["note"] = (
    f"{len(published) / 1024:.0f} KB; pdftotext finds the number: "
    f"{small_file.sudo().letter_number.encode() in text}"
)
print(rows[-1]["note"])
env.cr.execute("ROLLBACK TO SAVEPOINT transitions")
for action in dict.fromkeys(action for action, _user, _kwargs in PLAN):
    ms = statistics.median(t for t, _q in small[action])
    rows.append(
        {
            "figure": f"Transition {action}",
            "ms": ms,
            "queries": small[action][-1][1],
            "queries_big": big[action][-1][1],
            "target": "< 40 queries, flat",
        }
    )
    print(f"{action}: {ms:.1f} ms, {small[action][-1][1]} / {big[action][-1][1]} queries")

# --- SLA cron and report ------------------------------------------------------------------
Step = env["ki.permohonan.step"]
measure(
    "SLA scheduled action, 10,000 open steps, 2,000 late",
    Step._cron_check_sla,
    runs=3,
    target="< 5 s",
)
measure(
    "SLA report pivot (step x officer) over 1,000,000 steps",
    lambda: Step.with_user(officers["kadis"]).read_group(
        [("date_end", "!=", False)],
        ["on_time_pct:avg", "worked_minutes:avg"],
        ["state", "user_id"],
        lazy=False,
    ),
    target="< 2 s",
)
measure(
    "SLA report with 90th percentile, one year",
    lambda: env["ki.sla.report"]._figures(date(2025, 11, 1), date(2026, 12, 31)),
    target="< 2 s",
)

env.cr.rollback()
with open(os.path.join(out, "inproc.json"), "w") as handle:
    json.dump(rows, handle)
