"""The closed minutes of a field inspection and the photos they show are kept byte for
byte: their files are never rewritten or deleted."""

from odoo import api, models
from odoo.exceptions import UserError

from .ir_attachment import PROTECTED_FIELDS


class IrAttachment(models.Model):
    _inherit = "ir.attachment"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        if (
            set(vals) & PROTECTED_FIELDS
            and self._ki_frozen_inspection_files()
            and any(attachment._ki_would_change(vals) for attachment in self)
        ):
            raise UserError(self.env._("The files of a closed field inspection cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_inspection(self):
        if self._ki_frozen_inspection_files():
            raise UserError(self.env._("The files of a closed field inspection cannot be deleted."))

    def _ki_frozen_inspection_files(self):
        """Whether any of these files is the minutes of a closed inspection or a photo of
        an inspection that is no longer open."""
        if not self.ids:
            return False
        sudo = self.sudo()
        minutes = sudo.env["ki.inspection"].search_count(
            [("attachment_id", "in", self.ids)], limit=1
        )
        photo_ids = [a.res_id for a in sudo if a.res_model == "ki.inspection.photo"]
        photos = photo_ids and sudo.env["ki.inspection.photo"].search_count(
            [("id", "in", photo_ids), ("inspection_id.state", "!=", "scheduled")], limit=1
        )
        return bool(minutes or photos)
