"""The applicant's correction period: a returned application must come back within the
period the office sets (Settings), and the applicant is reminded before it ends. When it
ends, the scheduled action closes the file as lapsed (a transition of the SOP table); a
lapsed file takes no resubmission, but its applicant can start a new application from it
with its data and its documents."""

import logging
from datetime import timedelta

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .ki_permohonan import APPLICANT_FORM_FIELDS
from .sop import APPLICANT

_logger = logging.getLogger(__name__)

REMINDER_TEMPLATE = "kawasan_industri_verif.mail_template_ki_correction_reminder"


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    origin_id = fields.Many2one(
        "ki.permohonan",
        "Started From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The lapsed application this one was started from, with its data and documents.",
    )
    renewal_ids = fields.One2many("ki.permohonan", "origin_id", "Started Again As")
    correction_deadline = fields.Datetime(
        "Correct By",
        compute="_compute_correction_deadline",
        compute_sudo=True,
        help="The end of the applicant's correction period: a returned application that is "
        "not resubmitted by then is closed as lapsed.",
    )
    correction_deadline_text = fields.Char(
        "Correct By (Office Time)", compute="_compute_correction_deadline", compute_sudo=True
    )

    @api.depends("state", "step_ids.deadline")
    def _compute_correction_deadline(self):
        company = self.env.company
        for rec in self:
            rec.correction_deadline = rec._correction_step().deadline
            rec.correction_deadline_text = company._ki_format_datetime(
                rec.correction_deadline, long=True
            )

    def _correction_step(self):
        """The last visit of `returned`: the current one while returned, the one that
        ended the file once lapsed."""
        self.ensure_one()
        if self.state not in ("returned", "lapsed"):
            return self.env["ki.permohonan.step"]
        returns = self.sudo().step_ids.filtered(lambda s: s.state == "returned")
        return returns.sorted("id")[-1:]

    # ------------------------------------------------------------------ the period

    def _prepare_step_sla(self, state, start, previous, calendar):
        """A return gives the applicant the correction period of the settings: a deadline,
        but no service standard of the office (its reports leave the applicant's time out)."""
        if state != "returned":
            return super()._prepare_step_sla(state, start, previous, calendar)
        company = self.env.company
        _minutes, deadline = self.env["ki.sop.step"]._plan(
            company.ki_correction_days, company.ki_correction_unit, start, calendar
        )
        return {"deadline": deadline}

    def action_submit(self, note=None):
        """A returned file whose correction period has ended is no longer resubmitted, even
        before the scheduled action closes it."""
        for rec in self:
            rec._check_reachable()
            deadline = rec.correction_deadline
            if rec.state == "returned" and deadline and fields.Datetime.now() >= deadline:
                raise UserError(
                    self.env._(
                        "The correction period of this application ended on %(deadline)s: it "
                        "can no longer be resubmitted. Start a new application from it.",
                        deadline=self.env.company._ki_format_datetime(deadline),
                    )
                )
        return super().action_submit(note=note)

    def _reminder_moments(self, deadline):
        """{days before the end: the moment of that reminder} for the settings' reminders,
        counted in the correction period's unit."""
        company = self.env.company
        calendar = company._ki_calendar()
        per_day = calendar.hours_per_day * 60
        moments = {}
        for days in company._ki_reminder_days():
            if company.ki_correction_unit == "calendar_days":
                moments[days] = deadline - timedelta(days=days)
            else:
                moments[days] = calendar._ki_deadline(deadline, -days * per_day)
        return moments

    # ------------------------------------------------------------------ the scheduled action

    @api.model
    def _cron_correction_periods(self):
        """Remind the applicants whose correction period ends soon (each reminder once) and
        close as lapsed the files whose period has ended."""
        now = fields.Datetime.now()
        steps = (
            self.env["ki.permohonan.step"]
            .sudo()
            .search(
                [("state", "=", "returned"), ("date_end", "=", False), ("deadline", "!=", False)]
            )
        )
        for step in steps:
            permohonan = step.permohonan_id.sudo().with_context(mail_notify_force_send=False)
            if permohonan.state != "returned":
                continue
            try:
                with self.env.cr.savepoint():
                    if step.deadline <= now:
                        permohonan.action_lapse()
                    else:
                        permohonan._send_correction_reminder(step, now)
            except UserError as error:
                # e.g. the applicant is resubmitting at this moment: the next run decides
                _logger.info("Correction period of %s not handled now: %s", permohonan, error)

    def _send_correction_reminder(self, step, now):
        """The reminder due now, if one is and it has not been sent: one mail even when
        several are due at once (the cron did not run for a while)."""
        sent = {int(day) for day in (step.ki_reminders_sent or "").split(",") if day}
        due = [
            days
            for days, moment in self._reminder_moments(step.deadline).items()
            if moment and moment <= now and days not in sent
        ]
        if not due:
            return
        step.write({"ki_reminders_sent": ",".join(str(day) for day in sorted(sent | set(due)))})
        self.message_post_with_source(REMINDER_TEMPLATE, subtype_xmlid="mail.mt_comment")

    def action_lapse(self):
        """The correction period ended before the applicant resubmitted: the scheduled action
        closes the file (no one else may), with the period's end in the step's note."""
        transition = self._begin("action_lapse")
        deadline = self.correction_deadline
        if not deadline or fields.Datetime.now() < deadline:
            raise UserError(self.env._("The correction period of this application has not ended."))
        company = self.env.company
        office = self.with_context(lang=company._ki_lang())
        note = office.env._(
            "The correction period ended on %(deadline)s without a resubmission.",
            deadline=company._ki_format_datetime(deadline),
        )
        return self._move(transition, note)

    # ------------------------------------------------------------------ starting again

    @api.returns("self", lambda value: value.id)
    def action_reapply(self):
        """The applicant starts a new draft from a lapsed application: its data, and each of
        its documents as the first version of the new file (a new frozen copy of the same
        bytes, never the old attachment). A document the verifier refused is not copied:
        it must be uploaded again. Returns the new application."""
        self.ensure_one()
        self._check_reachable()
        if not self._is_actor(APPLICANT):
            raise AccessError(
                self.env._("Only the applicant can start a new application from this one.")
            )
        self._lock()
        if self.state != "lapsed":
            raise UserError(
                self.env._("Only a lapsed application can be started again as a new one.")
            )
        renewal = self.sudo().renewal_ids[:1]
        if renewal:
            raise UserError(
                self.env._(
                    "A new application was already started from this one: %(name)s.",
                    name=renewal.display_name,
                )
            )
        vals = {fname: self[fname] for fname in APPLICANT_FORM_FIELDS}
        vals = {
            fname: value.id if isinstance(value, models.BaseModel) else value
            for fname, value in vals.items()
        }
        new = self.browse().create(dict(vals, partner_id=self.partner_id.id))
        new.sudo().write({"origin_id": self.id})
        copied = self.env["ki.permohonan.document"]
        for document in self.sudo().document_ids:
            if document.status == "invalid" or not document.document_type_id.active:
                continue
            try:
                with self.env.cr.savepoint():
                    new.action_upload_document(
                        document.document_type_id.id,
                        document.file_name,
                        document.attachment_id.raw,
                    )
            except UserError as error:  # the checklist's rules changed since: upload again
                _logger.info("Document %s not copied to %s: %s", document, new, error)
            else:
                copied |= document
        office = self.sudo().with_context(lang=self.env.company._ki_lang())
        office.message_post(
            body=Markup("<p>%s</p>")
            % office.env._(
                "A new application was started from this one: %(name)s.",
                name=new.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        new.sudo().with_context(lang=office.env.lang).message_post(
            body=Markup("<p>%s</p>")
            % office.env._(
                "Started from the lapsed application %(name)s: %(count)s document(s) copied.",
                name=self.display_name,
                count=len(copied),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return new
