"""The four QWeb reports of an application, each refused in a state that does not have it."""

from odoo import api, models


class KiPermohonanReport(models.AbstractModel):
    _name = "report.kawasan_industri_verif.report_ki_receipt"
    _description = "Receipt Report"
    _ki_report = "receipt"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["ki.permohonan"].browse(docids)
        docs._check_printable(self._ki_report)
        return {"doc_ids": docids, "doc_model": "ki.permohonan", "docs": docs}


class KiDispositionReport(models.AbstractModel):
    _name = "report.kawasan_industri_verif.report_ki_disposition"
    _inherit = "report.kawasan_industri_verif.report_ki_receipt"
    _description = "Disposition Sheet Report"
    _ki_report = "disposition"


class KiBeritaAcaraReport(models.AbstractModel):
    _name = "report.kawasan_industri_verif.report_ki_berita_acara"
    _inherit = "report.kawasan_industri_verif.report_ki_receipt"
    _description = "Berita Acara Report"
    _ki_report = "berita_acara"


class KiLetterReport(models.AbstractModel):
    _name = "report.kawasan_industri_verif.report_ki_letter"
    _inherit = "report.kawasan_industri_verif.report_ki_receipt"
    _description = "Decision Letter Report"
    _ki_report = "letter"
