from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    ki_nip = fields.Char("NIP", help="Civil servant number, printed under the signature.")
    ki_position = fields.Char("Official Position", help="Position printed under the signature.")
    ki_rank = fields.Char(
        "Rank and Grade",
        help="Pangkat/golongan printed under the signer's name, e.g. Pembina Utama Muda (IV/c).",
    )
