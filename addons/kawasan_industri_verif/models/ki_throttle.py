"""The throttle of the public pages (status lookup, letter verification): hits counted per
client address in PostgreSQL, so every worker and every node shares the count, in a window
of a minute and one of an hour, with the limits of the settings."""

import math

from odoo import api, fields, models
from psycopg2.errors import SerializationFailure

PARAM_PER_MINUTE = "kawasan_industri_verif.throttle_per_minute"
PARAM_PER_HOUR = "kawasan_industri_verif.throttle_per_hour"
DEFAULT_PER_MINUTE = 10
DEFAULT_PER_HOUR = 100
TRIES = 3


class KiThrottle(models.Model):
    _name = "ki.throttle"
    _description = "Public Request Counter"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(required=True, readonly=True)

    _sql_constraints = [("key_uniq", "unique(key)", "One counter per client and window.")]

    @api.model
    def _hit(self, scope, client, limits=None):
        """Count one request of `client` (an address) on `scope` (a page); returns the
        seconds it must wait when it passed a limit, else 0. `limits`, pairs (window in
        seconds, requests), replaces the settings' limits of the public pages for a scope
        that needs its own.

        Counted in a transaction of its own: the hit stands even if the request fails, and
        read-only requests served by a replica count too."""
        if limits is None:
            get_param = self.env["ir.config_parameter"].sudo().get_param
            limits = (
                (60, int(get_param(PARAM_PER_MINUTE, DEFAULT_PER_MINUTE))),
                (3600, int(get_param(PARAM_PER_HOUR, DEFAULT_PER_HOUR))),
            )
        with self.env.registry.cursor() as cr:
            for attempt in range(TRIES):
                try:
                    return self._count(cr, scope, client, limits)
                except SerializationFailure:
                    cr.rollback()  # the same client, at the same moment: count again
                    if attempt == TRIES - 1:
                        return 1
        return 0

    @api.model
    def _count(self, cr, scope, client, limits):
        wait = 0
        for seconds, limit in limits:
            cr.execute(
                """
                WITH now AS (SELECT %(now)s::timestamp AS at)
                INSERT INTO ki_throttle AS t (key, window_start, hits)
                SELECT %(key)s, at, 1 FROM now
                ON CONFLICT (key) DO UPDATE SET
                    hits = CASE WHEN t.window_start > (SELECT at FROM now) - %(span)s::interval
                                THEN t.hits + 1 ELSE 1 END,
                    window_start = CASE
                        WHEN t.window_start > (SELECT at FROM now) - %(span)s::interval
                        THEN t.window_start ELSE (SELECT at FROM now) END
                RETURNING hits,
                    extract(epoch FROM window_start + %(span)s::interval - (SELECT at FROM now))
                """,
                {
                    "key": f"{scope}/{seconds}/{client}",
                    "span": f"{seconds} seconds",
                    "now": fields.Datetime.now(),
                },
                log_exceptions=False,
            )
            hits, left = cr.fetchone()
            if hits > limit:
                wait = max(wait, math.ceil(left) or 1)
        return wait

    @api.model
    def _gc(self):
        """Forget the counters of windows long past."""
        self.env.cr.execute(
            "DELETE FROM ki_throttle"
            " WHERE window_start < now() at time zone 'UTC' - interval '1 day'"
        )
