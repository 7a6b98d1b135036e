"""The OSS-RBA outbox: every call to OSS is a record (what is sent, how often it was tried,
the last error, the next try). A scheduled action sends the calls that are due, one per
transaction, with exponential back-off after a failure; a row lock taken with SKIP LOCKED
makes two workers running it at the same moment send each call once. Nothing in the
workflow waits for OSS: a step queues its call and goes on."""

import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from psycopg2.errors import SerializationFailure

from .ki_oss_config import (
    CHECK_LICENSE_STATUS,
    ERROR_CODES,
    INQUERY_NIB,
    METHODS,
    PERMANENT_ERRORS,
    RECEIVE_LICENSE_STATUS,
    OssError,
)

_logger = logging.getLogger(__name__)

CALL_STATES = [
    ("pending", "Waiting"),
    ("done", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
ORIGINS = [
    ("portal", "Applicant's form"),
    ("office", "Office"),
    ("workflow", "Workflow"),
]
# After the n-th failed attempt the call waits BACKOFF_MINUTES * 2**(n-1) minutes (2, 4,
# 8, ...), at most MAX_DELAY_MINUTES; after MAX_ATTEMPTS it waits for the administrator.
BACKOFF_MINUTES = 2
MAX_DELAY_MINUTES = 6 * 60
MAX_ATTEMPTS = 12
CRON_XMLID = "kawasan_industri_verif.ir_cron_ki_oss_send"
ADMIN_GROUP = "kawasan_industri_verif.group_admin"


class KiOssCall(models.Model):
    _name = "ki.oss.call"
    _description = "OSS-RBA Call"
    _order = "id desc"
    _rec_name = "method"

    method = fields.Selection(METHODS, required=True, readonly=True, index=True)
    permohonan_id = fields.Many2one(
        "ki.permohonan",
        "Application",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    partner_id = fields.Many2one("res.partner", "Company", readonly=True)
    user_id = fields.Many2one(
        "res.users", "Requested by", readonly=True, default=lambda self: self.env.user
    )
    origin = fields.Selection(ORIGINS, default="workflow", required=True, readonly=True)
    payload = fields.Json(
        "Payload (JSON)",
        readonly=True,
        help="The JSON body sent to OSS, exactly. The credentials travel in the headers and "
        "are never stored.",
    )
    payload_text = fields.Text("Payload", compute="_compute_texts")
    state = fields.Selection(
        CALL_STATES, default="pending", required=True, readonly=True, index=True
    )
    attempts = fields.Integer(readonly=True)
    next_try = fields.Datetime(readonly=True, default=fields.Datetime.now)
    last_try = fields.Datetime(readonly=True)
    done_date = fields.Datetime("Sent On", readonly=True)
    last_error_code = fields.Selection(ERROR_CODES, readonly=True)
    last_error_detail = fields.Char("OSS Said", readonly=True)
    last_error = fields.Char(compute="_compute_last_error")
    response = fields.Json("Answer (JSON)", readonly=True)
    response_text = fields.Text("Answer", compute="_compute_texts")
    profile_id = fields.Many2one("ki.oss.profile", "NIB Data", readonly=True)

    def _compute_texts(self):
        for rec in self:
            rec.payload_text = json.dumps(rec.payload, indent=2, ensure_ascii=False)
            rec.response_text = (
                json.dumps(rec.response, indent=2, ensure_ascii=False) if rec.response else False
            )

    @api.depends("last_error_code", "last_error_detail", "method")
    def _compute_last_error(self):
        config = self.env["ki.oss.config"]
        for rec in self:
            if not rec.last_error_code:
                rec.last_error = False
                continue
            message = config._error_message(rec.last_error_code, rec.method)
            detail = rec.last_error_detail
            rec.last_error = f"{message} (OSS: {detail})" if detail else message

    def init(self):
        # the scheduled action's question: which calls are due, oldest first
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS ki_oss_call_due_idx ON ki_oss_call (next_try, id) "
            "WHERE state = 'pending'"
        )

    # ------------------------------------------------------------------ actions

    def action_retry(self):
        """The administrator sends a failed or waiting call again, at the next run."""
        self._check_admin()
        calls = self.filtered(lambda c: c.state in ("pending", "failed"))
        if calls != self:
            raise UserError(self.env._("Only a waiting or failed call can be sent again."))
        calls.sudo().write({"state": "pending", "next_try": fields.Datetime.now()})
        self.env.ref(CRON_XMLID)._trigger()
        return True

    def action_cancel(self):
        """The administrator gives a call up; it stays in the list, cancelled."""
        self._check_admin()
        if self.filtered(lambda c: c.state not in ("pending", "failed")):
            raise UserError(self.env._("Only a waiting or failed call can be cancelled."))
        self.sudo().write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------ queue and send

    @api.model
    def _queue(self, method, payload, permohonan=None, origin="workflow"):
        """Record a call for the scheduled action and wake it; returns the call."""
        call = self.sudo().create(
            {
                "method": method,
                "payload": payload,
                "permohonan_id": permohonan.id if permohonan else False,
                "partner_id": permohonan.partner_id.id if permohonan else False,
                "origin": origin,
            }
        )
        self.env.ref(CRON_XMLID)._trigger()
        return call

    @api.model
    def _send_now(self, method, payload, permohonan=None, partner=None, origin="office"):
        """Record a call and send it in this transaction, for a read the user waits for
        (inqueryNIB, checkLicenseStatus). Nobody else sees the new record before this
        transaction ends, so it is sent once; a failed call of a file waits in the outbox
        for the next try. Returns the call."""
        call = self.sudo().create(
            {
                "method": method,
                "payload": payload,
                "permohonan_id": permohonan.id if permohonan else False,
                "partner_id": (partner or permohonan.partner_id).id
                if (partner or permohonan)
                else False,
                "origin": origin,
            }
        )
        call._send()
        return call

    @api.model
    def _cron_send(self):
        """Scheduled action: send the oldest due call. One call per transaction (the
        scheduler commits between batches and runs again while some remain), so that a
        call sent is recorded as sent before the next one goes."""
        call = self._lock_next_due()
        if call:
            call._send()
        remaining = self.sudo().search_count(
            [("state", "=", "pending"), ("next_try", "<=", fields.Datetime.now())]
        )
        self.env["ir.cron"]._notify_progress(done=len(call), remaining=remaining)
        return call

    @api.model
    def _lock_next_due(self):
        """The oldest due call, locked for this transaction; none when every due call is
        being sent by another worker (their rows are locked: SKIP LOCKED passes them)."""
        self.env["ki.oss.call"].flush_model()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    """
                    SELECT id FROM ki_oss_call
                     WHERE state = 'pending' AND next_try <= %s
                     ORDER BY next_try, id
                     LIMIT 1
                       FOR UPDATE SKIP LOCKED
                    """,
                    [fields.Datetime.now()],
                    log_exceptions=False,
                )
                row = self.env.cr.fetchone()
        except SerializationFailure:
            # another worker sent it and committed after this transaction began
            return self.browse()
        call = self.sudo().browse(row[0] if row else [])
        call.invalidate_recordset()
        return call

    def _send(self):
        """Send this call (locked or new) and record the outcome."""
        self.ensure_one()
        now = fields.Datetime.now()
        config = self.env["ki.oss.config"]._get()
        try:
            envelope = config._post(self.method, self.payload)
        except OssError as error:
            self._record_failure(error, now)
            return False
        self.write(
            {
                "state": "done",
                "attempts": self.attempts + 1,
                "last_try": now,
                "done_date": now,
                "last_error_code": False,
                "last_error_detail": False,
                "response": self._response_to_keep(envelope),
            }
        )
        _logger.info("OSS-RBA %s call %s sent", self.method, self.id)
        try:
            # OSS has the call: whatever the file does with the answer must not undo that
            with self.env.cr.savepoint():
                self._apply_answer(envelope)
        except Exception:
            _logger.exception("OSS-RBA call %s: the answer could not be applied", self.id)
        return True

    def _record_failure(self, error, now):
        attempts = self.attempts + 1
        vals = {
            "attempts": attempts,
            "last_try": now,
            "last_error_code": error.code,
            "last_error_detail": (error.detail or "")[:250] or False,
        }
        # A lookup asked before the file existed has nobody to apply a later answer to.
        final = error.code in PERMANENT_ERRORS or attempts >= MAX_ATTEMPTS or not self.permohonan_id
        if final:
            vals["state"] = "failed"
        else:
            delay = min(BACKOFF_MINUTES * 2 ** (attempts - 1), MAX_DELAY_MINUTES)
            vals["next_try"] = now + timedelta(minutes=delay)
            self.env.ref(CRON_XMLID)._trigger(vals["next_try"])
        self.write(vals)
        # the method, the record and the code only: never the payload or the headers
        _logger.warning(
            "OSS-RBA %s call %s failed (%s), attempt %s%s",
            self.method,
            self.id,
            error.code,
            attempts,
            "" if final else f", next try {vals['next_try']}",
        )

    def _response_to_keep(self, envelope):
        """What the outbox keeps of an answer: its code and text, and the data of the
        status calls; the NIB data goes to its own record (ki.oss.profile)."""
        kept = {key: envelope.get(key) for key in ("kode", "keterangan") if key in envelope}
        if self.method == CHECK_LICENSE_STATUS:
            kept["dataIZIN"] = envelope.get("dataIZIN")
        return kept

    def _apply_answer(self, envelope):
        permohonan = self.permohonan_id.sudo()
        if self.method == INQUERY_NIB:
            config = self.env["ki.oss.config"]._get()
            profile = self.env["ki.oss.profile"]._create_from_oss(
                envelope.get("dataNIB"), kd_izin=config.kd_izin, partner=self.partner_id
            )
            self.profile_id = profile
            if permohonan:
                permohonan._oss_apply_profile(profile)
        elif self.method == RECEIVE_LICENSE_STATUS and permohonan:
            permohonan._oss_status_reported(self)
        elif self.method == CHECK_LICENSE_STATUS and permohonan:
            permohonan._oss_store_license_status(envelope.get("dataIZIN"))

    def _check_admin(self):
        if not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(self.env._("Only the administrator manages the OSS-RBA outbox."))
