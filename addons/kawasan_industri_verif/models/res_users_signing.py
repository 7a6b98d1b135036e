"""Each signer's identity at BSrE: the NIK (national identity number) or the e-mail address
the certificate was issued to. Set by the administrator, read by the signing service."""

import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_company_signing import ADMIN_GROUP

NIK_RE = re.compile(r"^\d{16}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ResUsers(models.Model):
    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    ki_bsre_nik = fields.Char(
        "BSrE NIK",
        groups=ADMIN_GROUP,
        copy=False,
        help="The 16-digit NIK the signer's BSrE certificate was issued to. When set, it "
        "identifies the signer at BSrE; otherwise the BSrE e-mail does.",
    )
    ki_bsre_email = fields.Char(
        "BSrE E-mail",
        groups=ADMIN_GROUP,
        copy=False,
        help="The e-mail address the signer is registered with at BSrE, used when no NIK is set.",
    )

    @api.constrains("ki_bsre_nik", "ki_bsre_email")
    def _check_ki_bsre_identity(self):
        for user in self.sudo():
            if user.ki_bsre_nik and not NIK_RE.match(user.ki_bsre_nik):
                raise ValidationError(self.env._("The BSrE NIK must be exactly 16 digits."))
            if user.ki_bsre_email and not EMAIL_RE.match(user.ki_bsre_email):
                raise ValidationError(self.env._("The BSrE e-mail address is not valid."))

    def _ki_bsre_identity(self):
        """The signer's identity in a BSrE request ({"nik": ...} or {"email": ...}) and the
        matching `data` code of an OTP request (1 for a NIK, 3 for an e-mail), or (None, None)."""
        self.ensure_one()
        user = self.sudo()
        if user.ki_bsre_nik:
            return {"nik": user.ki_bsre_nik}, 1
        if user.ki_bsre_email:
            return {"email": user.ki_bsre_email}, 3
        return None, None
