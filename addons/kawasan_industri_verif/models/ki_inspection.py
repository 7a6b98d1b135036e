"""The field inspection (peninjauan lapangan) of step 5: scheduled by the technical team,
the applicant told; photos whose EXIF position and time are read on the server and placed
inside or outside the boundary; findings per item; and its own numbered Berita Acara
Peninjauan Lapangan, signed by the verifiers present, rendered once when closed and kept
with its SHA-256; its PDF and the photos' files are frozen evidence (ir.attachment.ki_frozen).
Its time counts inside step 5's service standard: the clock runs on."""

import base64
import hashlib

import pytz
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import photo_exif, site_geometry

INSPECTION_STATES = [("scheduled", "Scheduled"), ("done", "Closed"), ("cancelled", "Cancelled")]
ITEM_RESULTS = [
    ("conform", "As declared"),
    ("not_conform", "Not as declared"),
    ("not_checked", "Not checked"),
]
PHOTO_POSITIONS = [
    ("inside", "Inside the boundary"),
    ("outside", "Outside the boundary"),
    ("unknown", "No position"),
]
INSPECTION_REPORT = "kawasan_industri_verif.action_report_ki_inspection"
REPORT_KIND = "inspection"  # its entry in ir_actions_report.STORED
NUMBER_CODE = "inspection"
TIM_TEKNIS_GROUP = "kawasan_industri_verif.group_tim_teknis"
# Set only by action_close, the one way a closed inspection is written.
CLOSING = "ki_inspection_closing"
PHOTO_FILE_FIELDS = ("image", "thumbnail")
PHOTO_SERVER_FIELDS = {"latitude", "longitude", "taken_at", "position", "permohonan_id"}
INSPECTION_SERVER_FIELDS = {
    "name",
    "state",
    "date_done",
    "closed_by_id",
    "attachment_id",
    "sha256",
    "cancel_reason",
}


def _closing(env):
    """Whether the system itself is closing an inspection or recording a photo's EXIF."""
    return env.su and env.context.get(CLOSING)


