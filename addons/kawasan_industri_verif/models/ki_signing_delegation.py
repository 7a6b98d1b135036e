"""Who may sign the decision for the Head of Office, and how the signature block says it:
a.n. (on behalf of, by a named official), Plt. (acting, while the post is vacant) or Plh.
(standing in, while the head is away), as Permendagri 1/2023 on official documents has it."""

from odoo import api, fields, models
from odoo.exceptions import UserError

KINDS = [
    ("an", "a.n. (on behalf of)"),
    ("plt", "Plt. (acting head)"),
    ("plh", "Plh. (standing in)"),
]
PREFIXES = {"an": "a.n.", "plt": "Plt.", "plh": "Plh."}


class KiSigningDelegation(models.Model):
    _name = "ki.signing.delegation"
    _description = "Signing Delegation"
    _order = "date_from desc, id desc"

    kind = fields.Selection(KINDS, required=True, default="an")
    user_id = fields.Many2one(
        "res.users",
        "Signs",
        required=True,
        domain=[("share", "=", False)],
        help="The official who signs with this delegation; they act in step 7.",
    )
    date_from = fields.Date("From", required=True, default=fields.Date.context_today)
    date_to = fields.Date("Until", help="Empty: until further notice.")
    decree = fields.Char(help="The order or decree that gives the delegation.")
    active = fields.Boolean(default=True)

    @api.depends("kind", "user_id")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{PREFIXES[rec.kind]} — {rec.user_id.name or ''}"

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for rec in self:
            if rec.date_to and rec.date_to < rec.date_from:
                raise UserError(self.env._("A delegation ends after it starts."))

    @api.model
    def _available(self, user, day):
        """The delegations `user` may sign with on `day`."""
        return self.sudo().search(
            [
                ("user_id", "=", user.id),
                ("date_from", "<=", day),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", day),
            ]
        )

    def _signature_title(self, user, head_title):
        """The lines above the signature: the head's title, after a.n./Plt./Plh. and, for
        a.n., the signer's own position."""
        if not self:
            return user.ki_position or head_title
        self.ensure_one()
        title = f"{PREFIXES[self.kind]} {head_title}"
        if self.kind == "an" and user.ki_position:
            title += f"\n{user.ki_position}"
        return title
