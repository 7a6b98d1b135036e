from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from .common import APPLICANT_DATA, PDF


class TestConcurrentTransitions(TransactionCase):
    """Two officers press the same button at the same moment, on two real connections:
    one wins, the other gets a clear error, and the step is recorded once."""

    def _env(self, cr):
        cr.execute("SET lock_timeout = '10s'")
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_second_officer_gets_a_clear_error(self):
        connection = db_connect(self.env.cr.dbname)
        with closing(connection.cursor()) as cr1, closing(connection.cursor()) as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            partner = env1["res.partner"].create({"name": "PT Serentak", "is_company": True})
            data = dict(APPLICANT_DATA, province_id=env1.ref("base.state_id_jt").id)
            permohonan = env1["ki.permohonan"].create(dict(data, partner_id=partner.id))
            for doc_type in env1["ki.document.type"].search([("required", "=", True)]):
                permohonan.action_upload_document(doc_type.id, "dokumen.pdf", PDF)
            permohonan.action_submit()
            cr1.commit()
            try:
                permohonan.action_receive()  # officer 1 holds the file until commit
                env1.flush_all()
                other = env2["ki.permohonan"].browse(permohonan.id)
                with (
                    mute_logger("odoo.sql_db"),
                    self.assertRaisesRegex(UserError, "Someone else is acting"),
                ):
                    other.action_receive()
                cr2.rollback()
                cr1.commit()

                # officer 2 retries after officer 1 finished: the step is no longer theirs
                env2.invalidate_all()
                with self.assertRaisesRegex(UserError, "not possible"):
                    other.action_receive()
                cr2.rollback()
                env2.invalidate_all()
                self.assertEqual(other.state, "kadis_disposition")
                steps = other.step_ids.sorted("id")
                self.assertEqual(steps.mapped("state"), ["submitted", "kadis_disposition"])
                self.assertEqual(steps.mapped("outcome"), ["received", False])
                self.assertTrue(other.agenda_number)
            finally:
                cr1.rollback()
                cr2.rollback()
                cr1.execute(
                    "DELETE FROM mail_activity WHERE res_model = 'ki.permohonan' AND res_id = %s;"
                    "DELETE FROM mail_message WHERE model = 'ki.permohonan' AND res_id = %s;"
                    "DELETE FROM mail_followers WHERE res_model = 'ki.permohonan' AND res_id = %s;"
                    "DELETE FROM ki_permohonan_document WHERE permohonan_id = %s;"
                    "DELETE FROM ir_attachment WHERE res_model = 'ki.permohonan' AND res_id = %s;"
                    "DELETE FROM ki_permohonan WHERE id = %s;"
                    "DELETE FROM res_partner WHERE id = %s;",
                    [permohonan.id] * 6 + [partner.id],
                )
                cr1.commit()
