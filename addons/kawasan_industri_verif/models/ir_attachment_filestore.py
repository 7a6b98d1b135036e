"""A file that does not fit in the filestore is refused, never half stored.

Odoo logs a failed write to the filestore and goes on: the attachment then points to a
missing or truncated file, and a truncated file left behind blocks every later upload of
the same content ("collides with an existing file"). Here a write that did not store the
whole file removes what it wrote and refuses, so the transaction stores nothing."""

import contextlib
import logging
import os

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _file_write(self, bin_value, checksum):
        try:
            fname = super()._file_write(bin_value, checksum)
        except OSError as error:  # its folder could not be made
            raise self._ki_not_stored(len(bin_value), error) from error
        full_path = self._full_path(fname)
        try:
            complete = os.path.getsize(full_path) == len(bin_value)
        except OSError:
            complete = False
        if not complete:
            with contextlib.suppress(OSError):
                os.unlink(full_path)
            raise self._ki_not_stored(len(bin_value), "incomplete write")
        return fname

    def _ki_not_stored(self, size, error):
        _logger.warning(
            "A file of %d bytes was not stored in %s: %s", size, self._filestore(), error
        )
        return UserError(
            self.env._(
                "The file could not be stored on the server (its disk may be full). Nothing "
                "was saved: please try again later, or tell the office."
            )
        )
