"""Upgrading the addon in a database in use (`odoo-bin -u`), after a change of its schema.

Until a first release is tagged, the database is the demo database (restored from its
backup) and the new code is this addon with one more stored field, a higher version and a
migration script: the upgrade must fill the new column, run the migration once, keep every
record, file and published letter, and keep what the office configured (the data files
are noupdate)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ki_helpers import REPO, drop_database, run_script, sql

ADDON = "kawasan_industri_verif"
DATABASE = "ki_upgrade_check"
# The records of the addon and the people and messages around them: an upgrade may change
# Odoo's own tables (assets, translations, fields), never these.
BUSINESS_TABLES = r"^(ki_.*|res_partner|res_users|res_company|mail_message|mail_followers)$"

PROBE = """from odoo import api, fields, models


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    upgrade_probe = fields.Char(compute="_compute_upgrade_probe", store=True)

    @api.depends("name")
    def _compute_upgrade_probe(self):
        for permohonan in self:
            permohonan.upgrade_probe = f"probe-{permohonan.id}"
"""
MIGRATION = """def migrate(cr, version):
    cr.execute(
        "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)",
        ("kawasan_industri_verif.upgraded_from", version),
    )
"""


def _next_version(version):
    head, last = version.rsplit(".", 1)
    return f"{head}.{int(last) + 1}"


def _new_code(target):
    """A copy of the addon with a schema change: one more stored, computed field, the next
    version, and a post-migration script for that version."""
    addon = target / ADDON
    shutil.copytree(REPO / "addons" / ADDON, addon)
    manifest = (addon / "__manifest__.py").read_text()
    version = re.search(r'"version": "([^"]+)"', manifest).group(1)
    new_version = _next_version(version)
    (addon / "__manifest__.py").write_text(manifest.replace(version, new_version, 1))
    (addon / "models" / "ki_upgrade_probe.py").write_text(PROBE)
    with open(addon / "models" / "__init__.py", "a") as init:
        init.write("from . import ki_upgrade_probe\n")
    migration = addon / "migrations" / new_version
    migration.mkdir(parents=True)
    (migration / "post-migrate.py").write_text(MIGRATION)
    return version, new_version


def _customize(database):
    """What an office configures after installing: none of it may be reset by an upgrade."""
    sql(database, "UPDATE ki_letter_config SET office_name = 'DINAS UJI UPGRADE'")
    sql(database, "UPDATE ki_number_pattern SET padding = 6 WHERE code = 'letter'")
    sql(database, "UPDATE ki_document_type SET max_size_mb = 3.5")


def _snapshot(database):
    return {
        "config": sql(database, "SELECT office_name FROM ki_letter_config ORDER BY id"),
        "patterns": sql(
            database, "SELECT code, pattern, padding, unit_code FROM ki_number_pattern ORDER BY id"
        ),
        "document types": sql(database, "SELECT id, max_size_mb FROM ki_document_type ORDER BY id"),
        "counters": sql(
            database,
            "SELECT r.id, r.date_from, r.number_next FROM ir_sequence_date_range r "
            "JOIN ki_number_pattern p ON p.sequence_id = r.sequence_id ORDER BY r.id",
        ),
        "letters": sql(
            database, "SELECT id, name, sha256, attachment_id FROM ki_letter ORDER BY id"
        ),
        "files": sql(
            database,
            "SELECT id, checksum FROM ir_attachment WHERE res_model LIKE 'ki.%%' ORDER BY id",
        ),
        "states": sql(database, "SELECT id, state, name FROM ki_permohonan ORDER BY id"),
    }


@pytest.fixture
def demo_copy(demo_backup):
    drop_database(DATABASE)
    run_script("restore", demo_backup, DATABASE)
    yield DATABASE
    drop_database(DATABASE)


def test_upgrade_after_a_schema_change_loses_nothing(demo_copy, demo_backup, tmp_path):
    old_version, new_version = _new_code(tmp_path / "addons")
    _customize(demo_copy)
    before = _snapshot(demo_copy)

    odoo = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
    log = tmp_path / "upgrade.log"
    with open(log, "w") as out:
        result = subprocess.run(
            [
                REPO / ".venv" / "bin" / "python",
                odoo / "odoo-bin",
                "-c",
                REPO / ".local" / "odoo.conf",
                f"--addons-path={odoo / 'addons'},{tmp_path / 'addons'}",
                "-d",
                demo_copy,
                "-u",
                ADDON,
                "--stop-after-init",
                "--no-http",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=900,
        )
    text = log.read_text()
    assert result.returncode == 0 and not re.search(r" ERROR |Traceback", text), text[-5000:]

    assert sql(
        demo_copy, "SELECT latest_version FROM ir_module_module WHERE name = %s", (ADDON,)
    ) == [(new_version,)]
    # the migration ran once, from the old version; the new column is filled everywhere
    assert sql(
        demo_copy,
        "SELECT value FROM ir_config_parameter WHERE key = 'kawasan_industri_verif.upgraded_from'",
    ) == [(old_version,)]
    assert sql(demo_copy, "SELECT count(*) FROM ki_permohonan WHERE upgrade_probe IS NULL") == [
        (0,)
    ]
    assert (
        sql(demo_copy, "SELECT count(*) FROM ki_permohonan WHERE upgrade_probe LIKE 'probe-%%'")[0][
            0
        ]
        > 0
    )

    # nothing lost, nothing reset
    assert _snapshot(demo_copy) == before
    run_script(
        "restore", "--verify", demo_backup, demo_copy, env={"KI_RESTORE_TABLES": BUSINESS_TABLES}
    )
