"""Moves the demo applications through the SOP as the demo users of each role, so that
the demo shows real step records, dispositions, activities and messages."""

import io

from odoo import api, models
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

# The passphrase of the demonstration certificate the demo office signs with (see README).
DEMO_PASSPHRASE = "demo-tte-2026"

DEMO_USERS = {
    "receive": "kawasan_industri_verif.user_sekretariat",
    "number_and_publish": "kawasan_industri_verif.user_sekretariat",
    "dispose_to_kabid": "kawasan_industri_verif.user_kadis",
    "kadis_sign": "kawasan_industri_verif.user_kadis",
    "kadis_return": "kawasan_industri_verif.user_kadis",
    "dispose_to_team": "kawasan_industri_verif.user_kabid",
    "kabid_approve": "kawasan_industri_verif.user_kabid",
    "kabid_return": "kawasan_industri_verif.user_kabid",
    "return_to_applicant": "kawasan_industri_verif.user_timteknis",
    "submit_draft": "kawasan_industri_verif.user_timteknis",
}


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"

    @api.model
    def _demo_load_terms(self):
        """Odoo loads a module's translations after its demo data: load this module's now,
        so that the demo users' activities, checklists and messages, and the letters the demo
        signs and publishes, are in the office's language."""
        self.env["ir.module.module"]._load_module_terms(
            ["kawasan_industri_verif"], [self.env.company._ki_lang()], overwrite=True
        )

    @api.model
    def _demo_walk(self, ids, path, decision="approve", applicant="user_pemohon"):
        """Run the transitions named in `path` (without `action_`) on each application,
        the applicant's as the demo user `applicant`."""
        for record in self.browse(ids):
            for step in path.split():
                xmlid = DEMO_USERS.get(step, f"kawasan_industri_verif.{applicant}")
                user = self.env.ref(xmlid)
                record.with_user(user).with_context(lang=user.lang)._demo_do(step, decision)

    def _demo_do(self, step, decision):
        if step == "submit" and not self.document_ids:
            for doc_type in self.env["ki.document.type"].search([]):
                pdf = self._demo_pdf(doc_type.name)
                self.action_upload_document(doc_type.id, f"{doc_type.code}.pdf", pdf)
        if step == "submit" and self.state == "returned":
            invalid = self.document_ids.filtered(lambda d: d.status == "invalid")
            for document in invalid:
                pdf = self._demo_pdf(document.document_type_id.name)
                self.action_upload_document(document.document_type_id.id, "corrected.pdf", pdf)
        if step == "submit_draft":
            self._demo_check_documents(decision)
        kwargs = {
            "dispose_to_kabid": {"instruction_ids": self._demo_instructions(1)},
            "dispose_to_team": {
                "recipient_ids": [self.env.ref("kawasan_industri_verif.user_timteknis").id],
                "instruction_ids": self._demo_instructions(3),
                "urgency": "segera",
                "note": "Mohon diverifikasi dalam 2 hari kerja.",
            },
            "return_to_applicant": {"note": "Dokumen KKPR sudah tidak berlaku, mohon diganti."},
            "submit_draft": {
                "decision": decision,
                "decision_reason": "Hasil verifikasi teknis sesuai ketentuan."
                if decision == "approve"
                else "Permohonan belum memenuhi ketentuan:\n" + self._decision_failure_lines(),
                "evaluation_summary": "Dokumen lengkap dan telah diverifikasi tim teknis.",
            },
            "kabid_return": {"note": "Mohon lengkapi pertimbangan teknis."},
            "kadis_sign": {"passphrase": DEMO_PASSPHRASE},
            "kadis_return": {"note": "Mohon perbaiki redaksi surat."},
            "cancel": {"reason": "Permohonan ditarik oleh pemohon."},
        }.get(step, {})
        if step == "return_to_applicant":
            kkpr = self.env.ref("kawasan_industri_verif.document_type_kkpr")
            doc = self.document_ids.filtered(lambda d: d.document_type_id == kkpr)
            doc.action_mark_invalid(note="Masa berlaku KKPR telah habis.")
        getattr(self, f"action_{step}")(**kwargs)

    def _demo_pdf(self, title):
        """A one-page PDF naming the document and the estate, for the preview of the demo."""
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(72, 770, title)
        pdf.setFont("Helvetica", 11)
        pdf.drawString(72, 745, f"{self.partner_id.name} - {self.estate_name}")
        pdf.drawString(72, 725, "CONTOH DOKUMEN UNTUK DEMONSTRASI")
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    def _demo_check_documents(self, decision):
        """The verifier's check before drafting: for a rejection the master plan fails."""
        if decision == "reject":
            masterplan = self.env.ref("kawasan_industri_verif.document_type_masterplan")
            self.document_ids.filtered(
                lambda d: d.document_type_id == masterplan and d.status == "pending"
            ).action_mark_invalid(note="Pembagian lahan tidak memenuhi ketentuan kawasan industri.")
        self.action_mark_documents_valid()

    def _demo_instructions(self, count):
        return self.env["ki.disposisi.instruction"].sudo().search([], limit=count).ids
