"""The OSS-RBA link in the settings. The user_key and the Basic password are write-only:
the form always opens with them empty (a box says whether one is saved), a value typed
replaces the saved one, and the settings record forgets it as soon as it is saved."""

from odoo import api, fields, models

SECRETS = {"ki_oss_user_key": "user_key", "ki_oss_basic_password": "basic_password"}
PLAIN = {
    "ki_oss_url": "url",
    "ki_oss_basic_user": "basic_user",
    "ki_oss_kd_izin": "kd_izin",
    "ki_oss_kd_instansi": "kd_instansi",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    ki_oss_url = fields.Char("OSS-RBA Endpoint URL")
    ki_oss_user_key = fields.Char("OSS-RBA user_key")
    ki_oss_user_key_saved = fields.Boolean("A user_key is saved", readonly=True)
    ki_oss_basic_user = fields.Char("Basic User")
    ki_oss_basic_password = fields.Char("Basic Password")
    ki_oss_basic_password_saved = fields.Boolean("A Basic password is saved", readonly=True)
    ki_oss_kd_izin = fields.Char("Permit Code (kd_izin)")
    ki_oss_kd_instansi = fields.Char("Agency Code (kd_instansi)")

    @api.model
    def get_values(self):
        values = super().get_values()
        config = self.env["ki.oss.config"]._get()
        values.update({name: config[fname] or False for name, fname in PLAIN.items()})
        values.update(
            ki_oss_user_key=False,
            ki_oss_basic_password=False,
            ki_oss_user_key_saved=bool(config.user_key),
            ki_oss_basic_password_saved=bool(config.basic_password),
        )
        return values

    def set_values(self):
        result = super().set_values()
        vals = {fname: (self[name] or "").strip() or False for name, fname in PLAIN.items()}
        for name, fname in SECRETS.items():
            if (self[name] or "").strip():
                vals[fname] = self[name].strip()
        if not vals["basic_user"]:
            vals["basic_password"] = False
        self.env["ki.oss.config"]._get_or_create().write(vals)
        # the transient record would keep the secret in its table until it is vacuumed
        self.write(dict.fromkeys(SECRETS, False))
        return result
