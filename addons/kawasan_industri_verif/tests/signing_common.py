"""Shared set-up of the signing tests: users of every role, a letter-like PDF, a test CA
with a signer's PKCS#12, and checks that a secret was left nowhere."""

import base64
import contextlib
import io
import logging

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL
from reportlab.pdfgen import canvas

from ..tools import pki

GROUP = "kawasan_industri_verif.group_"
# Distinctive, so that finding it anywhere cannot be a coincidence.
PASSPHRASE = "Kunci-Kadis-7391-rahasia"
SIGNER_NAME = "Ir. Sri Wahyuni, M.Si."


def make_pdf(text="SURAT PERSETUJUAN TEKNIS Nomor 500.2/0001/DISPERIN/2026"):
    """A one-page PDF, like the letters the addon renders."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.drawString(72, 760, text)
    page.drawString(72, 740, "Kepala Dinas Perindustrian")
    page.showPage()
    page.save()
    return buffer.getvalue()


class SigningCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.admin = new_test_user(
            cls.env,
            "t_sign_admin",
            groups=f"{GROUP}admin,base.group_system",
            name="Signing Admin",
        )
        cls.kadis = new_test_user(cls.env, "t_sign_kadis", groups=GROUP + "kadis", name="Kadis")
        cls.others = {
            role: new_test_user(cls.env, f"t_sign_{role}", groups=GROUP + role, name=role)
            for role in ("sekretariat", "kabid", "tim_teknis", "auditor")
        }
        cls.others["kadis"] = cls.kadis
        cls.ca_key, cls.ca_cert = pki.make_ca("CA Uji Dinas")
        key, cert = pki.make_signer(cls.ca_key, cls.ca_cert, SIGNER_NAME)
        cls.pkcs12 = pki.to_pkcs12(key, cert, [cls.ca_cert], PASSPHRASE)
        cls.pdf = make_pdf()
        cls.Signing = cls.env["ki.signing"]

    @classmethod
    def _use_certificate(cls, pkcs12=None):
        cls.company.sudo().write(
            {
                "ki_signing_mode": "certificate",
                "ki_signing_certificate": base64.b64encode(pkcs12 or cls.pkcs12),
                "ki_signing_certificate_filename": "kadis.p12",
            }
        )

    @classmethod
    def _trust(cls, cert):
        return (
            cls.env["ki.trust.root"]
            .sudo()
            .create(
                {"certificate": base64.b64encode(pki.pem(cert)), "certificate_filename": "ca.pem"}
            )
        )

    def _record_counts(self):
        """What a signing must not create: attachments, messages, trust roots."""
        return {
            model: self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in ("ir.attachment", "mail.message", "ki.trust.root")
        }

    @contextlib.contextmanager
    def _captured_logs(self):
        """Every record logged meanwhile, at any level, by any logger (rendered with its
        exception text, as a log file would hold it)."""
        records = []
        handler = logging.Handler(logging.DEBUG)
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        handler.emit = lambda record: records.append(formatter.format(record))
        root = logging.getLogger()
        loggers = [root] + [
            logger
            for logger in logging.Logger.manager.loggerDict.values()
            if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET
        ]
        levels = [(logger, logger.level) for logger in loggers]
        root.addHandler(handler)
        for logger in loggers:
            logger.setLevel(logging.DEBUG)
        try:
            yield records
        finally:
            for logger, level in levels:
                logger.setLevel(level)
            root.removeHandler(handler)

    def assertNotInDatabase(self, secret, allowed=()):
        """No text column of any table holds `secret` (but the `allowed` "table.column")."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_name = c.table_name AND t.table_schema = c.table_schema
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('character varying', 'text', 'jsonb', 'bytea')
            """
        )
        found = []
        for table, column, data_type in cr.fetchall():
            if f"{table}.{column}" in allowed:
                continue
            if data_type == "bytea":
                condition = SQL(
                    "position(convert_to(%s, 'UTF8') in %s) > 0", secret, SQL.identifier(column)
                )
            else:
                condition = SQL("%s::text LIKE %s", SQL.identifier(column), f"%{secret}%")
            cr.execute(SQL("SELECT 1 FROM %s WHERE %s LIMIT 1", SQL.identifier(table), condition))
            if cr.fetchone():
                found.append(f"{table}.{column}")
        self.assertFalse(found, "the secret is stored in the database")
