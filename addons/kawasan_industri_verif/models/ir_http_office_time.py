"""The addon's pages show times in the office's time zone, whatever the visitor's browser or
user preference says: the status page of an anonymous visitor and the portal of a user
whose time zone is UTC read the same WIB (or WITA, WIT) times as the office."""

from odoo import models
from odoo.http import request

OFFICE_TIME_ROUTES = ("/my/permohonan", "/permohonan/", "/ki/")


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"  # pylint: disable=consider-merging-classes-inherited

    @classmethod
    def _pre_dispatch(cls, rule, args):
        result = super()._pre_dispatch(rule, args)
        if request.db and rule.rule.startswith(OFFICE_TIME_ROUTES):
            # ir.qweb.field.datetime adds the zone's abbreviation under ki_office_time
            request.update_context(tz=request.env.company._ki_tz(), ki_office_time=True)
        return result
