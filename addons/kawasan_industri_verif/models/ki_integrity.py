"""The integrity check: it re-computes each file's hash chains (models/ki_chained.py) and
the SHA-256 of every stored evidence file, compares the chain heads with those an earlier
check saw, and reports the first break."""

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError


class KiIntegrityCheck(models.Model):
    _name = "ki.integrity.check"
    _description = "Integrity Check"
    _order = "id desc"
    _rec_name = "date"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", "Run By", readonly=True)
    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", readonly=True, help="Empty when every file was checked."
    )
    file_count = fields.Integer("Files", readonly=True)
    record_count = fields.Integer("Chained Records", readonly=True)
    evidence_count = fields.Integer("Evidence Files Hashed", readonly=True)
    break_count = fields.Integer("Breaks", readonly=True)
    state = fields.Selection(
        [("intact", "Intact"), ("broken", "Broken")], required=True, readonly=True
    )
    first_break = fields.Text(readonly=True)
    heads = fields.Json(
        readonly=True, help="The last hash of each file's chains, compared by the next check."
    )

    @api.model
    def _run(self, permohonans=None):
        """Check `permohonans` (every file when None) and record the result."""
        Permohonan = self.env["ki.permohonan"].sudo()
        files = permohonans.sudo() if permohonans is not None else Permohonan.search([])
        breaks, heads, records, evidence = [], {}, 0, 0
        known = self._known_heads()
        for permohonan in files:
            file_breaks, file_heads, counts = permohonan._integrity_breaks(known.get(permohonan.id))
            breaks += file_breaks
            heads[str(permohonan.id)] = file_heads
            records += counts[0]
            evidence += counts[1]
        return self.sudo().create(
            {
                "user_id": self.env.user.id,
                "permohonan_id": permohonans.id
                if permohonans is not None and len(files) == 1
                else False,
                "file_count": len(files),
                "record_count": records,
                "evidence_count": evidence,
                "break_count": len(breaks),
                "state": "broken" if breaks else "intact",
                "first_break": breaks[0] if breaks else False,
                "heads": heads,
            }
        )

    def action_run_all(self):
        """Check every file now, as the daily check does."""
        if not self.env.user.has_group("kawasan_industri_verif.group_auditor"):
            raise AccessError(self.env._("Only the auditor and the administrator run this check."))
        check = self._run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": check.id,
            "view_mode": "form",
        }

    @api.model
    def _known_heads(self):
        """file id -> the chain heads recorded by earlier checks, the latest first seen."""
        known = {}
        for check in self.sudo().search([("heads", "!=", False)], order="id desc", limit=50):
            for file_id, file_heads in (check.heads or {}).items():
                known.setdefault(int(file_id), file_heads)
        return known

    @api.model
    def _cron_check(self):
        """The daily check of every file; a break is reported to the administrators and
        the auditors at once."""
        check = self._run()
        if check.state == "broken":
            users = (
                self.env.ref("kawasan_industri_verif.group_auditor").sudo().users
                | self.env.ref("kawasan_industri_verif.group_admin").sudo().users
            ).filtered(lambda u: u.active and not u.share)
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=users.partner_id.ids,
                subject=self.env._(
                    "Integrity check: %(count)s break(s) found", count=check.break_count
                ),
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._("The daily integrity check found records or files that changed:"),
                    check.first_break,
                ),
                author_id=self.env.ref("base.partner_root").id,
            )
        return check
