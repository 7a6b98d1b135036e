"""What the integrity check verifies on one application: its two hash chains (step records,
document versions), the chain heads an earlier check saw, and the SHA-256 of every
evidence file it holds."""

import hashlib

from odoo import models
from odoo.exceptions import AccessError

CHECKERS = ("kawasan_industri_verif.group_auditor", "kawasan_industri_verif.group_admin")


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    def action_check_integrity(self):
        """The auditor's check of this file, recorded like the daily one."""
        self.ensure_one()
        self._check_reachable()
        if not any(self.env.user.has_group(group) for group in CHECKERS):
            raise AccessError(self.env._("Only the auditor and the administrator run this check."))
        check = self.env["ki.integrity.check"]._run(self)
        intact = check.state == "intact"
        message = (
            self.env._(
                "Intact: %(records)s chained records and %(files)s files verified.",
                records=check.record_count,
                files=check.evidence_count,
            )
            if intact
            else check.first_break
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if intact else "danger",
                "sticky": not intact,
                "message": message,
            },
        }

    def _evidence_files(self):
        """(description, attachment, SHA-256 recorded when it was filed) of every evidence
        file of the application."""
        self.ensure_one()
        files = [
            (
                self.env._(
                    "document %(type)s version %(version)s",
                    type=document.document_type_id.name,
                    version=document.version,
                ),
                document.attachment_id,
                document.sha256,
            )
            for document in self.document_version_ids
        ]
        files += [
            (
                self.env._("letter %(number)s", number=letter.name),
                letter.attachment_id,
                letter.sha256,
            )
            for letter in self.letter_ids
            if letter.attachment_id
        ]
        files += [
            (
                self.env._("minutes %(number)s", number=minutes.name),
                minutes.attachment_id,
                minutes.sha256,
            )
            for minutes in self.berita_acara_ids
            if minutes.attachment_id
        ]
        return files

    def _integrity_breaks(self, known_heads=None):
        """(breaks as sentences, the chains' heads, (chained records, evidence files)) of
        this file. `known_heads` are the heads an earlier check recorded: they must still
        be in the chains, unchanged."""
        self.ensure_one()
        chains = {
            "steps": (self.step_ids, lambda step: bool(step.date_end), self.env._("step records")),
            "documents": (
                self.document_version_ids,
                lambda document: True,
                self.env._("document versions"),
            ),
        }
        breaks, heads, records = [], {}, 0
        for chain, (rows, must_be_sealed, label) in chains.items():
            records += len(rows)
            broken, why = self.env["ki.chained.mixin"]._chain_verify(rows, must_be_sealed)
            if broken:
                breaks.append(self._integrity_sentence(broken, why))
            sealed = rows.filtered("chain_hash").sorted("id")[-1:]
            heads[chain] = [sealed.id, sealed.chain_hash] if sealed else None
            seen = (known_heads or {}).get(chain)
            if seen and not rows.filtered(lambda r, seen=seen: [r.id, r.chain_hash] == seen):
                breaks.append(
                    self.env._(
                        "%(file)s: record %(id)s, the end of its %(chain)s chain at an earlier "
                        "check, was removed or changed.",
                        file=self.display_name,
                        id=seen[0],
                        chain=label,
                    )
                )
        evidence = self._evidence_files()
        for description, attachment, sha256 in evidence:
            if hashlib.sha256(attachment.raw or b"").hexdigest() != sha256:
                breaks.append(
                    self.env._(
                        "%(file)s: the stored file of %(what)s no longer has the SHA-256 it "
                        "was filed with.",
                        file=self.display_name,
                        what=description,
                    )
                )
        return breaks, heads, (records, len(evidence))

    def _integrity_sentence(self, record, why):
        return self.env._(
            "%(file)s: %(model)s %(id)s: %(why)s.",
            file=self.display_name,
            model=record._description,
            id=record.id,
            why=why,
        )
