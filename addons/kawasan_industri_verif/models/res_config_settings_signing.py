from odoo import fields, models

from .res_company_signing import ADMIN_GROUP


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    ki_signing_mode = fields.Selection(related="company_id.ki_signing_mode", readonly=False)
    ki_bsre_url = fields.Char(related="company_id.ki_bsre_url", readonly=False)
    ki_bsre_client_id = fields.Char(related="company_id.ki_bsre_client_id", readonly=False)
    ki_bsre_client_secret_set = fields.Boolean(related="company_id.ki_bsre_client_secret_set")
    # Never stored here (a stored field would keep the secret in the settings' table):
    # saving the settings hands it straight to the company, and it always reads empty.
    ki_bsre_client_secret = fields.Char(
        "New BSrE Client Secret",
        compute="_compute_ki_bsre_client_secret",
        inverse="_inverse_ki_bsre_client_secret",
        groups=ADMIN_GROUP,
    )
    ki_bsre_timeout = fields.Integer(related="company_id.ki_bsre_timeout", readonly=False)
    ki_signing_certificate = fields.Binary(
        related="company_id.ki_signing_certificate", readonly=False
    )
    ki_signing_certificate_filename = fields.Char(
        related="company_id.ki_signing_certificate_filename", readonly=False
    )

    def _compute_ki_bsre_client_secret(self):
        self.ki_bsre_client_secret = False

    def _inverse_ki_bsre_client_secret(self):
        for settings in self:
            if settings.ki_bsre_client_secret:
                settings.company_id._ki_set_bsre_client_secret(settings.ki_bsre_client_secret)
        # not even the form that saved it reads it back
        self.invalidate_recordset(["ki_bsre_client_secret"])
