import threading
from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from .fake_oss import FakeOss
from .oss_common import NIB, USER_KEY

CALLS = 8


@tagged("post_install", "-at_install")
class TestOssOutboxConcurrency(TransactionCase):
    """Two workers run the outbox's scheduled action at the same moment, each on its own
    real database connection: every call is sent once, none twice, none forgotten."""

    def setUp(self):
        super().setUp()
        self.fake = FakeOss(user_key=USER_KEY)
        self.fake.start()
        self.addCleanup(self.fake.stop)
        for index in range(CALLS):
            self.fake.add_license(f"I-SERENTAK-{index}", NIB)
        self.connection = db_connect(self.env.cr.dbname)

    def _env(self, cr):
        cr.execute("SET lock_timeout = '10s'")
        return api.Environment(cr, SUPERUSER_ID, {})

    def _payload(self, index):
        return {
            "IZINSTATUS": {
                "nib": NIB,
                "id_produk": "",
                "id_proyek": "",
                "oss_id": "",
                "id_izin": f"I-SERENTAK-{index}",
                "kd_izin": "IUKI",
                "kd_instansi": "D33",
                "kd_status": "50",
                "tgl_status": "2026-03-12 10:00:00",
                "nip_status": "196805121994031005",
                "nama_status": "Kepala Dinas",
                "keterangan": f"Panggilan {index}",
            }
        }

    def _worker(self, Call, barrier, sent, errors):
        """One cron worker on its own connection: run the scheduled action and commit,
        until nothing is due. Its environment is made by the test's thread: Odoo's own
        test runner holds the registry lock a new thread would wait for."""
        try:
            barrier.wait(timeout=30)
            for _ in range(CALLS * 4):
                call = Call._cron_send()
                Call.env.cr.commit()
                if call:
                    sent.append(call.id)
                elif not Call.search_count([("state", "=", "pending")]):
                    break
        except Exception as error:  # reported by the test's thread
            errors.append(error)
            raise

    def test_two_cron_runs_at_once_send_each_call_once(self):
        with closing(self.connection.cursor()) as setup_cr:
            env = self._env(setup_cr)
            config = env["ki.oss.config"]._get()
            saved = config.read(["url", "user_key"])[0] if config else None
            config = env["ki.oss.config"]._get_or_create()
            config.write({"url": self.fake.url, "user_key": USER_KEY})
            calls = env["ki.oss.call"].create(
                [
                    {"method": "receiveLicenseStatus", "payload": self._payload(index)}
                    for index in range(CALLS)
                ]
            )
            setup_cr.commit()
            call_ids, config_id = calls.ids, config.id
        try:
            with closing(self.connection.cursor()) as cr1, closing(self.connection.cursor()) as cr2:
                env1, env2 = self._env(cr1), self._env(cr2)
                # Worker 1 takes the oldest call and holds it, as while waiting for OSS ...
                held = env1["ki.oss.call"]._lock_next_due()
                self.assertEqual(held.id, call_ids[0])
                # ... worker 2, at the same moment, passes it and sends the next one.
                self.assertEqual(env2["ki.oss.call"]._cron_send().id, call_ids[1])
                cr2.commit()
                held._send()
                cr1.commit()
                self.assertEqual(len(self.fake.calls), 2)

            # Then both run the rest, in two threads at once; OSS answers slowly.
            self.fake.delay = 0.2
            barrier = threading.Barrier(2)
            sent, errors = {1: [], 2: []}, []
            with closing(self.connection.cursor()) as cr1, closing(self.connection.cursor()) as cr2:
                workers = [
                    threading.Thread(
                        target=self._worker,
                        args=(self._env(cr)["ki.oss.call"], barrier, sent[number], errors),
                    )
                    for number, cr in ((1, cr1), (2, cr2))
                ]
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join(timeout=60)
            self.assertFalse(errors)
            self.assertTrue(sent[1] and sent[2], "both workers sent calls")
            self.assertEqual(sorted(sent[1] + sent[2]), sorted(call_ids[2:]), "each call once")

            received = [call["body"]["IZINSTATUS"]["id_izin"] for call in self.fake.calls]
            self.assertEqual(sorted(received), sorted(f"I-SERENTAK-{i}" for i in range(CALLS)))
            with closing(self.connection.cursor()) as check_cr:
                check_cr.execute(
                    "SELECT state, attempts, count(*) FROM ki_oss_call WHERE id IN %s "
                    "GROUP BY state, attempts",
                    [tuple(call_ids)],
                )
                self.assertEqual(check_cr.fetchall(), [("done", 1, CALLS)])
        finally:
            with closing(self.connection.cursor()) as cleanup_cr:
                cleanup_cr.execute("DELETE FROM ki_oss_call WHERE id IN %s", [tuple(call_ids)])
                if saved:
                    cleanup_cr.execute(
                        "UPDATE ki_oss_config SET url = %s, user_key = %s WHERE id = %s",
                        [saved["url"], saved["user_key"], config_id],
                    )
                else:
                    cleanup_cr.execute("DELETE FROM ki_oss_config WHERE id = %s", [config_id])
                cleanup_cr.commit()
