"""Moves the demo applications through the SOP as the demo users of each role, so that
the demo shows real step records, dispositions, activities and messages."""

from odoo import api, models

# The passphrase of the demonstration certificate the demo office signs with (see README).
DEMO_PASSPHRASE = "demo-tte-2026"

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
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
    def _demo_load_office_terms(self):
        """The office's documents are Indonesian: load this module's terms before the demo
        signs and publishes letters (Odoo loads them only after all of the module's data)."""
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
                self.action_upload_document(doc_type.id, f"{doc_type.code}.pdf", DEMO_PDF)
        if step == "submit" and self.state == "returned":
            invalid = self.document_ids.filtered(lambda d: d.status == "invalid")
            for document in invalid:
                self.action_upload_document(document.document_type_id.id, "corrected.pdf", DEMO_PDF)
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
                else "Luas kawasan di bawah ketentuan minimal.",
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

    def _demo_instructions(self, count):
        return self.env["ki.disposisi.instruction"].sudo().search([], limit=count).ids
