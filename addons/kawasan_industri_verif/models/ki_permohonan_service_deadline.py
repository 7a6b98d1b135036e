"""The deadline of the whole file (perkiraan selesai): the sum of the SOP's service standards,
counted in working time from the submission, without the time the file spends with the
applicant for correction. Which files are at risk of missing it (what is left of it is less
than the work left at the standards' pace), and its escalation, once, to the Head of Office.

The clock runs on the office calendar from the submission; a return to the applicant stops
it and the resubmission starts it again with what was left. Between the two, the office
holds the file without a pause, so the deadline is set at the submission and at each
resubmission; the moment the file becomes at risk is set at each transition."""

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError

from .ki_permohonan import OFFICE
from .sop import APPLICANT, KADIS, STATE, STATES

# The states whose service standards make the file's: steps 2 to 9 (the correction of a
# return is the applicant's time, not the office's service).
SERVICE_STATES = tuple(s.key for s in STATES if s.step and s.step > 1 and s.key != "returned")
# The states in which the office holds the file: only there can it be at risk or late.
OFFICE_STATES = tuple(s.key for s in STATES if s.role not in (None, APPLICANT))
CLOCK_FIELDS = {"file_deadline", "file_risk_date", "file_escalated_date", "origin_id"}


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    file_deadline = fields.Datetime(
        "Completion Deadline",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Perkiraan selesai: the sum of the service standards of the SOP's steps, in "
        "working time from the submission, without the time the application is with the "
        "applicant for correction.",
    )
    file_risk_date = fields.Datetime(
        "At Risk From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=OFFICE,
        help="From this moment, what is left of the file's service standard is less than "
        "the work left at the standards' pace.",
    )
    file_escalated_date = fields.Datetime(
        "Completion Deadline Escalated On", readonly=True, copy=False, groups=OFFICE
    )
    file_deadline_label = fields.Char(
        "Estimated Completion",
        compute="_compute_file_deadline_label",
        compute_sudo=True,
        help="Perkiraan selesai, in the office's time zone.",
    )
    file_status = fields.Selection(
        [("ok", "On Schedule"), ("risk", "At Risk"), ("late", "Past Completion Deadline")],
        "Completion Status",
        compute="_compute_file_status",
        compute_sudo=True,
    )
    file_at_risk = fields.Boolean(
        "At Risk",
        compute="_compute_file_status",
        compute_sudo=True,
        search="_search_file_at_risk",
        help="Held by the office, and what is left of the file's service standard is less "
        "than the work left at the standards' pace (or nothing is left).",
    )
    file_time_left = fields.Char(
        "Standard Left",
        compute="_compute_file_time_left",
        compute_sudo=True,
        help="Working time left before the estimated completion.",
    )
    file_work_left = fields.Char(
        "Work Left at Standard Pace",
        compute="_compute_file_time_left",
        compute_sudo=True,
        help="What is left of the current step's standard plus the standards of the steps "
        "after it.",
    )

    @api.depends("file_deadline", "state")
    @api.depends_context("lang")
    def _compute_file_deadline_label(self):
        company = self.env.company
        for rec in self:
            if rec.state == "returned":
                rec.file_deadline_label = self.env._("paused while with the applicant")
            else:
                rec.file_deadline_label = company._ki_format_datetime(rec.file_deadline)

    @api.depends("file_deadline", "file_risk_date", "state")
    def _compute_file_status(self):
        now = fields.Datetime.now()
        for rec in self:
            status = False
            if rec.state in OFFICE_STATES and rec.file_deadline:
                if now > rec.file_deadline:
                    status = "late"
                elif rec.file_risk_date and rec.file_risk_date <= now:
                    status = "risk"
                else:
                    status = "ok"
            rec.file_status = status
            rec.file_at_risk = status in ("risk", "late")

    def _search_file_at_risk(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on the risk of a file."))
        now = fields.Datetime.now()
        at_risk = [("state", "in", OFFICE_STATES), ("file_risk_date", "<=", now)]
        if (operator == "=") == value:
            return at_risk
        return ["!", "&", *at_risk]

    @api.depends("file_deadline", "state", "current_step_id.deadline")
    @api.depends_context("lang")
    def _compute_file_time_left(self):
        now = fields.Datetime.now()
        calendar = self.env.company._ki_calendar()
        spans = {}
        for rec in self:
            if rec.state in OFFICE_STATES and rec.file_deadline:
                step_end = max(rec.current_step_id.deadline or now, now)
                spans[rec.id] = ((now, max(now, rec.file_deadline)), (now, step_end))
        minutes = calendar._ki_working_minutes([span for pair in spans.values() for span in pair])
        for rec in self:
            if rec.id not in spans:
                rec.file_time_left = rec.file_work_left = False
                continue
            left, step_left = spans[rec.id]
            work = minutes[step_left] + rec._file_minutes_after(rec.state, calendar)
            rec.file_time_left = rec._format_working_minutes(minutes[left], calendar)
            rec.file_work_left = rec._format_working_minutes(work, calendar)

    def _portal_status_dates(self):
        """The public lookup also says when the service is due while the office holds it."""
        dates = super()._portal_status_dates()
        record = self.sudo()
        if record.state in OFFICE_STATES and record.file_deadline:
            dates.append((self.env._("Estimated Completion"), record.file_deadline))
        return dates

    # ------------------------------------------------------------------ the clock

    @api.model
    def _file_standard_minutes(self, calendar):
        """The file's service standard: the sum of its steps', in working minutes."""
        step = self.env["ki.sop.step"]
        return sum(step._sla_minutes_for(state, calendar) for state in SERVICE_STATES)

    @api.model
    def _file_minutes_after(self, state, calendar):
        """The standards of the steps after `state`'s, in working minutes."""
        step = self.env["ki.sop.step"]
        number = STATE[state].step
        return sum(
            step._sla_minutes_for(key, calendar)
            for key in SERVICE_STATES
            if STATE[key].step > number
        )

    def _move(self, transition, note, vals=None, responsible=None):
        result = super()._move(transition, note, vals=vals, responsible=responsible)
        self.sudo()._file_clock_update(transition)
        return result

    def _file_clock_update(self, transition):
        """After a transition: the file's deadline when it is (re)submitted, and the moment
        it becomes at risk while the office holds it."""
        self.ensure_one()
        if self.state not in SERVICE_STATES:
            if self.file_risk_date:
                self.write({"file_risk_date": False})
            return
        calendar = self.env.company._ki_calendar()
        now = fields.Datetime.now()
        vals = {}
        if transition.outcome in ("submitted", "resubmitted") or not self.file_deadline:
            closed = self.step_ids.filtered(lambda s: s.date_end and s.state in SERVICE_STATES)
            used = sum(closed.mapped("worked_minutes"))
            left = self._file_standard_minutes(calendar) - used
            vals["file_deadline"] = calendar._ki_deadline(now, left)
        deadline = vals.get("file_deadline", self.file_deadline)
        risk_date = False
        if self.state in OFFICE_STATES:
            # at risk once the work left at standard pace no longer fits: at once when this
            # step's own deadline leaves too little for the steps after it, otherwise when
            # the time runs past the latest end of this step that still fits
            after = self._file_minutes_after(self.state, calendar)
            latest_end = calendar._ki_deadline(deadline, -after) if after else deadline
            step_end = self.current_step_id.deadline or now
            risk_date = latest_end if step_end <= latest_end else now
        vals["file_risk_date"] = risk_date
        self.write(vals)

    def _check_field_write(self, fnames):
        if fnames & CLOCK_FIELDS:
            raise AccessError(
                self.env._(
                    "The state, numbers, dates and signature of an application change only "
                    "through its workflow actions."
                )
            )
        return super()._check_field_write(fnames)

    # ------------------------------------------------------------------ escalation

    @api.model
    def _escalate_late_files(self):
        """Escalate each file the office holds past its estimated completion, once: a note
        on the file and one e-mail per Head of Office listing their files."""
        now = fields.Datetime.now()
        late = self.sudo().search(
            [
                ("state", "in", OFFICE_STATES),
                ("file_deadline", "<", now),
                ("file_escalated_date", "=", False),
            ]
        )
        if not late:
            return
        late.write({"file_escalated_date": now})
        heads = self._role_users(KADIS)
        company = self.env.company
        office = late.with_context(lang=company.partner_id.lang)
        bodies = {
            rec.id: Markup("<p>%s</p>")
            % office.env._(
                "The application passed its estimated completion (%(deadline)s), the sum of "
                "the service standards. Escalated to %(users)s.",
                deadline=company._ki_format_datetime(rec.file_deadline),
                users=", ".join(heads.mapped("name")) or "-",
            )
            for rec in late
        }
        late._message_log_batch(bodies=bodies, author_id=self.env.ref("base.partner_root").id)
        for user in heads:  # one e-mail each, listing the files
            late.with_context(lang=user.lang)._notify_late_files(user)

    def _notify_late_files(self, user):
        company = self.env.company
        rows = Markup("").join(
            Markup('<li><a href="%s">%s</a>: %s, %s %s</li>')
            % (
                rec._notify_get_action_link("view"),
                rec.display_name,
                rec._state_label(),
                self.env._("estimated completion"),
                company._ki_format_datetime(rec.file_deadline),
            )
            for rec in self
        )
        self.env["mail.thread"].sudo().with_context(mail_notify_force_send=False).message_notify(
            partner_ids=user.partner_id.ids,
            subject=self.env._(
                "Applications past their estimated completion: %(count)s", count=len(self)
            ),
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "These applications passed the sum of their service standards, the "
                    "office's promise to the applicant:"
                ),
                rows,
            ),
            author_id=self.env.ref("base.partner_root").id,
        )
