"""What the applicant portal needs from an application: the form, the timeline of the nine
SOP steps, the document checklist, and the public status lookup."""

import math
import re

from odoo import api, models
from odoo.tools import consteq
from odoo.tools.mail import single_email_re

from .ki_permohonan import (
    APPLICANT,
    APPLICANT_FORM_FIELDS,
    KABID,
    KADIS,
    SEKRETARIAT,
    STATE_ROLES,
    TIM_TEKNIS,
)

PORTAL_FIELDS = APPLICANT_FORM_FIELDS
SHARE_FIELDS = ("share_industrial", "share_green", "share_road", "share_other")
# What `_check_ready_to_submit` requires, so that the form marks it next to each field.
SUBMIT_REQUIRED_FIELDS = (
    "nib",
    "npwp",
    "pic_name",
    "estate_name",
    "province_id",
    "regency",
    "street",
    "area_ha",
)
CHAR_MAX_LENGTH = 256
TEXT_MAX_LENGTH = 4000

# The nine SOP steps as the applicant follows them: (number, state, role holding the file).
SOP_STEPS = (
    (1, "draft", APPLICANT),
    (2, "submitted", SEKRETARIAT),
    (3, "kadis_disposition", KADIS),
    (4, "kabid_disposition", KABID),
    (5, "verification", TIM_TEKNIS),
    (6, "kabid_review", KABID),
    (7, "kadis_review", KADIS),
    (8, "numbering", SEKRETARIAT),
    (9, "delivered", APPLICANT),
)
# The applicant's correction happens inside step 5.
STEP_OF_STATE = dict({state: number for number, state, _role in SOP_STEPS}, returned=5)
LOOKUP_NUMBER_MAX_LENGTH = 64
LOOKUP_CODE_MAX_LENGTH = 32


