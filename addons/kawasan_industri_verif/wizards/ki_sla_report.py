"""SLA report: per SOP step and per officer, how many steps, the share on time, and the
average and 90th-percentile working time, over a period."""

from datetime import timedelta

from odoo import api, fields, models

from ..models.sop import STATE_SELECTION, STATES


class KiSlaReport(models.TransientModel):
    _name = "ki.sla.report"
    _description = "SLA Report"

    date_from = fields.Date(
        "From", required=True, default=lambda self: fields.Date.today().replace(day=1)
    )
    date_to = fields.Date("To", required=True, default=fields.Date.today)
    line_ids = fields.One2many("ki.sla.report.line", "report_id", "Figures")

    def action_compute(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.env["ki.sla.report.line"].create(
            [dict(row, report_id=self.id) for row in self._figures(self.date_from, self.date_to)]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _figures(self, date_from, date_to):
        """Steps with a service standard finished in [date_from, date_to], per step and
        officer, plus one total per step (user_id False)."""
        self.env["ki.permohonan.step"].flush_model()
        self.env.cr.execute(
            """
            SELECT state, user_id, count(*) AS count,
                   avg(CASE WHEN is_late THEN 0 ELSE 100 END) AS on_time_share,
                   avg(worked_minutes) AS avg_minutes,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY worked_minutes) AS p90_minutes
              FROM ki_permohonan_step
             WHERE date_end >= %s AND date_end < %s AND sla_minutes > 0
             GROUP BY GROUPING SETS ((state, user_id), (state))
            """,
            [date_from, date_to + timedelta(days=1)],
        )
        order = {state.key: index for index, state in enumerate(STATES)}
        rows = self.env.cr.dictfetchall()
        rows.sort(key=lambda row: (order[row["state"]], row["user_id"] is not None))
        return [
            dict(row, user_id=row["user_id"] or False, is_total=row["user_id"] is None)
            for row in rows
        ]


class KiSlaReportLine(models.TransientModel):
    _name = "ki.sla.report.line"
    _description = "SLA Report Line"
    _order = "id"

    report_id = fields.Many2one("ki.sla.report", required=True, ondelete="cascade")
    state = fields.Selection(STATE_SELECTION, "Step")
    user_id = fields.Many2one("res.users", "Officer")
    is_total = fields.Boolean("All Officers")
    count = fields.Integer("Steps")
    on_time_share = fields.Float("On Time (%)", digits=(5, 1))
    avg_minutes = fields.Float("Average (working min)", digits=(10, 1))
    p90_minutes = fields.Float("90th Percentile (working min)", digits=(10, 1))
