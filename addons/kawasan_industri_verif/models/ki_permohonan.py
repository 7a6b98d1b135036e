"""The application file, moved through the SOP's states by the transitions of models/sop.py."""

import base64
import hashlib
import re
import secrets
import uuid

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.mail import single_email_re
from psycopg2.errors import LockNotAvailable

from .sop import (
    ACTIONS,
    APPLICANT,
    APPLICATION,
    CLOSED_STATES,
    DRAFT,
    KABID,
    KADIS,
    ROLE_GROUPS,
    ROLE_LABELS,
    SEKRETARIAT,
    STATE,
    STATE_SELECTION,
    SYSTEM,
    TIM_TEKNIS,
    transitions_of,
)

# The applicant's data in the order of the portal form; the company is always their own.
APPLICANT_FORM_FIELDS = (
    "application_letter_number",
    "application_letter_date",
    "nib",
    "npwp",
    "oss_request_number",
    "pic_name",
    "pic_position",
    "pic_phone",
    "pic_email",
    "estate_name",
    "estate_type",
    "province_id",
    "regency",
    "district",
    "village",
    "street",
    "area_ha",
    "planned_sectors",
    "share_industrial",
    "share_green",
    "share_road",
    "share_other",
)
SHARE_FIELDS = ("share_industrial", "share_green", "share_road", "share_other")
# What a submission needs besides the land-use shares and the required documents.
SUBMIT_REQUIRED_FIELDS = (
    "application_letter_number",
    "application_letter_date",
    "nib",
    "npwp",
    "pic_name",
    "estate_name",
    "province_id",
    "regency",
    "street",
    "area_ha",
)
# What `_field_problems` checks.
CHECKED_FIELDS = ("application_letter_date", "nib", "npwp", "pic_email", "area_ha", *SHARE_FIELDS)
# Who may write which fields outside the transitions (anyone else: only the transitions).
APPLICANT_FIELDS = {"partner_id", *APPLICANT_FORM_FIELDS}
DRAFT_FIELDS = {"decision", "decision_reason", "evaluation_summary"}
WORKFLOW_FIELDS = {
    "state",
    "name",
    "agenda_number",
    "lookup_code",
    "letter_number",
    "submit_date",
    "receive_date",
    "verifier_ids",
    "current_step_id",
    "responsible_user_ids",
    "signer_id",
    "signer_name",
    "signer_nip",
    "signer_position",
    "signer_rank",
    "signed_date",
    "publish_date",
    "download_date",
    "cancel_reason",
    "sla_deadline",
    "sla_late",
}
OFFICE = "kawasan_industri_verif.group_ki_user"
# Officers chosen in the settings for a role (else every member of the role's group).
ROLE_DESK_FIELDS = {
    SEKRETARIAT: "ki_sekretariat_user_ids",
    KADIS: "ki_kadis_user_id",
    KABID: "ki_kabid_user_id",
}
URGENCIES = [("biasa", "Normal"), ("segera", "Urgent"), ("sangat_segera", "Very Urgent")]
# no 0/O or 1/I: the code is read from paper and typed by hand
LOOKUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class KiPermohonan(models.Model):
    _name = "ki.permohonan"
    _description = "Industrial Estate Technical Verification Application"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "estate_name", "partner_id"]

    def _default_partner(self):
        if self.env.user.share:
            return self.env.user.partner_id.commercial_partner_id
        return False

    name = fields.Char(
        "Registration Number", readonly=True, copy=False, index="trigram", tracking=True
    )
    state = fields.Selection(
        STATE_SELECTION,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    agenda_number = fields.Char(readonly=True, copy=False, tracking=True)
    lookup_code = fields.Char(
        "Verification Code",
        readonly=True,
        copy=False,
        help="Printed on the receipt: with the registration number, anyone can look up the "
        "application's status without logging in.",
    )
    letter_number = fields.Char("Outgoing Letter Number", readonly=True, copy=False, tracking=True)
    submit_date = fields.Datetime("Submitted On", readonly=True, copy=False)
    receive_date = fields.Datetime("Received On", readonly=True, copy=False)

    # Applicant and estate
    partner_id = fields.Many2one(
        "res.partner",
        "Company",
        required=True,
        index=True,
        default=_default_partner,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    # The SOP's input of step 1 is the company's own letter (Surat Permohonan): the office's
    # answer cites its number and date.
    application_letter_number = fields.Char(
        "Number of the Application Letter", help="As on the company's own letter."
    )
    application_letter_date = fields.Date("Date of the Application Letter")
    nib = fields.Char("NIB", help="Nomor Induk Berusaha (13 digits), issued by OSS.")
    npwp = fields.Char("NPWP", help="Company tax number (15 or 16 digits).")
    oss_request_number = fields.Char("OSS Request Number")
    pic_name = fields.Char("Person in Charge")
    pic_position = fields.Char("Position of the Person in Charge")
    pic_phone = fields.Char("Phone of the Person in Charge")
    pic_email = fields.Char("Email of the Person in Charge")
    estate_name = fields.Char(tracking=True)
    estate_type = fields.Selection(
        [("general", "Industrial Estate"), ("ikm", "Small and Medium Industry Estate")],
        default="general",
        required=True,
    )
    province_id = fields.Many2one("res.country.state", domain="[('country_id.code', '=', 'ID')]")
    regency = fields.Char("Regency / City")
    district = fields.Char()
    village = fields.Char()
    street = fields.Char("Address")
    area_ha = fields.Float("Area (ha)", digits=(12, 4))
    planned_sectors = fields.Text("Planned Industry Sectors")
    share_industrial = fields.Float("Industrial Plots (%)", digits=(5, 2))
    share_green = fields.Float("Green Open Space (%)", digits=(5, 2))
    share_road = fields.Float("Roads and Drainage (%)", digits=(5, 2))
    share_other = fields.Float("Other Facilities (%)", digits=(5, 2))
    share_total = fields.Float("Total (%)", compute="_compute_share_total", digits=(5, 2))

    # Office handling
    verifier_ids = fields.Many2many(
        "res.users", "ki_permohonan_verifier_rel", "permohonan_id", "user_id", "Verifiers"
    )
    responsible_user_ids = fields.Many2many(
        "res.users",
        "ki_permohonan_responsible_rel",
        "permohonan_id",
        "user_id",
        "Responsible",
        help="The officers who must act on the file in its current step.",
    )
    current_step_id = fields.Many2one("ki.permohonan.step", readonly=True, groups=OFFICE)
    step_ids = fields.One2many("ki.permohonan.step", "permohonan_id", "Steps", groups=OFFICE)
    disposisi_ids = fields.One2many("ki.disposisi", "permohonan_id", "Dispositions")
    document_ids = fields.One2many(
        "ki.permohonan.document",
        "permohonan_id",
        "Documents",
        domain=[("is_latest", "=", True)],
    )
    document_version_ids = fields.One2many(
        "ki.permohonan.document", "permohonan_id", "All Document Versions"
    )

    # Decision draft, then the signed letter
    # The draft is the office's until it is published: the applicant reads the decision
    # in the published letter, never before (field-level, over RPC too).
    decision = fields.Selection(
        [("approve", "Approval"), ("reject", "Rejection")],
        tracking=True,
        copy=False,
        groups=OFFICE,
    )
    decision_reason = fields.Text("Reasons", copy=False, groups=OFFICE)
    evaluation_summary = fields.Text(copy=False, groups=OFFICE)
    signer_id = fields.Many2one("res.users", "Signed By", readonly=True, copy=False)
    signer_name = fields.Char(readonly=True, copy=False)
    signer_nip = fields.Char("Signer NIP", readonly=True, copy=False)
    signer_rank = fields.Char("Signer Rank and Grade", readonly=True, copy=False)
    signer_position = fields.Char(
        "Signature Title",
        readonly=True,
        copy=False,
        help="The lines above the signature, with a.n., Plt. or Plh. when someone signs for "
        "the Head of Office.",
    )
    signed_date = fields.Datetime("Signed On", readonly=True, copy=False)
    publish_date = fields.Datetime("Published On", readonly=True, copy=False)
    download_date = fields.Datetime("Downloaded On", readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)

    return_note = fields.Text(
        "What to Fix",
        compute="_compute_return_note",
        compute_sudo=True,
        help="The technical team's note when it last returned the file to the applicant.",
    )

    # Deadline of the current step (working time) and how it stands
    sla_deadline = fields.Datetime(
        "Deadline", related="current_step_id.deadline", store=True, index=True
    )
    sla_late = fields.Boolean("Late", related="current_step_id.is_late", store=True, index=True)
    sla_status = fields.Selection(
        [("ok", "On Time"), ("warning", "Due Soon"), ("late", "Late")],
        "Deadline Status",
        compute="_compute_sla_status",
        compute_sudo=True,
    )
    sla_label = fields.Char("Time Left", compute="_compute_sla_status", compute_sudo=True)

    # What the current user may do, for the views (the server checks again on every action)
    allowed_actions = fields.Json(
        compute="_compute_allowed_actions",
        help="The transitions of the SOP table the current user may run on the file now.",
    )
    can_edit_applicant = fields.Boolean(compute="_compute_allowed_actions")
    can_edit_draft = fields.Boolean(compute="_compute_allowed_actions")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The registration number must be unique."),
        ("agenda_number_uniq", "unique(agenda_number)", "The agenda number must be unique."),
        ("letter_number_uniq", "unique(letter_number)", "The letter number must be unique."),
    ]

    @api.constrains(*CHECKED_FIELDS)
    def _check_fields(self):
        for rec in self:
            values = {fname: rec[fname] for fname in CHECKED_FIELDS}
            problems = rec._field_problems(values)
            if problems:
                raise ValidationError("\n".join(problems.values()))

    @api.depends("share_industrial", "share_green", "share_road", "share_other")
    def _compute_share_total(self):
        for rec in self:
            rec.share_total = sum(rec[fname] for fname in SHARE_FIELDS)

    @api.depends("state", "verifier_ids", "partner_id")
    @api.depends_context("uid")
    def _compute_allowed_actions(self):
        for rec in self:
            rec.allowed_actions = [action for action in ACTIONS if rec._may(action)]
            rec.can_edit_applicant = rec._may_edit(APPLICATION)
            rec.can_edit_draft = rec._may_edit(DRAFT)

    @api.depends("step_ids.outcome")
    def _compute_return_note(self):
        for rec in self:
            returns = rec.sudo().step_ids.filtered(
                lambda s: s.state == "verification" and s.outcome == "returned"
            )
            rec.return_note = returns.sorted("id")[-1:].note

    @api.depends("current_step_id.deadline", "current_step_id.sla_minutes")
    def _compute_sla_status(self):
        """Working time left before the current step's deadline, or past it: green, amber
        in the last fifth of the service standard, red when late."""
        now = fields.Datetime.now()
        calendar = self.env.company.sudo()._ki_calendar()  # applicants see their deadline too
        spans = {}
        for rec in self:
            deadline = rec.current_step_id.deadline
            if deadline:
                spans[rec.id] = (min(now, deadline), max(now, deadline))
        minutes = calendar._ki_working_minutes(spans.values())
        for rec in self:
            span = spans.get(rec.id)
            if not span:
                rec.sla_status = rec.sla_label = False
                continue
            duration = rec._format_working_minutes(minutes[span], calendar)
            if now > rec.current_step_id.deadline:
                rec.sla_status = "late"
                rec.sla_label = self.env._("%(duration)s late", duration=duration)
            else:
                warning = minutes[span] <= rec.current_step_id.sla_minutes / 5
                rec.sla_status = "warning" if warning else "ok"
                rec.sla_label = self.env._("%(duration)s left", duration=duration)

    def _compute_access_url(self):
        for rec in self:
            rec.access_url = f"/my/permohonan/{rec.id}"

    @api.depends("name", "estate_name")
    def _compute_display_name(self):
        for rec in self:
            label = rec.name or self.env._("Draft")
            rec.display_name = f"{label} - {rec.estate_name}" if rec.estate_name else label

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_field_write(set(vals))
        for vals in vals_list:
            # the portal link exists from the start: the applicant's pages are read-only
            # routes, and their first visit has nothing to write
            vals.setdefault("access_token", str(uuid.uuid4()))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_field_write(set(vals))
            # the record rules judge the file as it was: an applicant must not hand it over
            own_company = self.env.user.partner_id.commercial_partner_id
            if self.env.user.share and vals.get("partner_id", own_company.id) != own_company.id:
                raise AccessError(
                    self.env._("An application always belongs to the applicant's own company.")
                )
        return super().write(vals)

    # ------------------------------------------------------------------ transitions

    def action_submit(self, note=None):
        """Step 1 (or the answer to a return): the applicant sends the file to the office."""
        transition = self._begin("action_submit", note)
        problems = self._submit_problems()
        if problems:
            raise ValidationError(
                self.env._("The application cannot be submitted yet:")
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems.values())
            )
        vals = {}
        if self.state == "draft":
            vals["submit_date"] = fields.Datetime.now()
            # the applicant follows the file: the office's mails and replies reach them
            self.sudo().message_subscribe(partner_ids=self.env.user.partner_id.ids)
        if not self.name:
            vals["name"] = self._next_number("registration")
            vals["lookup_code"] = "".join(secrets.choice(LOOKUP_CODE_ALPHABET) for _ in range(8))
        return self._move(transition, note, vals)

    def action_receive(self, note=None):
        """Step 2: the Sekretariat registers the file (agenda number) and sends it up."""
        transition = self._begin("action_receive", note)
        vals = {
            "agenda_number": self._next_number("agenda"),
            "receive_date": fields.Datetime.now(),
        }
        return self._move(transition, note, vals)

    def action_dispose_to_kabid(
        self,
        recipient_ids=None,
        instruction_ids=None,
        urgency="biasa",
        note=None,
        confidential=False,
    ):
        """Step 3: the Head of Office disposes the file to the Division Head(s)."""
        transition = self._begin("action_dispose_to_kabid", note)
        recipients = self._disposition_recipients(recipient_ids, transition)
        self._move(transition, note, responsible=recipients)
        self._create_disposition(recipients, instruction_ids, urgency, note, confidential)
        return True

    def action_dispose_to_team(
        self,
        recipient_ids=None,
        instruction_ids=None,
        urgency="biasa",
        note=None,
        confidential=False,
    ):
        """Step 4: the Division Head names the verifiers of the technical team."""
        transition = self._begin("action_dispose_to_team", note)
        recipients = self._disposition_recipients(recipient_ids, transition)
        self._move(transition, note, {"verifier_ids": [(6, 0, recipients.ids)]})
        self._create_disposition(recipients, instruction_ids, urgency, note, confidential)
        return True

    def action_return_to_applicant(self, note=None):
        """Step 5, documents incomplete: back to the applicant, the clock paused."""
        return self._move(self._begin("action_return_to_applicant", note), note)

    def action_submit_draft(
        self, decision=None, decision_reason=None, evaluation_summary=None, note=None
    ):
        """Step 5 done: the team sends its evaluation and the decision draft for correction."""
        transition = self._begin("action_submit_draft", note)
        vals = self._prepare_draft_vals(decision, decision_reason, evaluation_summary)
        return self._move(transition, note, vals)

    def action_kabid_approve(
        self, decision=None, decision_reason=None, evaluation_summary=None, note=None
    ):
        """Step 6: the Division Head accepts the (corrected) draft for signature."""
        transition = self._begin("action_kabid_approve", note)
        vals = self._prepare_draft_vals(decision, decision_reason, evaluation_summary)
        return self._move(transition, note, vals)

    def action_kabid_return(self, note=None):
        """Step 6: the Division Head returns the draft to the team for correction."""
        return self._move(self._begin("action_kabid_return", note), note)

    def action_kadis_return(self, note=None):
        """Step 7: the Head of Office returns the draft to the Division Head."""
        return self._move(self._begin("action_kadis_return", note), note)

    def action_confirm_download(self):
        """Step 9: the applicant's first download of the letter closes the file."""
        transition = self._begin("action_confirm_download")
        return self._move(transition, None, {"download_date": fields.Datetime.now()})

    def action_cancel(self, reason=None):
        """The applicant withdraws before the decision is signed, or the administrator
        cancels with a reason."""
        transition = self._begin("action_cancel", reason)
        return self._move(transition, reason, {"cancel_reason": reason or False})

    def action_upload_document(self, document_type_id, filename, data):
        """Add a version of one checklist document; earlier versions stay for the office.
        `data` is the file's bytes, or base64 as over RPC: its size is checked first."""
        self.ensure_one()
        self._check_reachable()
        if not self._may_edit(APPLICATION):
            raise AccessError(
                self.env._(
                    "Only the applicant uploads documents, while the application is a draft "
                    "or returned for correction."
                )
            )
        document_type = self.env["ki.document.type"].browse(document_type_id).exists()
        if not document_type.active:
            raise UserError(self.env._("Unknown document type."))
        documents = self.env["ki.permohonan.document"].sudo()
        if isinstance(data, str):
            # never decode more than the type allows: base64 is 4 characters per 3 bytes
            documents._check_size(document_type, len(data) * 3 // 4 - data.count("=", -2))
            data = base64.b64decode(data)
        mimetype = documents._check_upload(document_type, data)
        self._lock()  # one version at a time per file: the versions are chained
        previous = documents.search(
            [
                ("permohonan_id", "=", self.id),
                ("document_type_id", "=", document_type.id),
                ("is_latest", "=", True),
            ]
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": documents._clean_filename(filename, mimetype),
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                    "ki_frozen": True,
                }
            )
        )
        previous.write({"is_latest": False})
        return documents.create(
            {
                "permohonan_id": self.id,
                "document_type_id": document_type.id,
                "attachment_id": attachment.id,
                "version": previous.version + 1,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        ).sudo(False)

    def action_open_transition_wizard(self):
        """Open the wizard that asks for the inputs of the transition in the context."""
        self.ensure_one()
        self._check_reachable()
        action = self.env.context.get("ki_action")
        if not any(transition.asks for transition in transitions_of(action)):
            raise UserError(self.env._("Unknown action."))
        wizard = self.env["ki.transition.wizard"]
        return {
            "type": "ir.actions.act_window",
            "name": dict(wizard._fields["action"]._description_selection(self.env))[action],
            "res_model": wizard._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_permohonan_id": self.id, "default_action": action},
        }

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Who follows a file is the workflow's business (the applicant at submission, each
        officer with their activity): a user who may not change the file follows nothing."""
        if not self.env.su:
            self.check_access("write")
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # an access token lets its holder read the file, never write in it as the company
        if mode != "read" and self.env.user._is_public():
            return self.browse()
        return super()._get_thread_with_access(thread_id, mode, **kwargs)

    # ------------------------------------------------------------------ rules

    def _check_reachable(self):
        """One answer for a file that does not exist and for one the user may not see, so
        that neither tells anything about the other."""
        if self.env.su:
            return
        if len(self) != len(self.exists()) or not self.has_access("read"):
            raise AccessError(self.env._("This application does not exist or is not yours."))

    def _is_actor(self, role):
        """Whether the current user plays `role` on this file (the superuser plays every role)."""
        if self.env.su:
            return True
        if role == SYSTEM:  # only the scheduled action, as the superuser
            return False
        user = self.env.user
        if role == APPLICANT:
            return user.share and (
                user.partner_id.commercial_partner_id == self.partner_id.commercial_partner_id
            )
        if not user.has_group(ROLE_GROUPS[role]):
            return False
        return role != TIM_TEKNIS or user in self.verifier_ids

    def _transition_for(self, action):
        """The row of the SOP table that lets the current user run `action` now, if any."""
        for transition in transitions_of(action):
            if self.state in transition.sources and self._is_actor(transition.role):
                return transition
        return None

    def _may(self, action):
        return bool(self._transition_for(action))

    def _may_edit(self, what):
        """Whether the current user may change the application data (APPLICATION) or the
        decision draft (DRAFT) outside the transitions: the holder of a state that allows it."""
        state = STATE[self.state]
        return state.edits == what and self._is_actor(state.role)

    def _check_field_write(self, fnames):
        """Refuse a direct write outside what the user's role allows in the file's state."""
        if fnames & WORKFLOW_FIELDS:
            raise AccessError(
                self.env._(
                    "The state, numbers, dates and signature of an application change only "
                    "through its workflow actions."
                )
            )
        if not self:  # create: the applicant starts a draft
            if fnames & DRAFT_FIELDS:
                raise AccessError(self.env._("Only the office writes the decision draft."))
            return
        for rec in self:
            if fnames & APPLICANT_FIELDS and not rec._may_edit(APPLICATION):
                raise AccessError(
                    self.env._(
                        "Only the applicant can change the application data, and only while "
                        "it is a draft or returned for correction."
                    )
                )
            if fnames & DRAFT_FIELDS and not rec._may_edit(DRAFT):
                raise AccessError(
                    self.env._(
                        "The decision draft can be corrected only by the technical team, the "
                        "Division Head and the Head of Office in their own steps, and never "
                        "after it is signed."
                    )
                )

    @api.model
    def _field_problems(self, values):
        """What is wrong with these field values, per field name ("shares" for the land-use
        total): the one set of checks behind the model's constraint and the portal form."""
        problems = {}
        nib = (values.get("nib") or "").strip()
        if nib and not re.fullmatch(r"\d{13}", nib):
            problems["nib"] = self.env._("The NIB must have exactly 13 digits.")
        npwp = values.get("npwp") or ""
        if npwp and len(re.sub(r"\D", "", npwp)) not in (15, 16):
            problems["npwp"] = self.env._("The NPWP must have 15 or 16 digits.")
        email = values.get("pic_email") or ""
        if email and not single_email_re.match(email):
            problems["pic_email"] = self.env._("Enter a valid e-mail address.")
        letter_date = values.get("application_letter_date")
        if letter_date and letter_date > self.env.company._ki_today():
            problems["application_letter_date"] = self.env._(
                "The date of the application letter cannot be in the future."
            )
        if (values.get("area_ha") or 0) < 0:
            problems["area_ha"] = self.env._("The area cannot be negative.")
        shares = [values.get(fname) or 0 for fname in SHARE_FIELDS]
        for fname, share in zip(SHARE_FIELDS, shares, strict=True):
            if not 0 <= share <= 100:
                problems[fname] = self.env._("Each land-use share must be between 0 and 100%.")
        total = round(sum(shares), 2)
        if not problems.keys() & set(SHARE_FIELDS) and any(shares) and total != 100:
            problems["shares"] = self.env._(
                "The land-use shares add up to %(total)s%%; they must add up to 100%%.",
                total=total,
            )
        return problems

    def _submit_problems(self):
        """What still prevents the submission, per field name ("shares" for the land-use
        total) and per document slot ("document_<type id>"), all at once so that the
        applicant fixes everything in one go."""
        self.ensure_one()
        problems = {
            fname: self.env._(
                "%(field)s is required.",
                field=self._fields[fname]._description_string(self.env),
            )
            for fname in SUBMIT_REQUIRED_FIELDS
            if not self[fname]
        }
        if round(self.share_total, 2) != 100:
            problems["shares"] = self.env._("The land-use shares must add up to 100%.")
        usable = self.sudo().document_ids.filtered(lambda d: d.status != "invalid")
        required = self.env["ki.document.type"].sudo().search([("required", "=", True)])
        for doc_type in required - usable.document_type_id:
            problems[f"document_{doc_type.id}"] = self.env._(
                "Document missing or to be replaced: %(name)s.", name=doc_type.name
            )
        return problems

    def _lock(self):
        """Take the file's row lock, so that of two officers acting at once one wins and the
        other gets a clear error instead of a second step record."""
        self.ensure_one()
        try:
            # a savepoint keeps the transaction usable for the caller that shows the error
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM ki_permohonan WHERE id = %s FOR UPDATE NOWAIT",
                    [self.id],
                    log_exceptions=False,
                )
        except LockNotAvailable:
            raise UserError(
                self.env._(
                    "Someone else is acting on this application right now. Reload it and try again."
                )
            ) from None
        self.invalidate_recordset(["state", "verifier_ids"])

    def _begin(self, action, note=None):
        """The start of every transition: lock the file, find the row of the SOP table that
        lets the current user run `action` in the file's state, and require the note the
        row asks for. Refuses with the reason otherwise; returns the row."""
        self._check_reachable()
        self._lock()
        transition = self._check_may(action)
        if transition.note_required and not (note or "").strip():
            raise UserError(self.env._("Please write a note saying why."))
        return transition

    def _check_may(self, action):
        """The row of the SOP table that lets the current user run `action` now; refuses
        with the reason (the state, or who may) when there is none."""
        rows = [row for row in transitions_of(action) if self.state in row.sources]
        if not rows:
            raise UserError(
                self.env._(
                    "This action is not possible while the application is %(state)s.",
                    state=self._state_label(),
                )
            )
        transition = self._transition_for(action)
        if not transition:
            raise AccessError(
                self.env._(
                    "At this step of the application, only %(roles)s can do this.",
                    roles=self.env._(" or ").join(self._role_label(row.role) for row in rows),
                )
            )
        return transition

    def _prepare_signer_vals(self, delegation_id=None):
        """Who signs and how the signature block reads, with `delegation_id` if one of the
        current user's delegations is chosen."""
        user = self.env.user
        delegation = self.env["ki.signing.delegation"]
        if delegation_id:
            day = fields.Date.context_today(self.with_context(tz=self.env.company._ki_tz()))
            delegation = delegation._available(user, day).filtered(lambda d: d.id == delegation_id)
            if not delegation:
                raise UserError(self.env._("This delegation is not yours to sign with today."))
        head_title = self.env["ki.letter.config"]._get().head_title
        return {
            "signer_id": user.id,
            "signer_name": user.name,
            "signer_nip": user.ki_nip,
            "signer_rank": user.ki_rank,
            "signer_position": delegation._signature_title(user, head_title),
            "signed_date": fields.Datetime.now(),
        }

    def _prepare_draft_vals(self, decision, decision_reason, evaluation_summary):
        vals = {
            key: value
            for key, value in (
                ("decision", decision),
                ("decision_reason", decision_reason),
                ("evaluation_summary", evaluation_summary),
            )
            if value is not None
        }
        if vals.get("decision", self.decision) not in ("approve", "reject"):
            raise UserError(self.env._("Choose the decision: approval or rejection."))
        if not (vals.get("decision_reason", self.decision_reason) or "").strip():
            raise UserError(self.env._("Write the reasons for the decision."))
        return vals

    def _disposition_recipients(self, recipient_ids, transition):
        """The users a disposition goes to: members of the role holding the target state;
        by default, for the Head of Office's disposition, the Division Head(s) of the desk."""
        role = STATE[transition.target].role
        group = self.env.ref(ROLE_GROUPS[role])
        members = group.sudo().users.filtered(lambda u: u.active and not u.share)
        if recipient_ids is None and role == KABID:
            recipients = self._role_users(KABID)
        else:
            recipients = self.env["res.users"].browse(recipient_ids or []).exists()
        if not recipients:
            raise UserError(self.env._("Choose at least one recipient for the disposition."))
        if recipients - members:
            raise UserError(
                self.env._(
                    "A disposition at this step goes only to members of %(group)s.",
                    group=group.name,
                )
            )
        return recipients

    def _create_disposition(self, recipients, instruction_ids, urgency, note, confidential):
        """The disposition sheet of the step just entered; its deadline is the step's."""
        if urgency not in dict(URGENCIES):
            raise UserError(self.env._("Unknown urgency."))
        return (
            self.env["ki.disposisi"]
            .sudo()
            .create(
                {
                    "permohonan_id": self.id,
                    "from_user_id": self.env.user.id,
                    "to_user_ids": [(6, 0, recipients.ids)],
                    "instruction_ids": [(6, 0, instruction_ids or [])],
                    "urgency": urgency,
                    "confidential": bool(confidential),
                    "note": note,
                    "deadline": self.sudo().current_step_id.deadline,
                }
            )
        )

    def _move(self, transition, note, vals=None, responsible=None):
        """Close the current step with the transition's outcome, enter its target state with
        its deadline in working time, record it and tell the people concerned."""
        now = fields.Datetime.now()
        new_state = transition.target
        # the checks are done: the bookkeeping is the system's; mails wait in the queue
        # instead of holding the officer's click while the mail server answers
        sudo_self = self.sudo().with_context(mail_notify_force_send=False)
        calendar = sudo_self.env.company._ki_calendar()
        previous = sudo_self.current_step_id
        previous._close(transition.outcome, note, now, calendar)
        sudo_self.disposisi_ids._mark_read_by(self.env.user, now)
        sudo_self.write(dict(vals or {}, state=new_state))
        if responsible is None:
            responsible = sudo_self._state_responsible(new_state)
        step = self.env["ki.permohonan.step"]
        if new_state not in CLOSED_STATES:
            step = step.sudo().create(
                dict(
                    sudo_self._prepare_step_sla(new_state, now, previous, calendar),
                    permohonan_id=self.id,
                    state=new_state,
                    date_start=now,
                    responsible_user_ids=[(6, 0, responsible.ids)],
                )
            )
        sudo_self.write(
            {"current_step_id": step.id, "responsible_user_ids": [(6, 0, responsible.ids)]}
        )
        sudo_self._activity_update(calendar)
        # the file's history as a note, which also tells the officers who now hold the file
        sudo_self.message_post(
            body=self._transition_message(transition, note, step, calendar),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
            partner_ids=responsible.partner_id.ids,
        )
        template = STATE[new_state].mail
        if template:
            sudo_self._mail_applicant(template)
        return True

    def _prepare_step_sla(self, state, start, previous, calendar):
        """Service standard and deadline of a new visit of `state`. The clock is paused
        while the file is with the applicant; back in verification it gets its full
        standard again, or only what was left, as the office chose."""
        minutes, deadline = self.env["ki.sop.step"]._sla_plan(state, start, calendar)
        resumed = state == "verification" and previous.state == "returned"
        if resumed and self.env.company.ki_resume_mode == "remaining":
            paused = self.step_ids.filtered(
                lambda s: s.state == "verification" and s.outcome == "returned"
            ).sorted("id")[-1:]
            minutes = max(paused.sla_minutes - paused.worked_minutes, 0)
            deadline = calendar._ki_deadline(start, minutes)
        if not minutes:
            return {}
        return {"sla_minutes": minutes, "deadline": deadline}

    def _next_number(self, series):
        """The next number of the series (registration, agenda or letter)."""
        return self.env["ki.number.pattern"]._next_by_code(series)

    def _format_working_minutes(self, minutes, calendar):
        """'1 working day(s) 2 h', '35 min': the two largest units of a working time."""
        minutes = max(round(minutes), 1)
        days, rest = divmod(minutes, round(calendar.hours_per_day * 60) or 1440)
        hours, minutes = divmod(rest, 60)
        parts = [
            template % {"count": count}
            for count, template in (
                (days, self.env._("%(count)s working day(s)")),
                (hours, self.env._("%(count)s h")),
                (minutes, self.env._("%(count)s min")),
            )
            if count
        ]
        return " ".join(parts[:2])

    def _role_users(self, role):
        """The officers of an office role: those chosen in the settings, else every member
        of the role's group."""
        company = self.env.company
        configured = company[ROLE_DESK_FIELDS[role]] if role in ROLE_DESK_FIELDS else False
        users = configured or self.env.ref(ROLE_GROUPS[role]).sudo().users
        return users.filtered(lambda u: u.active and not u.share)

    def _state_responsible(self, state):
        """The officers who hold the file in `state`: the verifiers named in the disposition
        for the technical team, the role's officers otherwise; nobody for the applicant."""
        role = STATE[state].role
        if role == TIM_TEKNIS:
            return self.verifier_ids
        if role in (None, APPLICANT):
            return self.env["res.users"]
        return self._role_users(role)

    def _activity_update(self, calendar):
        """Close the activities of the step just left and schedule those of the new one.

        Closing archives them as done (the activity types keep done activities) without a
        message each: the step record and the transition's note already say who did what."""
        activities = self.activity_ids.filtered("automated")
        if self.state == "cancelled":
            activities.unlink()
        else:
            activities.write({"active": False, "date_done": self.env.company._ki_today()})
        xmlid = STATE[self.state].activity
        if not xmlid:
            return
        activity_type = self.env.ref(xmlid)
        deadline = self.current_step_id.deadline
        # the date in the office's timezone; the exact time is on the step record
        due = (
            fields.Datetime.context_timestamp(self.with_context(tz=calendar.tz), deadline).date()
            if deadline
            else self.env.company._ki_today()
        )
        # quick_update: no assignment e-mail per activity; the transition's note notifies
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": self.id,
                    "user_id": user.id,
                    "date_deadline": due,
                    # in the language of the officer who reads it, whoever moved the file
                    "summary": activity_type.with_context(lang=user.lang).summary,
                    "note": self.current_step_id._local_deadline(calendar),
                    "automated": True,
                }
                for user in self.responsible_user_ids
            ]
        )

    def _transition_message(self, transition, note, step, calendar):
        outcomes = dict(
            self.env["ki.permohonan.step"]._fields["outcome"]._description_selection(self.env)
        )
        body = Markup("<p><b>%s</b>: %s</p>") % (outcomes[transition.outcome], self._state_label())
        if note:
            body += Markup("<p>%s</p>") % note
        if step.responsible_user_ids:
            body += Markup("<p>%s</p>") % self.env._(
                "Now with %(users)s, deadline %(deadline)s.",
                users=", ".join(step.responsible_user_ids.mapped("name")),
                deadline=step._local_deadline(calendar) or "-",
            )
        return body

    def _state_label(self, state=None):
        return dict(self._fields["state"]._description_selection(self.env))[state or self.state]

    def _role_label(self, role):
        return self.env._(ROLE_LABELS[role])
