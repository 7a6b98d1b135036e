"""What an officer sees first: their task list as the home of the app, the note of a return
as a banner on the file, and the step's countdown only when the step is the office's."""

from odoo import api, fields, models

from .sop import ADMIN, APPLICANT, ROLE_GROUPS, STATE

ACTION_MY_TASKS = "kawasan_industri_verif.ki_permohonan_action_my"
ACTION_ALL = "kawasan_industri_verif.ki_permohonan_action"
# outcomes of a hand-over that came back: the note says what to do again
HANDOVER_BANNERS = ("returned", "resubmitted")


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    handover_banner = fields.Text(
        "Returned With",
        compute="_compute_handover_banner",
        compute_sudo=True,
        help="When the file came back to its holder: who sent it back, when and why.",
    )
    sla_is_office = fields.Boolean(
        "Office's Step",
        compute="_compute_sla_is_office",
        help="Whether the current step is the office's; the applicant's own steps show no "
        "countdown to the officers.",
    )

    @api.depends("current_step_id", "step_ids.outcome")
    def _compute_handover_banner(self):
        for rec in self:
            previous = rec.step_ids.filtered("date_end").sorted("id")[-1:]
            if previous.outcome in HANDOVER_BANNERS:
                rec.handover_banner = rec._handover_text(previous)
            else:
                rec.handover_banner = False

    @api.depends("state")
    def _compute_sla_is_office(self):
        for rec in self:
            rec.sla_is_office = STATE[rec.state].role not in (None, APPLICANT)

    def _handover_text(self, step):
        when = self._format_datetime(step.date_end)
        if step.outcome == "resubmitted":
            if not step.note:
                return self.env._("The applicant resubmitted the file on %(date)s.", date=when)
            return self.env._(
                "The applicant resubmitted the file on %(date)s: %(note)s",
                date=when,
                note=step.note,
            )
        return self.env._(
            "Returned by %(user)s on %(date)s: %(note)s",
            user=step.user_id.name,
            date=when,
            note=step.note or "",
        )

    @api.model
    def _ki_home_action(self):
        """The app's home: the officer's task list, or every application in progress for
        the roles that act on no step (auditor, administrator)."""
        acts = any(
            self.env.user.has_group(group) for role, group in ROLE_GROUPS.items() if role != ADMIN
        )
        xmlid = ACTION_MY_TASKS if acts else ACTION_ALL
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)