class KiInspection(models.Model):
    _name = "ki.inspection"
    _description = "Field Inspection"
    _order = "date_planned desc, id desc"

    name = fields.Char("Minutes Number", readonly=True, copy=False, index=True)
    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", required=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(related="permohonan_id.partner_id", string="Company")
    estate_name = fields.Char(related="permohonan_id.estate_name")
    state = fields.Selection(INSPECTION_STATES, default="scheduled", required=True, readonly=True)
    date_planned = fields.Datetime("Date", required=True)
    participant_ids = fields.Many2many(
        "res.users",
        "ki_inspection_participant_rel",
        "inspection_id",
        "user_id",
        "Officers",
        domain=lambda self: [("groups_id", "in", self.env.ref(TIM_TEKNIS_GROUP).ids)],
    )
    applicant_participants = fields.Text(
        "Applicant's Representatives", help="Names and positions of the people met on site."
    )
    present_user_ids = fields.Many2many(
        "res.users",
        "ki_inspection_present_rel",
        "inspection_id",
        "user_id",
        "Verifiers Present",
        help="They sign the minutes.",
    )
    item_ids = fields.One2many("ki.inspection.item", "inspection_id", "Findings")
    photo_ids = fields.One2many("ki.inspection.photo", "inspection_id", "Photos")
    summary = fields.Text("Conclusion")
    cancel_reason = fields.Text(readonly=True)
    date_done = fields.Datetime("Closed On", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", "Minutes PDF", readonly=True, copy=False)
    sha256 = fields.Char("SHA-256", readonly=True, copy=False)
    can_edit = fields.Boolean(compute="_compute_can_edit")

    @api.depends("state", "permohonan_id.state", "permohonan_id.verifier_ids")
    @api.depends_context("uid")
    def _compute_can_edit(self):
        for rec in self:
            rec.can_edit = rec._may_edit()

    @api.depends("name", "date_planned", "permohonan_id")
    def _compute_display_name(self):
        for rec in self:
            label = rec.name or self.env._("Field inspection")
            rec.display_name = f"{label} - {rec.permohonan_id.display_name}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            permohonan = self.env["ki.permohonan"].browse(vals.get("permohonan_id")).exists()
            if not permohonan:
                raise UserError(self.env._("Choose the application to inspect."))
            self._check_scheduler(permohonan)
            for fname in INSPECTION_SERVER_FIELDS:
                vals.pop(fname, None)
            if not vals.get("item_ids"):
                vals["item_ids"] = [(0, 0, item) for item in self._default_items(permohonan)]
        records = super().create(vals_list)
        records._check_participants()
        for rec in records:
            rec.permohonan_id._inspection_notify(rec)
        return records

    def write(self, vals):
        self._check_writable()
        if set(vals) & INSPECTION_SERVER_FIELDS and not _closing(self.env):
            raise AccessError(
                self.env._("A field inspection is numbered, closed or cancelled by its actions.")
            )
        result = super().write(vals)
        if not _closing(self.env):
            self._check_participants()
            if "date_planned" in vals:
                for rec in self:
                    rec.permohonan_id._inspection_notify(rec)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A field inspection is never deleted: cancel it instead."))

    # ------------------------------------------------------------------ actions

    def action_close(self):
        """Close the inspection: numbered minutes signed by the verifiers present, rendered
        once and stored with their SHA-256; nothing of it changes afterwards."""
        self.ensure_one()
        self._check_writable()
        if not self.present_user_ids:
            raise UserError(
                self.env._("Mark the verifiers present at the inspection: they sign the minutes.")
            )
        if all(item.result == "not_checked" for item in self.item_ids):
            raise UserError(self.env._("Record the finding of at least one item checked."))
        number = self.env["ki.number.pattern"]._next_by_code(NUMBER_CODE)
        if not number:
            raise UserError(self.env._("The numbering of the field inspection minutes is missing."))
        closing = self.with_context(**{CLOSING: True}).sudo()
        closing.write(
            {
                "name": number,
                "state": "done",
                "date_done": fields.Datetime.now(),
                "closed_by_id": self.env.user.id,
            }
        )
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True, report_pdf_no_attachment=True)
            ._render_qweb_pdf(self.env.ref(INSPECTION_REPORT), self.ids)
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self._report_title()} {number}.pdf".replace("/", "-"),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                    "ki_frozen": True,
                }
            )
        )
        closing.write({"attachment_id": attachment.id, "sha256": hashlib.sha256(pdf).hexdigest()})
        self._photo_attachments()._ki_freeze()
        self.permohonan_id.sudo()._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Field inspection minutes %(number)s closed (SHA-256 %(sha256)s).",
                number=number,
                sha256=self.sha256,
            ),
            author_id=self.env.user.partner_id.id,
        )
        return True

    def action_cancel(self):
        """Call off a scheduled inspection; it stays on the file as cancelled."""
        self.ensure_one()
        self._check_writable()
        self.with_context(**{CLOSING: True}).sudo().write({"state": "cancelled"})
        self._photo_attachments()._ki_freeze()
        self.permohonan_id.sudo()._message_log(
            body=Markup("<p>%s</p>") % self.env._("Field inspection cancelled."),
            author_id=self.env.user.partner_id.id,
        )
        return True

    def action_print(self):
        """The closed minutes exactly as stored; before closing, a draft to check."""
        self.ensure_one()
        self._check_printable(REPORT_KIND)
        if self.attachment_id:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{self.attachment_id.id}?download=true",
                "target": "self",
            }
        return self.env.ref(INSPECTION_REPORT).report_action(self)

    # ------------------------------------------------------------------ rules

    def _may_edit(self):
        """Whether the current user may change this inspection: an assigned verifier, while
        the file is in technical verification and the inspection is not closed."""
        self.ensure_one()
        if self.state != "scheduled":
            return False
        permohonan = self.permohonan_id
        return permohonan.state == "verification" and permohonan._is_actor("tim_teknis")

    def _check_reachable(self):
        """One answer for an inspection that does not exist and for one the user may not
        see (the report route asks, as for an application)."""
        if self.env.su:
            return
        if len(self) != len(self.exists()) or not self.has_access("read"):
            raise AccessError(self.env._("This field inspection does not exist or is not yours."))

    def _check_printable(self, report):
        """Minutes are printed for a scheduled inspection (a draft) or a closed one."""
        if any(rec.state == "cancelled" for rec in self):
            raise UserError(self.env._("A cancelled field inspection has no minutes."))

    def _stored_pdf(self, report):
        """The minutes as stored when the inspection closed (an empty recordset before):
        the report route serves them instead of a new rendering."""
        self.ensure_one()
        return self.sudo().attachment_id

    @api.model
    def _check_scheduler(self, permohonan):
        if permohonan.state != "verification" or not permohonan._is_actor("tim_teknis"):
            raise AccessError(
                self.env._(
                    "Only a verifier assigned to the file schedules a field inspection, during "
                    "the technical verification."
                )
            )

    def _check_writable(self):
        if _closing(self.env):
            return
        for rec in self:
            if rec.state != "scheduled":
                raise UserError(
                    self.env._("A closed or cancelled field inspection cannot be changed.")
                )
            if not rec._may_edit():
                raise AccessError(
                    self.env._(
                        "Only a verifier assigned to the file changes its field inspection, "
                        "during the technical verification."
                    )
                )

    def _check_participants(self):
        verifiers = self.env.ref(TIM_TEKNIS_GROUP).sudo().users
        for rec in self:
            if not rec.participant_ids:
                raise UserError(self.env._("Name the officers who take part in the inspection."))
            if rec.participant_ids - verifiers:
                raise UserError(
                    self.env._("The officers of an inspection are members of the technical team.")
                )
            if rec.present_user_ids - rec.participant_ids:
                raise UserError(
                    self.env._("The verifiers present must be among the inspection's officers.")
                )

    @api.model
    def _default_items(self, permohonan):
        """The items every inspection checks, in the office's language (they are printed)."""
        _ = self.with_context(lang=self.env.company._ki_lang()).env._
        names = [
            _("Boundary markers on the ground match the boundary file"),
            _("The land is controlled by the applicant and free of disputes"),
            _("Access road to the estate"),
            _("Land use matches the master plan"),
            _("Green open space and buffer zone"),
            _("Existing buildings and activities on the site"),
        ]
        return [{"sequence": index * 10, "name": name} for index, name in enumerate(names, 1)]

    def _photo_attachments(self):
        """The files of these inspections' photos (each photo and its thumbnail)."""
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "ki.inspection.photo"),
                    ("res_id", "in", self.photo_ids.ids),
                    ("res_field", "in", PHOTO_FILE_FIELDS),
                ]
            )
        )

    # ------------------------------------------------------------------ report values

    def _letter_config(self):
        """The letterhead and settings (the letterhead template reads them from `o`)."""
        return self.permohonan_id._letter_config()

    def _report_title(self):
        lang_env = self.with_context(lang=self.env.company._ki_lang()).env
        return lang_env._("Field Inspection Minutes")

    def _local_datetime(self):
        return self.permohonan_id._format_datetime(self.date_planned)


