"""The application file and the SOP state machine that moves it through nine steps."""

import base64
import re
import secrets

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from psycopg2.errors import LockNotAvailable

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("kadis_disposition", "Head of Office Disposition"),
    ("kabid_disposition", "Division Head Disposition"),
    ("verification", "Technical Verification"),
    ("returned", "Returned to Applicant"),
    ("kabid_review", "Division Head Review"),
    ("kadis_review", "Head of Office Review"),
    ("numbering", "Numbering and Publication"),
    ("delivered", "Letter Published"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
OFFICE_LANG = "id_ID"
FINAL_STATES = ("done", "cancelled")
APPLICANT_EDIT_STATES = ("draft", "returned")
# The applicant may withdraw until the Head of Office signs the decision.
APPLICANT_CANCEL_STATES = (
    "draft",
    "submitted",
    "kadis_disposition",
    "kabid_disposition",
    "verification",
    "returned",
    "kabid_review",
    "kadis_review",
)
# Once published, a letter is never cancelled: a correction is a new letter.
ADMIN_CANCEL_STATES = APPLICANT_CANCEL_STATES + ("numbering",)

APPLICANT = "applicant"
SEKRETARIAT = "sekretariat"
KADIS = "kadis"
KABID = "kabid"
TIM_TEKNIS = "tim_teknis"
ADMIN = "admin"
ROLE_GROUPS = {
    SEKRETARIAT: "kawasan_industri_verif.group_sekretariat",
    KADIS: "kawasan_industri_verif.group_kadis",
    KABID: "kawasan_industri_verif.group_kabid",
    TIM_TEKNIS: "kawasan_industri_verif.group_tim_teknis",
    ADMIN: "kawasan_industri_verif.group_admin",
}

# action -> (states it starts from, role that may do it)
TRANSITIONS = {
    "action_submit": (APPLICANT_EDIT_STATES, APPLICANT),
    "action_receive": (("submitted",), SEKRETARIAT),
    "action_dispose_to_kabid": (("kadis_disposition",), KADIS),
    "action_dispose_to_team": (("kabid_disposition",), KABID),
    "action_return_to_applicant": (("verification",), TIM_TEKNIS),
    "action_submit_draft": (("verification",), TIM_TEKNIS),
    "action_kabid_approve": (("kabid_review",), KABID),
    "action_kabid_return": (("kabid_review",), KABID),
    "action_kadis_sign": (("kadis_review",), KADIS),
    "action_kadis_return": (("kadis_review",), KADIS),
    "action_number_and_publish": (("numbering",), SEKRETARIAT),
    "action_confirm_download": (("delivered",), APPLICANT),
}

# Who holds the file in each state (the applicant's states have no office role).
STATE_ROLES = {
    "submitted": SEKRETARIAT,
    "kadis_disposition": KADIS,
    "kabid_disposition": KABID,
    "verification": TIM_TEKNIS,
    "kabid_review": KABID,
    "kadis_review": KADIS,
    "numbering": SEKRETARIAT,
}
STATE_ACTIVITY_TYPES = {
    state: f"kawasan_industri_verif.mail_act_ki_{state}" for state in STATE_ROLES
}

# Who may write which fields outside the transitions (anyone else: only the transitions).
# The applicant's data in the order of the portal form; the company is always their own.
APPLICANT_FORM_FIELDS = (
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
APPLICANT_FIELDS = {"partner_id", *APPLICANT_FORM_FIELDS}
DRAFT_FIELDS = {"decision", "decision_reason", "evaluation_summary"}
# state -> role that corrects the decision draft while the file is there
DRAFT_EDITORS = {"verification": TIM_TEKNIS, "kabid_review": KABID, "kadis_review": KADIS}
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
    "signed_date",
    "publish_date",
    "download_date",
    "cancel_reason",
}
NUMBER_SEQUENCES = {
    "registration": "ki.permohonan",
    "agenda": "ki.permohonan.agenda",
    "letter": "ki.permohonan.letter",
}
# Mails to the applicant when the file reaches these states
APPLICANT_MAILS = {
    "submitted": "kawasan_industri_verif.mail_template_ki_submitted",
    "returned": "kawasan_industri_verif.mail_template_ki_returned",
    "delivered": "kawasan_industri_verif.mail_template_ki_published",
}
URGENCIES = [("biasa", "Normal"), ("segera", "Urgent"), ("sangat_segera", "Very Urgent")]


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
        STATES,
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
    current_step_id = fields.Many2one("ki.permohonan.step", readonly=True)
    step_ids = fields.One2many("ki.permohonan.step", "permohonan_id", "Steps")
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
    decision = fields.Selection(
        [("approve", "Approval"), ("reject", "Rejection")], tracking=True, copy=False
    )
    decision_reason = fields.Text("Reasons", copy=False)
    evaluation_summary = fields.Text(copy=False)
    signer_id = fields.Many2one("res.users", "Signed By", readonly=True, copy=False)
    signer_name = fields.Char(readonly=True, copy=False)
    signer_nip = fields.Char("Signer NIP", readonly=True, copy=False)
    signer_position = fields.Char(readonly=True, copy=False)
    signed_date = fields.Datetime("Signed On", readonly=True, copy=False)
    publish_date = fields.Datetime("Published On", readonly=True, copy=False)
    download_date = fields.Datetime("Downloaded On", readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)

    return_note = fields.Text(
        "What to Fix",
        compute="_compute_return_note",
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
    )
    sla_label = fields.Char("Time Left", compute="_compute_sla_status")

    # What the current user may do, for the views (the server checks again on every action)
    can_submit = fields.Boolean(compute="_compute_can")
    can_receive = fields.Boolean(compute="_compute_can")
    can_dispose_to_kabid = fields.Boolean(compute="_compute_can")
    can_dispose_to_team = fields.Boolean(compute="_compute_can")
    can_verify = fields.Boolean(compute="_compute_can")
    can_kabid_review = fields.Boolean(compute="_compute_can")
    can_kadis_review = fields.Boolean(compute="_compute_can")
    can_publish = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")
    can_edit_applicant = fields.Boolean(compute="_compute_can")
    can_edit_draft = fields.Boolean(compute="_compute_can")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The registration number must be unique."),
        ("agenda_number_uniq", "unique(agenda_number)", "The agenda number must be unique."),
        ("letter_number_uniq", "unique(letter_number)", "The letter number must be unique."),
    ]

    @api.constrains("share_industrial", "share_green", "share_road", "share_other")
    def _check_shares(self):
        for rec in self:
            shares = [rec.share_industrial, rec.share_green, rec.share_road, rec.share_other]
            if any(share < 0 or share > 100 for share in shares):
                raise ValidationError(self.env._("Each land-use share must be between 0 and 100%."))
            if any(shares) and round(sum(shares), 2) != 100:
                raise ValidationError(
                    self.env._(
                        "The land-use shares add up to %(total)s%%; they must add up to 100%%.",
                        total=round(sum(shares), 2),
                    )
                )

    @api.constrains("nib", "npwp", "area_ha")
    def _check_identifiers(self):
        for rec in self:
            if rec.nib and not re.fullmatch(r"\d{13}", rec.nib.strip()):
                raise ValidationError(self.env._("The NIB must have exactly 13 digits."))
            if rec.npwp and len(re.sub(r"\D", "", rec.npwp)) not in (15, 16):
                raise ValidationError(self.env._("The NPWP must have 15 or 16 digits."))
            if rec.area_ha < 0:
                raise ValidationError(self.env._("The area cannot be negative."))

    @api.depends("share_industrial", "share_green", "share_road", "share_other")
    def _compute_share_total(self):
        for rec in self:
            rec.share_total = (
                rec.share_industrial + rec.share_green + rec.share_road + rec.share_other
            )

    @api.depends("state", "verifier_ids", "partner_id")
    @api.depends_context("uid")
    def _compute_can(self):
        for rec in self:
            rec.can_submit = rec._may("action_submit")
            rec.can_receive = rec._may("action_receive")
            rec.can_dispose_to_kabid = rec._may("action_dispose_to_kabid")
            rec.can_dispose_to_team = rec._may("action_dispose_to_team")
            rec.can_verify = rec._may("action_submit_draft")
            rec.can_kabid_review = rec._may("action_kabid_approve")
            rec.can_kadis_review = rec._may("action_kadis_sign")
            rec.can_publish = rec._may("action_number_and_publish")
            rec.can_cancel = rec._may_cancel()
            rec.can_edit_applicant = rec._may_edit_applicant()
            rec.can_edit_draft = rec._may_edit_draft()

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

    @api.model
    def _load_office_language(self):
        """The office works in Indonesian: make the language available with its terms."""
        self.env["res.lang"]._activate_lang(OFFICE_LANG)
        modules = self.env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )
        modules._update_translations([OFFICE_LANG])

    # ------------------------------------------------------------------ transitions

    def action_submit(self, note=None):
        """Step 1 (or the answer to a return): the applicant sends the file to the office."""
        self._check_transition("action_submit")
        self._check_ready_to_submit()
        if self.state == "returned":
            return self._move("verification", "resubmitted", note)
        vals = {"submit_date": fields.Datetime.now()}
        # the applicant follows the file: the office's mails and replies reach them
        self.sudo().message_subscribe(partner_ids=self.env.user.partner_id.ids)
        if not self.name:
            vals["name"] = self._next_number("registration")
            vals["lookup_code"] = self._new_lookup_code()
        return self._move("submitted", "submitted", note, vals)

    def action_receive(self, note=None):
        """Step 2: the Sekretariat registers the file (agenda number) and sends it up."""
        self._check_transition("action_receive")
        vals = {
            "agenda_number": self._next_number("agenda"),
            "receive_date": fields.Datetime.now(),
        }
        return self._move("kadis_disposition", "received", note, vals)

    def action_dispose_to_kabid(
        self, recipient_ids=None, instruction_ids=None, urgency="biasa", note=None
    ):
        """Step 3: the Head of Office disposes the file to the Division Head(s)."""
        self._check_transition("action_dispose_to_kabid")
        recipients = self._disposition_recipients(recipient_ids, KABID)
        self._create_disposition(recipients, instruction_ids, urgency, note)
        return self._move("kabid_disposition", "disposed", note, responsible=recipients)

    def action_dispose_to_team(
        self, recipient_ids=None, instruction_ids=None, urgency="biasa", note=None
    ):
        """Step 4: the Division Head names the verifiers of the technical team."""
        self._check_transition("action_dispose_to_team")
        recipients = self._disposition_recipients(recipient_ids, TIM_TEKNIS)
        self._create_disposition(recipients, instruction_ids, urgency, note)
        return self._move(
            "verification", "disposed", note, {"verifier_ids": [(6, 0, recipients.ids)]}
        )

    def action_return_to_applicant(self, note=None):
        """Step 5, documents incomplete: back to the applicant, the clock paused."""
        self._check_transition("action_return_to_applicant")
        self._require_note(note)
        return self._move("returned", "returned", note)

    def action_submit_draft(
        self, decision=None, decision_reason=None, evaluation_summary=None, note=None
    ):
        """Step 5 done: the team sends its evaluation and the decision draft for correction."""
        self._check_transition("action_submit_draft")
        vals = self._prepare_draft_vals(decision, decision_reason, evaluation_summary)
        return self._move("kabid_review", "draft_submitted", note, vals)

    def action_kabid_approve(
        self, decision=None, decision_reason=None, evaluation_summary=None, note=None
    ):
        """Step 6: the Division Head accepts the (corrected) draft for signature."""
        self._check_transition("action_kabid_approve")
        vals = self._prepare_draft_vals(decision, decision_reason, evaluation_summary)
        return self._move("kadis_review", "approved", note, vals)

    def action_kabid_return(self, note=None):
        """Step 6: the Division Head returns the draft to the team for correction."""
        self._check_transition("action_kabid_return")
        self._require_note(note)
        return self._move("verification", "returned", note)

    def action_kadis_sign(
        self, decision=None, decision_reason=None, evaluation_summary=None, note=None
    ):
        """Step 7: the Head of Office signs the decision; from now on it cannot change."""
        self._check_transition("action_kadis_sign")
        vals = self._prepare_draft_vals(decision, decision_reason, evaluation_summary)
        user = self.env.user
        vals.update(
            signer_id=user.id,
            signer_name=user.name,
            signer_nip=user.ki_nip,
            signer_position=user.ki_position,
            signed_date=fields.Datetime.now(),
        )
        return self._move("numbering", "signed", note, vals)

    def action_kadis_return(self, note=None):
        """Step 7: the Head of Office returns the draft to the Division Head."""
        self._check_transition("action_kadis_return")
        self._require_note(note)
        return self._move("kabid_review", "returned", note)

    def action_number_and_publish(self, note=None):
        """Step 8: the Sekretariat numbers the signed letter and publishes it to the applicant."""
        self._check_transition("action_number_and_publish")
        vals = {
            "letter_number": self._next_number("letter"),
            "publish_date": fields.Datetime.now(),
        }
        return self._move("delivered", "published", note, vals)

    def action_confirm_download(self):
        """Step 9: the applicant's first download of the letter closes the file."""
        self._check_transition("action_confirm_download")
        return self._move("done", "downloaded", None, {"download_date": fields.Datetime.now()})

    def action_cancel(self, reason=None):
        """The applicant withdraws before the decision is signed, or the administrator
        cancels with a reason."""
        self._lock()
        if self.state not in ADMIN_CANCEL_STATES:
            raise UserError(
                self.env._(
                    "An application that is %(state)s cannot be cancelled.",
                    state=self._state_label(),
                )
            )
        if not self._may_cancel():
            raise AccessError(
                self.env._(
                    "Only the applicant (before the decision is signed) or the administrator "
                    "can cancel this application."
                )
            )
        if not self._is_actor(APPLICANT):
            self._require_note(reason)
        return self._move("cancelled", "cancelled", reason, {"cancel_reason": reason or False})

    def action_upload_document(self, document_type_id, filename, data):
        """Add a version of one checklist document; earlier versions stay for the office."""
        self.ensure_one()
        if not self._may_edit_applicant():
            raise AccessError(
                self.env._(
                    "Only the applicant uploads documents, while the application is a draft "
                    "or returned for correction."
                )
            )
        document_type = self.env["ki.document.type"].browse(document_type_id).exists()
        if not document_type.active:
            raise UserError(self.env._("Unknown document type."))
        if isinstance(data, str):
            data = base64.b64decode(data)
        documents = self.env["ki.permohonan.document"].sudo()
        mimetype = documents._check_upload(document_type, data)
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
                    "name": documents._clean_filename(filename),
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
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
            }
        ).sudo(False)

    def action_open_transition_wizard(self):
        """Open the wizard that asks for the inputs of the transition in the context."""
        self.ensure_one()
        action = self.env.context.get("ki_action")
        if action not in TRANSITIONS and action != "action_cancel":
            raise UserError(self.env._("Unknown action."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "ki.transition.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_permohonan_id": self.id, "default_action": action},
        }

    # ------------------------------------------------------------------ rules

    def _is_actor(self, role):
        """Whether the current user plays `role` on this file (the superuser plays every role)."""
        if self.env.su:
            return True
        user = self.env.user
        if role == APPLICANT:
            return user.share and (
                user.partner_id.commercial_partner_id == self.partner_id.commercial_partner_id
            )
        if not user.has_group(ROLE_GROUPS[role]):
            return False
        return role != TIM_TEKNIS or user in self.verifier_ids

    def _may(self, action):
        states, role = TRANSITIONS[action]
        return self.state in states and self._is_actor(role)

    def _may_cancel(self):
        if self.state in APPLICANT_CANCEL_STATES and self._is_actor(APPLICANT):
            return True
        return self.state in ADMIN_CANCEL_STATES and self._is_actor(ADMIN)

    def _may_edit_applicant(self):
        return self.state in APPLICANT_EDIT_STATES and self._is_actor(APPLICANT)

    def _may_edit_draft(self):
        role = DRAFT_EDITORS.get(self.state)
        return bool(role) and self._is_actor(role)

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
            if fnames & APPLICANT_FIELDS and not rec._may_edit_applicant():
                raise AccessError(
                    self.env._(
                        "Only the applicant can change the application data, and only while "
                        "it is a draft or returned for correction."
                    )
                )
            if fnames & DRAFT_FIELDS and not rec._may_edit_draft():
                raise AccessError(
                    self.env._(
                        "The decision draft can be corrected only by the technical team, the "
                        "Division Head and the Head of Office in their own steps, and never "
                        "after it is signed."
                    )
                )

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

    def _check_transition(self, action):
        self._lock()
        states, role = TRANSITIONS[action]
        if self.state not in states:
            raise UserError(
                self.env._(
                    "This action is not possible while the application is %(state)s.",
                    state=self._state_label(),
                )
            )
        if not self._is_actor(role):
            raise AccessError(
                self.env._(
                    "Only %(role)s can do this at this step of the application.",
                    role=self._role_label(role),
                )
            )

    def _check_ready_to_submit(self):
        """List every missing field and document at once, so the applicant fixes all in one go."""
        labels = {
            "nib": "NIB",
            "npwp": "NPWP",
            "pic_name": self.env._("Person in Charge"),
            "estate_name": self.env._("Estate Name"),
            "province_id": self.env._("Province"),
            "regency": self.env._("Regency / City"),
            "street": self.env._("Address"),
            "area_ha": self.env._("Area (ha)"),
        }
        problems = [
            self.env._("%(field)s is required.", field=label)
            for fname, label in labels.items()
            if not self[fname]
        ]
        if round(self.share_total, 2) != 100:
            problems.append(self.env._("The land-use shares must add up to 100%."))
        missing = self.env["ki.document.type"].search([("required", "=", True)]) - (
            self.document_ids.filtered(lambda d: d.status != "invalid").document_type_id
        )
        problems += [
            self.env._("Document missing or to be replaced: %(name)s.", name=doc_type.name)
            for doc_type in missing
        ]
        if problems:
            raise ValidationError(
                self.env._("The application cannot be submitted yet:")
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )

    def _require_note(self, note):
        if not (note or "").strip():
            raise UserError(self.env._("Please write a note saying why."))

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

    def _disposition_recipients(self, recipient_ids, role):
        group = self.env.ref(ROLE_GROUPS[role])
        members = group.sudo().users.filtered(lambda u: u.active and not u.share)
        if recipient_ids is None and role == KABID:
            recipients = members
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

    def _create_disposition(self, recipients, instruction_ids, urgency, note):
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
                    "note": note,
                }
            )
        )

    def _move(self, new_state, outcome, note, vals=None, responsible=None):
        """Close the current step, enter `new_state` with its deadline in working time,
        record it and tell the people concerned."""
        now = fields.Datetime.now()
        sudo_self = self.sudo()  # the checks are done: the bookkeeping is the system's
        calendar = sudo_self.env.company._ki_calendar()
        previous = sudo_self.current_step_id
        previous._close(outcome, note, now, calendar)
        sudo_self.disposisi_ids._mark_read_by(self.env.user, now)
        sudo_self.write(dict(vals or {}, state=new_state))
        if responsible is None:
            responsible = sudo_self._state_responsible(new_state)
        step = self.env["ki.permohonan.step"]
        if new_state not in FINAL_STATES:
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
        body = self._transition_message(outcome, note, step, calendar)
        # the file's history, then one e-mail to the officers who now hold the file
        sudo_self._message_log(body=body, author_id=self.env.user.partner_id.id)
        if responsible:
            sudo_self._send_handover_mail(responsible, body)
        template = APPLICANT_MAILS.get(new_state)
        if template:
            sudo_self.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return True

    def _send_handover_mail(self, users, body):
        """Tell the officers who now hold the file: its link, what happened, the deadline."""
        link = Markup('<p><a href="%s">%s</a></p>') % (
            f"{self.get_base_url()}/odoo/ki.permohonan/{self.id}",
            self.env._("Open the application"),
        )
        self.env["mail.mail"].create(
            {
                "subject": f"[{self.name or self.display_name}] {self._state_label()}",
                "body_html": body + link,
                "recipient_ids": [(6, 0, users.partner_id.ids)],
                "email_from": self.env.company.email_formatted or self.env.user.email_formatted,
                "model": self._name,
                "res_id": self.id,
                "auto_delete": True,
            }
        )

    def _prepare_step_sla(self, state, start, previous, calendar):
        """Service standard and deadline of a new visit of `state`. The clock is paused
        while the file is with the applicant; back in verification it gets its full
        standard again, or only what was left, as the office chose."""
        minutes = self.env["ki.sop.step"]._sla_minutes_for(state, calendar)
        resumed = state == "verification" and previous.state == "returned"
        if resumed and self.env.company.ki_resume_mode == "remaining":
            paused = self.step_ids.filtered(
                lambda s: s.state == "verification" and s.outcome == "returned"
            ).sorted("id")[-1:]
            minutes = max(paused.sla_minutes - paused.worked_minutes, 0)
        if not minutes:
            return {}
        return {"sla_minutes": minutes, "deadline": calendar._ki_deadline(start, minutes)}

    def _next_number(self, kind):
        """The next number of the series `kind` (registration, agenda or letter)."""
        return self.env["ir.sequence"].sudo().next_by_code(NUMBER_SEQUENCES[kind])

    def _new_lookup_code(self):
        # no 0/O or 1/I: the code is read from paper and typed by hand
        return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))

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

    def _state_responsible(self, state):
        """The officers who hold the file in `state`: those chosen in the settings, else
        every member of the role's group; the verifiers named in the disposition."""
        role = STATE_ROLES.get(state)
        if role == TIM_TEKNIS:
            return self.verifier_ids
        if not role:
            return self.env["res.users"]
        company = self.env.company
        configured = {
            SEKRETARIAT: company.ki_sekretariat_user_ids,
            KADIS: company.ki_kadis_user_id,
            KABID: company.ki_kabid_user_id,
        }[role]
        users = configured or self.env.ref(ROLE_GROUPS[role]).sudo().users
        return users.filtered(lambda u: u.active and not u.share)

    def _activity_update(self, calendar):
        """Close the activities of the step just left and schedule those of the new one.

        Closing archives them as done (the activity types keep done activities) without a
        message each: the step record and the transition's log note already say who did
        what."""
        activities = self.activity_ids.filtered("automated")
        if self.state == "cancelled":
            activities.unlink()
        else:
            activities.write({"active": False, "date_done": fields.Date.context_today(self)})
        xmlid = STATE_ACTIVITY_TYPES.get(self.state)
        if not xmlid:
            return
        activity_type = self.env.ref(xmlid)
        deadline = self.current_step_id.deadline
        # the date in the office's timezone; the exact time is on the step record
        due = (
            fields.Datetime.context_timestamp(self.with_context(tz=calendar.tz), deadline).date()
            if deadline
            else fields.Date.context_today(self)
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
                    "summary": activity_type.summary,
                    "note": self.current_step_id._local_deadline(calendar),
                    "automated": True,
                }
                for user in self.responsible_user_ids
            ]
        )

    def _transition_message(self, outcome, note, step, calendar):
        outcomes = dict(
            self.env["ki.permohonan.step"]._fields["outcome"]._description_selection(self.env)
        )
        body = Markup("<p><b>%s</b>: %s</p>") % (outcomes[outcome], self._state_label())
        if note:
            body += Markup("<p>%s</p>") % note
        if step.responsible_user_ids:
            body += Markup("<p>%s</p>") % self.env._(
                "Now with %(users)s, deadline %(deadline)s.",
                users=", ".join(step.responsible_user_ids.mapped("name")),
                deadline=step._local_deadline(calendar) or "-",
            )
        return body

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _role_label(self, role):
        return {
            APPLICANT: self.env._("the applicant"),
            SEKRETARIAT: self.env._("the Secretariat"),
            KADIS: self.env._("the Head of Office"),
            KABID: self.env._("the Division Head"),
            TIM_TEKNIS: self.env._("a verifier assigned to this file"),
            ADMIN: self.env._("the administrator"),
        }[role]
