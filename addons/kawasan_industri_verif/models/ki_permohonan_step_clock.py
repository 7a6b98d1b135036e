"""The step records and the clocks the regulations set: a return remembers the reminders
sent to the applicant, and the escalation also escalates the files past their estimated
completion (models/ki_permohonan_service_deadline.py)."""

from odoo import api, fields, models


class KiPermohonanStep(models.Model):
    _inherit = "ki.permohonan.step"  # pylint: disable=consider-merging-classes-inherited

    ki_reminders_sent = fields.Char(
        "Reminders Sent",
        readonly=True,
        help="On a return: the reminders (days before the end of the correction period) "
        "already sent to the applicant.",
    )

    @api.model
    def _cron_check_sla(self):
        """The escalation also escalates the files past their estimated completion."""
        result = super()._cron_check_sla()
        self.env["ki.permohonan"]._escalate_late_files()
        return result