class KiInspectionItem(models.Model):
    _name = "ki.inspection.item"
    _description = "Field Inspection Finding"
    _order = "sequence, id"

    inspection_id = fields.Many2one("ki.inspection", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char("Item Checked", required=True)
    result = fields.Selection(ITEM_RESULTS, default="not_checked", required=True)
    finding = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        ids = [vals.get("inspection_id") for vals in vals_list]
        self.env["ki.inspection"].browse(ids).exists()._check_writable()
        return super().create(vals_list)

    def write(self, vals):
        self.inspection_id._check_writable()
        return super().write(vals)

    def unlink(self):
        self.inspection_id._check_writable()
        return super().unlink()


class KiInspectionPhoto(models.Model):
    _name = "ki.inspection.photo"
    _description = "Field Inspection Photo"
    _order = "taken_at, id"

    inspection_id = fields.Many2one("ki.inspection", required=True, index=True, ondelete="cascade")
    permohonan_id = fields.Many2one(
        related="inspection_id.permohonan_id", store=True, index=True, string="Application"
    )
    item_id = fields.Many2one(
        "ki.inspection.item", domain="[('inspection_id', '=', inspection_id)]"
    )
    image = fields.Binary("Photo", required=True, attachment=True)
    image_name = fields.Char("File Name")
    thumbnail = fields.Image(
        "Thumbnail", related="image", max_width=512, max_height=512, store=True
    )
    note = fields.Char("Caption")
    latitude = fields.Float(digits=(10, 7), readonly=True)
    longitude = fields.Float(digits=(10, 7), readonly=True)
    taken_at = fields.Datetime("Taken On", readonly=True)
    position = fields.Selection(PHOTO_POSITIONS, "Location", readonly=True, default="unknown")

    @api.depends("inspection_id.display_name", "image_name", "note")
    def _compute_display_name(self):
        for rec in self:
            label = rec.note or rec.image_name or rec.env._("Photo")
            rec.display_name = f"{rec.inspection_id.display_name}: {label}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["ki.inspection"].browse(vals.get("inspection_id")).exists()._check_writable()
            for fname in PHOTO_SERVER_FIELDS:
                vals.pop(fname, None)
        records = super().create(vals_list)
        for rec in records:
            rec.sudo().with_context(**{CLOSING: True}).write(rec._read_exif())
        return records

    def write(self, vals):
        if not _closing(self.env):
            self.inspection_id._check_writable()
            if set(vals) & PHOTO_SERVER_FIELDS:
                raise AccessError(
                    self.env._("The position and time of a photo are read from the photo itself.")
                )
        result = super().write(vals)
        if "image" in vals and not _closing(self.env):
            for rec in self:
                rec.sudo().with_context(**{CLOSING: True}).write(rec._read_exif())
        return result

    def unlink(self):
        self.inspection_id._check_writable()
        return super().unlink()

    def _read_exif(self):
        """Position and time from the photo's EXIF data, and where it lies on the boundary."""
        self.ensure_one()
        data = base64.b64decode(self.with_context(bin_size=False).image or b"")
        try:
            position = photo_exif.read_position(data, pytz.timezone(self.env.company._ki_tz()))
        except ValueError:
            raise UserError(self.env._("The photo is not an image file.")) from None
        vals = {
            "latitude": position.latitude or 0.0,
            "longitude": position.longitude or 0.0,
            "taken_at": position.taken_at or False,
            "position": "unknown",
        }
        boundary = self.permohonan_id.sudo().boundary_id
        if position.latitude is not None and boundary:
            inside = site_geometry.contains_point(
                boundary._geometry(), position.longitude, position.latitude
            )
            vals["position"] = "inside" if inside else "outside"
        return vals

    def _map_point(self):
        self.ensure_one()
        positions = dict(self._fields["position"]._description_selection(self.env))
        return {
            "lat": self.latitude,
            "lon": self.longitude,
            "label": self.note or self.image_name or "",
            "position": self.position,
            "position_label": positions.get(self.position),
            "taken_at": self.permohonan_id._format_datetime(self.taken_at) if self.taken_at else "",
        }
