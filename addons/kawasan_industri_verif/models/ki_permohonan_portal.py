"""What the applicant portal needs from an application: the form, the timeline of the nine
SOP steps, the document checklist, and the public status lookup."""

import math
import re

from odoo import api, fields, models
from odoo.tools import consteq

from .ki_permohonan import APPLICANT_FORM_FIELDS, SHARE_FIELDS
from .sop import APPLICANT, CLOSED_STATES, STATE, STATES, STEP_TITLES

CHAR_MAX_LENGTH = 256
TEXT_MAX_LENGTH = 4000
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
        the errors per field name ("shares" for the land-use total). Only the applicant's
        form fields are read: anything else a crafted POST sends is ignored."""
        vals, errors = {}, {}
        for fname in APPLICANT_FORM_FIELDS:
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
            elif field.type == "date":
                value = self._portal_parse_date(raw)
                if value is None:
                    errors[fname] = self.env._("Enter a date, for example 2026-03-12.")
                else:
                    vals[fname] = value
            elif field.type == "selection":
                raw = raw or self.default_get([fname]).get(fname)
                if raw in dict(field._description_selection(self.env)):
                    vals[fname] = raw
                else:
                    errors[fname] = self.env._("Choose one of the options.")
            else:
                limit = TEXT_MAX_LENGTH if field.type == "text" else CHAR_MAX_LENGTH
                vals[fname] = raw[:limit] or False
        problems = self._field_problems(vals)
        if errors.keys() & set(SHARE_FIELDS):
            problems.pop("shares", None)  # the total of unreadable numbers means nothing
        errors.update(
            {fname: message for fname, message in problems.items() if fname not in errors}
        )
        return vals, errors

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
    def _portal_parse_date(self, raw):
        """A date as a browser's date input sends it (YYYY-MM-DD); False when empty; else None."""
        if not raw:
            return False
        try:
            return fields.Date.to_date(raw)
        except ValueError:
            return None

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
            for fname in APPLICANT_FORM_FIELDS:
                value = self[fname]
                if self._fields[fname].type == "many2one":
                    value = value.id
                elif self._fields[fname].type == "float":
                    value = f"{value:.4f}".rstrip("0").rstrip(".") if value else ""
                elif self._fields[fname].type == "date":
                    value = fields.Date.to_string(value) if value else ""
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

    def _portal_holder(self):
        """Who holds the file now, as a label; False once it is closed."""
        self.ensure_one()
        role = STATE[self.state].role
        return role and self._role_label(role)

    def _portal_timeline(self):
        """The nine SOP steps with, for each: its status (done, current or todo), who
        holds it, when it started and finished and its deadline (from the step records),
        and for step 5 the returns to the applicant with the verifier's reason and the
        applicant's reply."""
        self.ensure_one()
        record = self.sudo()
        steps = record.step_ids.sorted(lambda s: (s.date_start, s.id))
        current = STATE[record.state].step
        rows = []
        for number, title in STEP_TITLES.items():
            # the state the step starts in (the applicant's correction is inside step 5)
            state = next(state for state in STATES if state.step == number)
            visits = steps.filtered(lambda s, state=state: s.state == state.key)
            row = {
                "number": number,
                "label": self.env._(title),
                "role": self._role_label(state.role),
                "date_start": visits[:1].date_start,
                "date_end": visits[-1:].date_end,
                "deadline": visits[-1:].deadline,
                "late": any(visits.mapped("is_late")),
                "returns": [],
            }
            if state.key == "draft":
                row.update(date_start=record.create_date, date_end=record.submit_date)
            if state.key == "delivered" and record.download_date:
                row["date_end"] = record.download_date
            if state.key == "verification":
                row["returns"] = self._portal_returns(steps)
            if number == current and record.state not in CLOSED_STATES:
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
        if record.state not in ("delivered", "done"):
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
