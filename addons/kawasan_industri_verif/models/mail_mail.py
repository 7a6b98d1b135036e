"""Mails wait in the queue while the mail server cannot be reached.

Odoo marks a mail it could not hand to the mail server as failed and never tries it
again, so an hour without the server would lose the applicants' notices for good. A mail
that failed because the server could not be reached goes back to the queue instead (the
reason stays on it), and the queue runs again RETRY_MINUTES later."""

from datetime import timedelta

from odoo import fields, models

RETRY_MINUTES = 10
SERVER_UNREACHABLE = "mail_smtp"


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        result = super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
        if failure_type == SERVER_UNREACHABLE:
            waiting = self.exists().filtered(lambda mail: mail.state == "exception")
            if waiting:
                waiting.sudo().write({"state": "outgoing"})
                self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger(
                    at=fields.Datetime.now() + timedelta(minutes=RETRY_MINUTES)
                )
        return result
