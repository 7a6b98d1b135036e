"""The office's satisfaction index (IKM) of a period, published with its follow-up plan on
a public page, as Permenpan-RB 14/2017 asks: the figures are computed from the survey
answers of the period and frozen when the Head of Office publishes them."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytz
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .ki_survey import ELEMENT_FIELDS, PROFILE_FIELDS, QUALITIES

# What publishing writes; nothing else of a published index changes afterwards.
PUBLISHED_FIELDS = {"state", "published_date", "published_by_id"}


class KiIkmPublication(models.Model):
    _name = "ki.ikm.publication"
    _description = "Published Satisfaction Index (IKM)"
    _order = "date_to desc, id desc"

    name = fields.Char(
        "Period", required=True, help="As the public page names it, e.g. Semester I 2026."
    )
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("Until", required=True)
    follow_up = fields.Text(
        "Follow-up Plan",
        help="What the office will do about the weakest elements, published with the index.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")],
        default="draft",
        required=True,
        readonly=True,
    )
    respondent_count = fields.Integer("Respondents", readonly=True)
    ikm = fields.Float("Satisfaction Index (IKM)", digits=(5, 2), readonly=True)
    quality = fields.Selection(QUALITIES, "Service Quality", readonly=True)
    element_means = fields.Json(readonly=True)
    profile_counts = fields.Json(readonly=True)
    published_date = fields.Datetime("Published On", readonly=True)
    published_by_id = fields.Many2one("res.users", readonly=True)

    _sql_constraints = [
        ("period_order", "CHECK(date_from <= date_to)", "The period must end after it starts."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._compute_figures()
        return records

    def write(self, vals):
        if self.filtered(lambda p: p.state == "published") and set(vals) - PUBLISHED_FIELDS:
            raise UserError(self.env._("A published index never changes: publish a new one."))
        result = super().write(vals)
        if {"date_from", "date_to"} & set(vals):
            self._compute_figures()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda p: p.state == "published"):
            raise UserError(self.env._("A published index is never deleted."))

    def action_refresh(self):
        """Count again the answers of the period (a draft only)."""
        self._compute_figures()
        return True

    def action_publish(self):
        """Freeze the figures of the period and put them on the public page."""
        for publication in self:
            if publication.state == "published":
                continue
            if not (publication.follow_up or "").strip():
                raise ValidationError(
                    self.env._("Write the follow-up plan before publishing the index.")
                )
            publication._compute_figures()
            if not publication.respondent_count:
                raise ValidationError(self.env._("No survey answer falls in this period."))
            publication.write(
                {
                    "state": "published",
                    "published_date": fields.Datetime.now(),
                    "published_by_id": self.env.user.id,
                }
            )
        return True

    def _compute_figures(self):
        """The index of the answers given in the period (days in the office's time zone)."""
        for publication in self:
            if publication.state == "published":
                continue
            surveys = publication._surveys()
            row = surveys._ikm_row(publication.name)
            profile = {fname: dict(Counter(surveys.mapped(fname))) for fname in PROFILE_FIELDS}
            publication.write(
                {
                    "respondent_count": row["count"],
                    "ikm": row["ikm"],
                    "quality": row["quality"],
                    "element_means": {
                        f: round(row["means"].get(f, 0.0), 2) for f in ELEMENT_FIELDS
                    },
                    "profile_counts": profile,
                }
            )

    def _surveys(self):
        self.ensure_one()
        tz = pytz.timezone(self.env.company._ki_tz())
        start, end = (
            tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
            for day in (self.date_from, self.date_to + timedelta(days=1))
        )
        return self.env["ki.survey"].sudo().search([("date", ">=", start), ("date", "<", end)])

    def _public_rows(self):
        """What the public page shows of a publication: each element with its mean, and
        each profile question with its answers and counts, labelled in the page's language."""
        self.ensure_one()
        Survey = self.env["ki.survey"]
        elements = [
            (label, (self.element_means or {}).get(fname, 0.0))
            for fname, label in Survey._element_labels()
        ]
        profile = []
        for fname, label, choices in Survey._profile_choices():
            counts = (self.profile_counts or {}).get(fname, {})
            profile.append((label, [(choice, counts.get(key, 0)) for key, choice in choices]))
        return elements, profile
