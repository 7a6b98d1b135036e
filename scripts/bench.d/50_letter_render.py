# Rendering of the decision letter through wkhtmltopdf (run by scripts/bench inside
# `odoo shell`, where `env` is given): one file is taken through the SOP to its publication,
# then its published letter is rendered again RUNS times. Everything is rolled back.
import logging
import statistics
import subprocess
import time

# Debian's wkhtmltopdf warns on every run that XDG_RUNTIME_DIR is not set: not a figure
logging.getLogger("odoo.addons.base.models.ir_actions_report").setLevel(logging.ERROR)

RUNS = 5
LETTER_REPORT = "kawasan_industri_verif.action_report_ki_letter"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
GROUP = "kawasan_industri_verif.group_"


def officer(login, group, **vals):
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            dict(
                {
                    "name": login.title(),
                    "login": f"bench_{login}",
                    "groups_id": [(6, 0, [env.ref(GROUP + group).id])],
                },
                **vals,
            )
        )
    )


kadis = officer(
    "kadis",
    "kadis",
    name="Ir. Bench Kepala, M.T.",
    ki_nip="196805121994031005",
    ki_position="Kepala Dinas Perindustrian",
)
kabid = officer("kabid", "kabid")
verifier = officer("verifier", "tim_teknis")
partner = env["res.partner"].create({"name": "PT Kawasan Industri Bench", "is_company": True})
permohonan = env["ki.permohonan"].create(
    {
        "partner_id": partner.id,
        "nib": "9120001234567",
        "npwp": "01.234.567.8-901.000",
        "pic_name": "Dewi Kartika",
        "estate_name": "Kawasan Industri Bench",
        "province_id": env.ref("base.state_id_jt").id,
        "regency": "Kabupaten Kendal",
        "street": "Jl. Industri 1",
        "area_ha": 120.0,
        "share_industrial": 65.0,
        "share_green": 15.0,
        "share_road": 12.0,
        "share_other": 8.0,
    }
)
for doc_type in env["ki.document.type"].search([("required", "=", True)]):
    permohonan.action_upload_document(doc_type.id, f"{doc_type.code}.pdf", PDF)
# the superuser passes the role checks; the officers sign and receive what is theirs
permohonan.action_submit()
permohonan.action_receive()
permohonan.action_dispose_to_kabid(recipient_ids=kabid.ids, urgency="segera")
permohonan.action_dispose_to_team(recipient_ids=verifier.ids)
permohonan.action_submit_draft(
    decision="approve", decision_reason="Memenuhi ketentuan.", evaluation_summary="Lengkap."
)
permohonan.action_kabid_approve()
permohonan.with_user(kadis).action_kadis_sign()
started = time.perf_counter()
permohonan.action_number_and_publish()
publish_ms = (time.perf_counter() - started) * 1000
letter = permohonan.letter_id

reports = env["ir.actions.report"].with_context(
    force_report_rendering=True, report_pdf_no_attachment=True
)
timings = []
for _run in range(RUNS):
    env.invalidate_all()
    started = time.perf_counter()
    pdf, _type = reports._render_qweb_pdf(LETTER_REPORT, permohonan.ids)
    timings.append((time.perf_counter() - started) * 1000)

published = letter.attachment_id.raw
text = subprocess.run(["pdftotext", "-", "-"], input=published, capture_output=True).stdout
pages = subprocess.run(["pdfinfo", "-"], input=published, capture_output=True).stdout
pages = next(
    (line.split()[-1] for line in pages.decode().splitlines() if line.startswith("Pages")), "?"
)
p95 = sorted(timings)[max(0, round(0.95 * len(timings)) - 1)]
print(
    f"letter {letter.name}: publication (number, render, store) {publish_ms:.0f} ms; "
    f"render over {RUNS} runs: median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms"
)
print(
    f"published PDF: {len(published) / 1024:.1f} KB (target < 300 KB), {pages} page(s); "
    f"pdftotext finds the number: {letter.name.encode() in text}, "
    f"the applicant: {partner.name.encode() in text}"
)
env.cr.rollback()
