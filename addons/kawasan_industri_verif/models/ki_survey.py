"""The satisfaction survey (SKM) the applicant answers after receiving the letter, and the
office's satisfaction index (IKM) per period, as Permenpan-RB 14/2017 defines them."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The nine elements (unsur) of the survey, each answered on the 1-4 scale.
ELEMENT_FIELDS = (
    "score_requirements",
    "score_procedure",
    "score_time",
    "score_cost",
    "score_product",
    "score_competence",
    "score_behaviour",
    "score_complaints",
    "score_facilities",
)
SCORES = (1, 2, 3, 4)
# The four answers of each element, from the one scoring 1 to the one scoring 4, as the
# questionnaire of Permenpan-RB 14/2017 words them (U4: "Gratis" scores 4).
_SUITABILITY = (_lt("Not suitable"), _lt("Less suitable"), _lt("Suitable"), _lt("Very suitable"))
ELEMENT_ANSWERS = {
    "score_requirements": _SUITABILITY,
    "score_procedure": (_lt("Not easy"), _lt("Less easy"), _lt("Easy"), _lt("Very easy")),
    "score_time": (_lt("Not fast"), _lt("Less fast"), _lt("Fast"), _lt("Very fast")),
    "score_cost": (_lt("Very expensive"), _lt("Fairly expensive"), _lt("Cheap"), _lt("Free")),
    "score_product": _SUITABILITY,
    "score_competence": (
        _lt("Not competent"),
        _lt("Less competent"),
        _lt("Competent"),
        _lt("Very competent"),
    ),
    "score_behaviour": (
        _lt("Not polite and friendly"),
        _lt("Less polite and friendly"),
        _lt("Polite and friendly"),
        _lt("Very polite and friendly"),
    ),
    "score_complaints": (
        _lt("None"),
        _lt("Exists but does not work"),
        _lt("Works, but not fully"),
        _lt("Well managed"),
    ),
    "score_facilities": (_lt("Bad"), _lt("Adequate"), _lt("Good"), _lt("Very good")),
}
# The respondent's profile the questionnaire asks for.
AGE_GROUPS = [
    ("under_25", "Under 25"),
    ("25_34", "25 to 34"),
    ("35_44", "35 to 44"),
    ("45_54", "45 to 54"),
    ("55_over", "55 or older"),
]
SEXES = [("male", "Male"), ("female", "Female")]
EDUCATIONS = [
    ("primary", "Primary school or less"),
    ("junior", "Junior high school"),
    ("senior", "Senior high school"),
    ("diploma", "Diploma (D1 to D4)"),
    ("bachelor", "Bachelor (S1)"),
    ("master", "Master or doctorate (S2, S3)"),
]
OCCUPATIONS = [
    ("civil_servant", "Civil servant"),
    ("military", "Armed forces (TNI)"),
    ("police", "Police (Polri)"),
    ("private", "Private employee"),
    ("entrepreneur", "Entrepreneur"),
    ("other", "Other"),
]
PROFILE_FIELDS = ("age_group", "sex", "education", "occupation")
# IKM = the mean of the element means (NRR, equal weights of 1/9) times 25: from 25 to 100.
IKM_FACTOR = 25
# Lowest IKM of each service quality letter (Permenpan-RB 14/2017, table of intervals).
QUALITY_THRESHOLDS = (("A", 88.31), ("B", 76.61), ("C", 65.0), ("D", 0.0))
QUALITIES = [("A", "A (Very Good)"), ("B", "B (Good)"), ("C", "C (Fair)"), ("D", "D (Poor)")]
COMMENT_MAX_LENGTH = 2000


def _score_field(string, question):
    return fields.Integer(string, required=True, aggregator="avg", help=question)


class KiSurvey(models.Model):
    _name = "ki.survey"
    _description = "Community Satisfaction Survey"
    _order = "date desc, id desc"
    _rec_name = "permohonan_id"

    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", "Company", compute="_compute_partner_id", store=True, index=True
    )
    user_id = fields.Many2one("res.users", "Respondent", readonly=True)
    date = fields.Datetime("Answered On", required=True, readonly=True, index=True)
    score_requirements = _score_field(
        "U1 Requirements", "How well do the requirements match the type of service?"
    )
    score_procedure = _score_field(
        "U2 Systems, Mechanisms and Procedures", "How easy is the service procedure?"
    )
    score_time = _score_field("U3 Completion Time", "How fast was the service completed?")
    score_cost = _score_field("U4 Cost / Tariff", "How reasonable is the cost of the service?")
    score_product = _score_field(
        "U5 Product Specification of the Service",
        "How well does the result match the published service standard?",
    )
    score_competence = _score_field(
        "U6 Competence of the Staff", "How competent were the staff who served you?"
    )
    score_behaviour = _score_field(
        "U7 Behaviour of the Staff", "How courteous and helpful were the staff?"
    )
    score_complaints = _score_field(
        "U8 Handling of Complaints, Suggestions and Feedback",
        "How well are complaints, suggestions and feedback handled?",
    )
    score_facilities = _score_field(
        "U9 Facilities and Infrastructure", "How good are the facilities and infrastructure?"
    )
    comment = fields.Text("Suggestions")
    age_group = fields.Selection(AGE_GROUPS, "Age", required=True)
    sex = fields.Selection(SEXES, required=True)
    education = fields.Selection(EDUCATIONS, required=True)
    occupation = fields.Selection(OCCUPATIONS, required=True)
    score_average = fields.Float(
        "Average Score", compute="_compute_index", store=True, aggregator="avg", digits=(3, 2)
    )
    ikm = fields.Float(
        "Satisfaction Index (IKM)",
        compute="_compute_index",
        store=True,
        aggregator="avg",
        digits=(5, 2),
        help="The respondent's mean score times 25 (25 to 100). Averaged over a period, it is "
        "the office's IKM for that period.",
    )
    quality = fields.Selection(
        QUALITIES, "Service Quality", compute="_compute_index", store=True, index=True
    )

    _sql_constraints = [
        (
            "permohonan_uniq",
            "unique(permohonan_id)",
            "An application is rated only once.",
        ),
    ]

    @api.constrains(*ELEMENT_FIELDS)
    def _check_scores(self):
        for survey in self:
            if any(survey[fname] not in SCORES for fname in ELEMENT_FIELDS):
                raise ValidationError(self.env._("Each element is rated from 1 to 4."))

    @api.depends("permohonan_id.partner_id")
    def _compute_partner_id(self):
        for survey in self:
            survey.partner_id = survey.permohonan_id.partner_id

    @api.depends(*ELEMENT_FIELDS)
    def _compute_index(self):
        for survey in self:
            average = sum(survey[f] for f in ELEMENT_FIELDS) / len(ELEMENT_FIELDS)
            survey.score_average = average
            survey.ikm = round(average * IKM_FACTOR, 2)
            survey.quality = self._ikm_quality(survey.ikm)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            vals_list = [self._prepare_respondent_vals(vals) for vals in vals_list]
        return super().create(vals_list)

    def _prepare_respondent_vals(self, vals):
        """An applicant rates their own application once, after downloading the letter;
        only the answers are theirs to give, the respondent and the date are set here."""
        permohonan = self.env["ki.permohonan"].browse(vals.get("permohonan_id") or []).exists()
        if not permohonan or not permohonan._portal_is_owner():
            raise AccessError(
                self.env._("Only the applicant rates the service of their own application.")
            )
        if permohonan.state != "done":
            raise UserError(
                self.env._("The service can be rated once the letter has been downloaded.")
            )
        if permohonan._portal_survey():
            raise UserError(self.env._("This application has already been rated."))
        answers = {fname: vals.get(fname) for fname in ELEMENT_FIELDS + PROFILE_FIELDS}
        for fname in PROFILE_FIELDS:
            if answers[fname] not in dict(self._fields[fname]._description_selection(self.env)):
                raise UserError(self.env._("Answer the four questions about you."))
        comment = (vals.get("comment") or "").strip()[:COMMENT_MAX_LENGTH]
        return dict(
            answers,
            permohonan_id=permohonan.id,
            comment=comment or False,
            user_id=self.env.user.id,
            date=fields.Datetime.now(),
        )

    # ------------------------------------------------------------------ the index

    @api.model
    def _ikm_quality(self, ikm):
        """The service quality letter of an IKM value."""
        ikm = round(ikm, 2)
        return next(letter for letter, lowest in QUALITY_THRESHOLDS if ikm >= lowest)

    def _ikm_row(self, label):
        """The index of these surveys: respondents, the mean of each element (NRR), the
        IKM and its quality. The means are rounded for display only."""
        count = len(self)
        if not count:
            return {"label": label, "count": 0, "means": {}, "ikm": 0.0, "quality": False}
        means = {fname: sum(self.mapped(fname)) / count for fname in ELEMENT_FIELDS}
        ikm = round(sum(means.values()) / len(ELEMENT_FIELDS) * IKM_FACTOR, 2)
        quality = self._ikm_quality(ikm)
        labels = dict(self._fields["quality"]._description_selection(self.env))
        return {
            "label": label,
            "count": count,
            "means": means,
            "ikm": ikm,
            "quality": quality,
            "quality_label": labels[quality],
        }

    def _ikm_by_period(self):
        """The index per month of these surveys, oldest first, then for all of them."""
        by_month = defaultdict(lambda: self.browse())
        for survey in self:
            by_month[survey.date.date().replace(day=1)] |= survey
        rows = [
            by_month[month]._ikm_row(format_date(self.env, month, date_format="MMMM y"))
            for month in sorted(by_month)
        ]
        return rows + [self._ikm_row(self.env._("All periods"))]

    @api.model
    def _element_answers(self):
        """Each element's four answers with their scores: {field: [(1, label), ...]}."""
        return {
            fname: [(score, self.env._(label)) for score, label in zip(SCORES, labels, strict=True)]
            for fname, labels in ELEMENT_ANSWERS.items()
        }

    @api.model
    def _profile_choices(self):
        """The respondent's profile questions: [(field, label, [(key, label), ...])]."""
        return [
            (
                fname,
                self._fields[fname]._description_string(self.env),
                self._fields[fname]._description_selection(self.env),
            )
            for fname in PROFILE_FIELDS
        ]

    @api.model
    def _ikm_weighting(self):
        """Which weighting the index uses, as the reports and the public page state it."""
        return self.env._(
            "Weighting: the nine elements weigh the same, 1/9 each (the weighted average value "
            "of Permenpan-RB 14/2017, 1/9 = 0.111, which the regulation rounds to 0.11). The "
            "index is computed with 1/9 exactly: IKM = (U1 + ... + U9 means) / 9 x 25, from "
            "25 to 100."
        )

    @api.model
    def _element_labels(self):
        return [
            (fname, self._fields[fname]._description_string(self.env)) for fname in ELEMENT_FIELDS
        ]
