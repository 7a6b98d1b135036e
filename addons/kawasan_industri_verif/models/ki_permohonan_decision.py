"""What a decision draft rests on: the technical team checks every document before it
drafts, an approval stands only on valid required documents, and a rejection names what
failed. Checked on every transition of the SOP table that takes the decision (its DECISION
inputs: the team's draft, the Division Head's approval, the Head of Office's signature), so
that the Berita Acara, the letter and the portal never contradict the documents."""

import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVE = "approve"
REJECT = "reject"


def _normalized(text):
    return re.sub(r"\s+", " ", text or "").strip().casefold()


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    document_todo_count = fields.Integer(
        "Documents to Check",
        compute="_compute_document_counts",
        compute_sudo=True,
        help="Latest document versions the technical team has not marked valid or invalid yet.",
    )
    document_invalid_count = fields.Integer(
        "Invalid Documents", compute="_compute_document_counts", compute_sudo=True
    )
    document_check_summary = fields.Char(
        "Documents Checked", compute="_compute_document_counts", compute_sudo=True
    )

    @api.depends("document_ids.status")
    def _compute_document_counts(self):
        for rec in self:
            statuses = rec.document_ids.mapped("status")
            rec.document_todo_count = statuses.count("pending")
            rec.document_invalid_count = statuses.count("invalid")
            rec.document_check_summary = self.env._(
                "%(total)s documents: %(valid)s valid, %(invalid)s invalid, %(todo)s to check",
                total=len(statuses),
                valid=statuses.count("valid"),
                invalid=statuses.count("invalid"),
                todo=statuses.count("pending"),
            )

    # ------------------------------------------------------------------ actions

    def action_mark_documents_valid(self):
        """The verifier accepts, in one go, every latest document version still unchecked
        (the ones they marked invalid stay invalid)."""
        self.ensure_one()
        self._check_reachable()
        if not self._may("action_submit_draft"):
            raise AccessError(
                self.env._(
                    "Only a verifier assigned to the file checks its documents, during "
                    "the technical verification."
                )
            )
        todo = self.sudo().document_ids.filtered(lambda d: d.status == "pending")
        return todo.sudo(False).action_mark_valid() if todo else True

    # ------------------------------------------------------------------ the rule

    def _prepare_draft_vals(self, decision, decision_reason, evaluation_summary):
        vals = super()._prepare_draft_vals(decision, decision_reason, evaluation_summary)
        problems = self._decision_problems(
            vals.get("decision", self.decision),
            vals.get("decision_reason", self.decision_reason),
        )
        if problems:
            raise UserError(
                self.env._("The decision draft cannot go further yet:")
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )
        return vals

    def _decision_problems(self, decision, reason):
        """Why the draft with this decision and these reasons cannot be submitted, approved
        or signed, as sentences; empty when it can."""
        self.ensure_one()
        documents = self.sudo().document_ids
        todo = documents.filtered(lambda d: d.status == "pending")
        problems = []
        if todo:
            problems.append(
                self.env._(
                    "Mark every document valid or invalid first; still to check: %(names)s.",
                    names=", ".join(todo.document_type_id.mapped("name")),
                )
            )
        if decision == APPROVE:
            required = self.env["ki.document.type"].sudo().search([("required", "=", True)])
            valid = documents.filtered(lambda d: d.status == "valid").document_type_id
            failing = required - valid - todo.document_type_id
            if failing:
                problems.append(
                    self.env._(
                        "An approval needs every required document valid; not valid: "
                        "%(names)s. Return the file to the applicant, or propose a rejection.",
                        names=", ".join(failing.mapped("name")),
                    )
                )
        elif decision == REJECT:
            failures = self._decision_failures()
            if not failures:
                problems.append(
                    self.env._(
                        "A rejection needs what failed: mark the documents that fail invalid "
                        "(with what is wrong), or approve."
                    )
                )
            unnamed = [names[0] for names in failures if not self._names_one_of(reason, names)]
            if unnamed:
                problems.append(
                    self.env._(
                        "The reasons of a rejection must name what failed: %(names)s.",
                        names="; ".join(unnamed),
                    )
                )
        return problems

    def _decision_failures(self):
        """What failed, each as the names that may stand for it in the reasons (in the
        user's language first, then the office's): the latest document versions marked
        invalid and the automatic technical checks of the master plan that are not met."""
        self.ensure_one()
        office = self.with_context(lang=self.env.company._ki_lang())
        invalid = self.sudo().document_ids.filtered(lambda d: d.status == "invalid")
        failures = [
            (
                doc_type.name,
                doc_type.with_context(lang=office.env.lang).name,
                doc_type.code,
            )
            for doc_type in invalid.document_type_id
        ]
        office_checks = office._technical_checks()
        for check, office_check in zip(self._technical_checks(), office_checks, strict=True):
            if not check["ok"]:
                failures.append((check["label"], office_check["label"]))
        return failures

    def _decision_failure_lines(self):
        """What failed, one line each, as the reasons of a rejection can start."""
        self.ensure_one()
        invalid = self.sudo().document_ids.filtered(lambda d: d.status == "invalid")
        lines = [
            f"- {document.document_type_id.name}: {document.verifier_note or ''}".rstrip(": ")
            for document in invalid
        ]
        lines += [
            f"- {check['label']}: {check['value']} ({check['requirement']})"
            for check in self._technical_checks()
            if not check["ok"]
        ]
        return "\n".join(lines)

    @api.model
    def _names_one_of(self, text, names):
        text = _normalized(text)
        return any(_normalized(name) in text for name in names if name)
