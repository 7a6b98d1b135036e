"""Who gets which message of a file: the applicant's mails (submission, return, publication)
go to the applicant's people who follow the file and to nobody else. The officers follow
the files they hold through their activities; they get the office's own messages (the
hand-over note of each transition, the escalations), never copies of the applicant's mails."""

from odoo import models

APPLICANT_MAIL_SUBTYPE = "kawasan_industri_verif.mt_ki_applicant_mail"


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    def _mail_applicant(self, template_xmlid):
        """Post the applicant's mail of a state, from the office, in its own subtype that no
        officer follows, addressed to the applicant's people among the followers."""
        self.ensure_one()
        applicants = self._applicant_partners()
        # from the office, and to the applicant even when they are the one acting (Odoo
        # notifies nobody of what they do themselves): the submission's mail carries the
        # verification code they need later
        return self.with_context(mail_notify_author=True).message_post_with_source(
            template_xmlid,
            subtype_xmlid=APPLICANT_MAIL_SUBTYPE,
            partner_ids=[(6, 0, applicants.ids)],
            author_id=self.env.company.partner_id.id,
        )

    def _applicant_partners(self):
        """The followers who belong to the applicant company."""
        company = self.partner_id.commercial_partner_id
        return self.message_partner_ids.filtered(
            lambda partner: partner.commercial_partner_id == company
        )
