"""The disposition sheet (lembar disposisi) passed down by the Head of Office and the
Division Head."""

from odoo import api, fields, models

from .ki_permohonan import URGENCIES


class KiDisposisiInstruction(models.Model):
    _name = "ki.disposisi.instruction"
    _description = "Disposition Instruction"
    _order = "sequence, id"

    name = fields.Char("Instruction", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class KiDisposisi(models.Model):
    _name = "ki.disposisi"
    _description = "Disposition"
    _order = "date desc, id desc"

    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", required=True, index=True, ondelete="cascade"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    from_user_id = fields.Many2one("res.users", "From", required=True)
    to_user_ids = fields.Many2many(
        "res.users", "ki_disposisi_user_rel", "disposisi_id", "user_id", "To", required=True
    )
    instruction_ids = fields.Many2many(
        "ki.disposisi.instruction",
        "ki_disposisi_instruction_rel",
        "disposisi_id",
        "instruction_id",
        "Instructions",
    )
    urgency = fields.Selection(URGENCIES, required=True, default="biasa")
    confidential = fields.Boolean(
        help="Sifat Rahasia: the sheet and the file are handled as confidential."
    )
    note = fields.Text()
    deadline = fields.Datetime()
    date_read = fields.Datetime("Read On", readonly=True)

    @api.depends("permohonan_id.name", "from_user_id", "to_user_ids")
    def _compute_display_name(self):
        for disposition in self:
            disposition.display_name = self.env._(
                "%(file)s: from %(sender)s to %(recipients)s",
                file=disposition.permohonan_id.name or self.env._("Draft"),
                sender=disposition.from_user_id.name or "",
                recipients=", ".join(disposition.to_user_ids.mapped("name")),
            )

    def _mark_read_by(self, user, when):
        """A recipient who acts on the file has read the disposition addressed to them."""
        unread = self.filtered(lambda d: not d.date_read and user in d.to_user_ids)
        if unread:
            unread.sudo().write({"date_read": when})
