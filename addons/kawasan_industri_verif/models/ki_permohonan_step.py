"""One visit of an SOP step by a file: the audit trail and the SLA clock."""

from collections import defaultdict

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError

from .sop import OUTCOMES, STATE, STATE_SELECTION, SUPERIORS


class KiPermohonanStep(models.Model):
    _name = "ki.permohonan.step"
    _inherit = ["ki.chained.mixin"]
    _description = "Application Step"
    _order = "date_start desc, id desc"
    _rec_name = "state"
    # sealed when the step closes, with everything it records
    _chain_fields = (
        "permohonan_id",
        "state",
        "responsible_user_ids",
        "date_start",
        "date_end",
        "user_id",
        "outcome",
        "note",
        "sla_minutes",
        "deadline",
        "worked_minutes",
        "is_late",
        "escalated_date",
    )

    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", required=True, index=True, ondelete="cascade"
    )
    state = fields.Selection(STATE_SELECTION, "Step", required=True, index=True)
    responsible_user_ids = fields.Many2many(
        "res.users", "ki_permohonan_step_responsible_rel", "step_id", "user_id", "Responsible"
    )
    date_start = fields.Datetime("Started", required=True)
    date_end = fields.Datetime("Finished", index=True)
    user_id = fields.Many2one("res.users", "Done By", index=True)
    outcome = fields.Selection(OUTCOMES)
    note = fields.Text()
    sla_minutes = fields.Float(
        "Service Standard (min)", help="Working minutes allowed for this visit of the step."
    )
    deadline = fields.Datetime(index=True)
    worked_minutes = fields.Float(
        "Working Time (min)",
        aggregator="avg",
        help="Working minutes the step took, on the office calendar.",
    )
    is_late = fields.Boolean("Late", index=True)
    on_time_pct = fields.Float(
        "On Time (%)", aggregator="avg", help="100 when finished by its deadline, else 0."
    )
    escalated_date = fields.Datetime("Escalated On")

    def write(self, vals):
        if any(step.date_end for step in self):
            raise UserError(self.env._("A finished step is part of the record and cannot change."))
        return super().write(vals)

    def _close(self, outcome, note, when, calendar):
        """Finish the open step with who did what and how long it took in working time;
        a step is closed exactly once."""
        if not self:
            return
        self.ensure_one()
        span = (self.date_start, when)
        late = self.is_late or bool(self.deadline and when > self.deadline)
        vals = {
            "date_end": when,
            "user_id": self.env.user.id,
            "outcome": outcome,
            "note": note or False,
            "worked_minutes": calendar._ki_working_minutes([span])[span],
            "is_late": late,
            "on_time_pct": 0 if late else 100,
        }
        self.sudo().write(self._chain_seal_vals(vals))

    @api.model
    def _cron_check_sla(self):
        """Mark the open steps that passed their deadline as late and escalate each once:
        a note on the file and one e-mail per superior listing their late files. The
        cost does not grow with the number of late steps."""
        now = fields.Datetime.now()
        late = self.search(
            [("date_end", "=", False), ("deadline", "<", now), ("escalated_date", "=", False)]
        )
        if not late:
            return
        late.write({"is_late": True, "escalated_date": now})
        late._escalate()

    def _escalate(self):
        superiors = self._superiors()
        calendar = self.env.company.sudo()._ki_calendar()
        office = self.with_context(lang=self.env.company.partner_id.lang)
        bodies = {}
        per_superior = defaultdict(list)
        for step in self:
            targets = superiors.get(STATE[step.state].role, self.env["res.users"])
            bodies[step.permohonan_id.id] = office._escalation_note(step, targets, calendar)
            for user in targets:
                per_superior[user].append(step)
        self.permohonan_id._message_log_batch(
            bodies=bodies, author_id=self.env.ref("base.partner_root").id
        )
        # one notification per superior, listing their late files
        for user, steps in per_superior.items():
            self.with_context(lang=user.lang)._notify_superior(user, steps, calendar)

    def _superiors(self):
        """role -> the users a late step of that role is escalated to."""
        permohonan = self.env["ki.permohonan"]
        return {role: permohonan._role_users(superior) for role, superior in SUPERIORS.items()}

    def _escalation_note(self, step, targets, calendar):
        if not targets:  # the applicant's own step: late, but nobody to escalate to
            return Markup("<p>%s</p>") % self.env._(
                "Step %(step)s is late: its deadline was %(deadline)s.",
                step=self._state_label(step.state),
                deadline=step._local_deadline(calendar),
            )
        return Markup("<p>%s</p>") % self.env._(
            "Step %(step)s is late: its deadline was %(deadline)s. Escalated to %(users)s.",
            step=self._state_label(step.state),
            deadline=step._local_deadline(calendar),
            users=", ".join(targets.mapped("name")),
        )

    def _notify_superior(self, user, steps, calendar):
        rows = Markup("").join(
            Markup('<li><a href="%s">%s</a>: %s, %s %s</li>')
            % (
                step.permohonan_id._notify_get_action_link("view"),
                step.permohonan_id.display_name,
                self._state_label(step.state),
                self.env._("deadline"),
                step._local_deadline(calendar),
            )
            for step in steps
        )
        self.env["mail.thread"].sudo().with_context(mail_notify_force_send=False).message_notify(
            partner_ids=user.partner_id.ids,
            subject=self.env._("Late SOP steps: %(count)s application(s)", count=len(steps)),
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (self.env._("These applications passed the deadline of their SOP step:"), rows),
            author_id=self.env.ref("base.partner_root").id,
        )

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def _local_deadline(self, calendar=None):
        """The deadline as the office reads it: in the calendar's timezone."""
        if not self.deadline:
            return ""
        calendar = calendar or self.env.company.sudo()._ki_calendar()
        return fields.Datetime.context_timestamp(
            self.with_context(tz=calendar.tz), self.deadline
        ).strftime("%d/%m/%Y %H:%M")
