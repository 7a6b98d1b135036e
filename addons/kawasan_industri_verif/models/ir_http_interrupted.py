"""A request the database cut off (a restart, a lost connection, a conflict that did not
go away after Odoo's retries) was rolled back as a whole: the user is told that, and to
try again, rather than shown the database driver's message."""

import logging

import psycopg2
from odoo import models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__, default_lang="en_US")

INTERRUPTED = _lt(
    "The server lost its connection to the database while handling your request: nothing "
    "was saved. Please try again in a moment."
)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"  # pylint: disable=consider-merging-classes-inherited

    @classmethod
    def _handle_error(cls, exception):
        if isinstance(exception, psycopg2.OperationalError | psycopg2.InterfaceError):
            exception = UserError(cls._ki_interrupted_message())
        return super()._handle_error(exception)

    @classmethod
    def _ki_interrupted_message(cls):
        try:
            return request.env._(INTERRUPTED)
        except Exception:  # the user's language may need the database that just went away
            _logger.info("Interruption message left in English", exc_info=True)
            return INTERRUPTED._translate("en_US")