# One concern per file, as the letters and the demo do: the portal's helpers stay apart
# from the state machine.
class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ the form

    @api.model
    def _portal_prepare_vals(self, form):
        """Parse the portal form (a dict of strings) into values for `create`/`write`, with
        the errors per field name ("shares" for the land-use total). Only PORTAL_FIELDS are
        read: anything else a crafted POST sends is ignored."""
        vals, errors = {}, {}
        for fname in PORTAL_FIELDS:
            raw = str(form.get(fname) or "").strip()
            field = self._fields[fname]
            if field.type == "float":
                value = self._portal_parse_float(raw)
                if value is None:
                    errors[fname] = self.env._("Enter a number, for example 12.5.")
                else:
                    vals[fname] = value
            elif field.type == "many2one":
                province = self._portal_parse_province(raw)
                if province is None:
                    errors[fname] = self.env._("Choose a province from the list.")
                else:
                    vals[fname] = province.id
            elif field.type == "selection":
                raw = raw or self.default_get([fname]).get(fname)
                if raw in dict(field._description_selection(self.env)):
                    vals[fname] = raw
                else:
                    errors[fname] = self.env._("Choose one of the options.")
            else:
                limit = TEXT_MAX_LENGTH if field.type == "text" else CHAR_MAX_LENGTH
                vals[fname] = raw[:limit] or False
        errors.update(self._portal_check_vals(vals, errors))
        return vals, errors

    @api.model
    def _portal_check_vals(self, vals, errors):
        """The model's constraints, reported per field instead of as one error."""
        found = {}
        if vals.get("nib") and not re.fullmatch(r"\d{13}", vals["nib"]):
            found["nib"] = self.env._("The NIB must have exactly 13 digits.")
        if vals.get("npwp") and len(re.sub(r"\D", "", vals["npwp"])) not in (15, 16):
            found["npwp"] = self.env._("The NPWP must have 15 or 16 digits.")
        if vals.get("pic_email") and not single_email_re.match(vals["pic_email"]):
            found["pic_email"] = self.env._("Enter a valid e-mail address.")
        if vals.get("area_ha", 0) < 0:
            found["area_ha"] = self.env._("The area cannot be negative.")
        shares = [vals.get(fname) for fname in SHARE_FIELDS]
        for fname, share in zip(SHARE_FIELDS, shares, strict=True):
            if share is not None and not 0 <= share <= 100:
                found[fname] = self.env._("Each land-use share must be between 0 and 100%.")
        if not any(fname in errors or fname in found for fname in SHARE_FIELDS):
            total = round(sum(shares), 2)
            if any(shares) and total != 100:
                found["shares"] = self.env._(
                    "The land-use shares add up to %(total)s%%; they must add up to 100%%.",
                    total=total,
                )
        return found

    @api.model
    def _portal_parse_float(self, raw):
        """A finite number typed with a decimal point or comma; 0 when empty; else None."""
        if not raw:
            return 0.0
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            value = float(raw)
        except ValueError:
            return None
        return value if math.isfinite(value) else None

    @api.model
    def _portal_parse_province(self, raw):
        """An Indonesian province by id; an empty recordset when empty; else None."""
        provinces = self.env["res.country.state"].sudo()
        if not raw:
            return provinces
        if not raw.isdigit():
            return None
        province = provinces.browse(int(raw)).exists()
        return province if province.country_id.code == "ID" else None

    @api.model
    def _portal_provinces(self):
        return self.env["res.country.state"].sudo().search([("country_id.code", "=", "ID")])

    def _portal_form_values(self):
        """The form's values as strings: the application's, or for a new one the
        applicant's own contact data and their company's tax number."""
        if self:
            self.ensure_one()
            values = {}
            for fname in PORTAL_FIELDS:
                value = self[fname]
                if self._fields[fname].type == "many2one":
                    value = value.id
                elif self._fields[fname].type == "float":
                    value = f"{value:.4f}".rstrip("0").rstrip(".") if value else ""
                values[fname] = str(value) if value else ""
            return values
        partner = self.env.user.partner_id
        return {
            "estate_type": "general",
            "pic_name": partner.name or "",
            "pic_position": partner.function or "",
            "pic_phone": partner.phone or partner.mobile or "",
            "pic_email": partner.email or "",
            "npwp": partner.commercial_partner_id.vat or "",
        }

    def _portal_save(self, form, company_name=None):
        """Validate the portal form and save it, as the current user so that the model's
        own rules apply: a new draft when `self` is empty, else the application itself.

        Returns (application, errors per field); nothing is saved when there are errors."""
        vals, errors = self._portal_prepare_vals(form)
        needs_company = not self and self._portal_needs_company()
        company_name = (company_name or "").strip()[:CHAR_MAX_LENGTH]
        if needs_company and not company_name:
            errors["company_name"] = self.env._("Enter the name of your company.")
        if errors:
            return self, errors
        if self:
            self.write(vals)
            return self, {}
        if needs_company:
            self._portal_create_company(company_name)
        return self.create(vals), {}

    @api.model
    def _portal_needs_company(self):
        """Whether the applicant (e.g. just signed up) belongs to no company yet."""
        partner = self.env.user.partner_id
        return partner.commercial_partner_id == partner and not partner.is_company

    @api.model
    def _portal_create_company(self, name):
        """Make the applicant a contact of a new company partner named as they typed.

        Always a new partner: nobody joins an existing company from the portal, whatever
        name they type; the office merges duplicates if it must."""
        company = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name,
                    "is_company": True,
                    "country_id": self.env.ref("base.id").id,
                }
            )
        )
        self.env.user.partner_id.sudo().write({"parent_id": company.id})
        # the record rules are cached with the applicant's company of before
        self.env.registry.clear_cache()
        return company

    def _portal_submit_errors(self):
        """What still prevents the submission, per field name ("shares" for the land-use
        total) and per document slot ("document_<type id>"), in the words of
        `_check_ready_to_submit`, which checks it again on submission."""
        self.ensure_one()
        errors = {}
        for fname in SUBMIT_REQUIRED_FIELDS:
            if not self[fname]:
                errors[fname] = self.env._(
                    "%(field)s is required.",
                    field=self._fields[fname]._description_string(self.env),
                )
        if round(self.share_total, 2) != 100:
            errors["shares"] = self.env._("The land-use shares must add up to 100%.")
        for slot in self._portal_document_slots():
            latest = slot["latest"]
            if slot["type"].required and (not latest or latest.status == "invalid"):
                errors[f"document_{slot['type'].id}"] = self.env._(
                    "Document missing or to be replaced: %(name)s.", name=slot["type"].name
                )
        return errors

    def _portal_document_slots(self):
        """The checklist as the portal shows it: one slot per active document type (and
        any other type already uploaded), each with its latest and its earlier versions.
        Works on an empty recordset too (a form not saved yet)."""
        versions = self.sudo().document_version_ids
        types = self.env["ki.document.type"].sudo().search([]) | versions.document_type_id
        slots = []
        for doc_type in types.sorted(lambda t: (t.sequence, t.id)):
            typed = versions.filtered(lambda d, t=doc_type: d.document_type_id == t)
            slots.append(
                {
                    "type": doc_type,
                    "latest": typed.filtered("is_latest")[:1],
                    "older": typed.filtered(lambda d: not d.is_latest).sorted(
                        "version", reverse=True
                    ),
                }
            )
        return slots

    # ------------------------------------------------------------------ the page

    def _portal_is_owner(self):
        """Whether the current user is the applicant of this file (not only a reader)."""
        self.ensure_one()
        record = self.sudo(False)
        return record.has_access("read") and record._is_actor(APPLICANT)

    def _portal_role_label(self, role):
        return {
            APPLICANT: self.env._("Applicant"),
            SEKRETARIAT: self.env._("Secretariat"),
            KADIS: self.env._("Head of Office"),
            KABID: self.env._("Division Head"),
            TIM_TEKNIS: self.env._("Technical Team"),
        }[role]

    def _portal_holder(self):
        """Who holds the file now, as a label; False once it is closed."""
        self.ensure_one()
        if self.state in ("draft", "returned", "delivered"):
            return self._portal_role_label(APPLICANT)
        role = STATE_ROLES.get(self.state)
        return role and self._portal_role_label(role)

    def _portal_step_labels(self):
        return {
            1: self.env._("Application by the applicant"),
            2: self.env._("Receipt and registration"),
            3: self.env._("Disposition by the Head of Office"),
            4: self.env._("Disposition to the technical team"),
            5: self.env._("Technical verification"),
            6: self.env._("Review by the Division Head"),
            7: self.env._("Review and signature by the Head of Office"),
            8: self.env._("Numbering and publication of the letter"),
            9: self.env._("Letter received by the applicant"),
        }

    def _portal_timeline(self):
        """The nine SOP steps with, for each: its status (done, current or todo), who
        holds it, when it started and finished and its deadline (from the step records),
        and for step 5 the returns to the applicant with the verifier's reason and the
        applicant's reply."""
        self.ensure_one()
        record = self.sudo()
        steps = record.step_ids.sorted(lambda s: (s.date_start, s.id))
        current = STEP_OF_STATE.get(record.state)
        labels = self._portal_step_labels()
        rows = []
        for number, state, role in SOP_STEPS:
            visits = steps.filtered(lambda s, state=state: s.state == state)
            row = {
                "number": number,
                "label": labels[number],
                "role": self._portal_role_label(role),
                "date_start": visits[:1].date_start,
                "date_end": visits[-1:].date_end,
                "deadline": False,
                "late": False,
                "returns": [],
            }
            if number == 1:
                row.update(date_start=record.create_date, date_end=record.submit_date)
            if number == 9 and record.download_date:
                row["date_end"] = record.download_date
            if "deadline" in steps._fields and visits:
                row["deadline"] = visits[-1].deadline
            if "is_late" in steps._fields:
                row["late"] = any(visits.mapped("is_late"))
            if number == 5:
                row["returns"] = self._portal_returns(steps)
            if number == current and record.state not in ("done", "cancelled"):
                row["status"] = "current"
                row["date_end"] = False
            elif visits[-1:].outcome == "cancelled":
                row["status"] = "cancelled"
            elif visits or row["date_end"] or (current and number < current):
                row["status"] = "done"
            else:
                row["status"] = "todo"
            rows.append(row)
        return rows

    def _portal_returns(self, steps):
        """Each time the file came back to the applicant: when, why, and their reply."""
        returns = []
        for visit in steps.filtered(lambda s: s.state == "returned"):
            reason = steps.filtered(
                lambda s, visit=visit: (
                    s.state == "verification"
                    and s.outcome == "returned"
                    and s.date_end == visit.date_start
                )
            )[-1:]
            returns.append(
                {
                    "date_start": visit.date_start,
                    "date_end": visit.date_end,
                    "reason": reason.note,
                    "reply": visit.note,
                }
            )
        return returns

    def _portal_letter(self):
        """The published letter (an ir.attachment, sudo), once there is one."""
        self.ensure_one()
        record = self.sudo()
        if record.state not in ("delivered", "done") or "letter_attachment_id" not in self._fields:
            return self.env["ir.attachment"]
        return record.letter_attachment_id

    def _portal_survey(self):
        self.ensure_one()
        return self.env["ki.survey"].sudo().search([("permohonan_id", "=", self.id)], limit=1)

    # ------------------------------------------------------------------ public lookup

    @api.model
    def _portal_status_lookup(self, number, code):
        """The application with this registration number and verification code (sudo), or
        an empty recordset: a wrong number and a wrong code give the same answer."""
        number = (number or "").strip()[:LOOKUP_NUMBER_MAX_LENGTH]
        code = re.sub(r"[\s-]", "", code or "").upper()[:LOOKUP_CODE_MAX_LENGTH]
        if not number or not code:
            return self.browse()
        record = self.sudo().search([("name", "=", number)], limit=1)
        # compared even without a record, so both answers take the same time
        if consteq(record.lookup_code or "-" * len(code), code) and record:
            return record
        return self.browse()

    def _portal_status_dates(self):
        """The dates the public lookup shows: (label, datetime) of each milestone reached."""
        self.ensure_one()
        record = self.sudo()
        milestones = [
            (self.env._("Submitted On"), record.submit_date),
            (self.env._("Received On"), record.receive_date),
            (self.env._("Published On"), record.publish_date),
            (self.env._("Downloaded On"), record.download_date),
        ]
        if record.state == "cancelled":
            cancelled = record.step_ids.filtered(lambda s: s.outcome == "cancelled")[:1]
            milestones.append((self.env._("Cancelled On"), cancelled.date_end))
        return [(label, date) for label, date in milestones if date]
