"""Who follows which application tells which company applied: a user sees the followers of
the applications they may read, and no others (Odoo lets every internal user read every
follower row of every model)."""

import functools

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression

MODEL = "ki.permohonan"


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        restriction = self._ki_restriction()
        if restriction:
            domain = expression.AND([domain, restriction])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _ki_restriction(self):
        """The domain that hides the followers of applications the user may not read;
        nothing for the superuser and for the roles that read every application."""
        if self.env.su:
            return []
        applications = self.env[MODEL]
        if not applications.has_access("read"):
            return [("res_model", "!=", MODEL)]
        if not self.env["ir.rule"]._compute_domain(MODEL, "read"):
            return []
        return ["|", ("res_model", "!=", MODEL), ("res_id", "in", applications._search([]))]

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su:
            return result
        ours = self.sudo().filtered(lambda follower: follower.res_model == MODEL)
        readable = self.env[MODEL].browse(ours.mapped("res_id"))._filtered_access("read")
        forbidden = ours.filtered(lambda follower: follower.res_id not in readable.ids)
        if forbidden:
            return self.browse(forbidden.ids), functools.partial(
                AccessError, self.env._("These followers belong to applications you may not see.")
            )
        return None
