"""scripts/backup and scripts/restore: one archive with the dump, the filestore and a
manifest of SHA-256s; a restore into a new database checks that nothing was lost, and a
damaged archive restores nothing."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from ki_helpers import drop_database, filestore, run_script, sql

RESTORED = "ki_restore_check"


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def test_archive_has_a_manifest_of_every_member(demo_backup, odoo_database):
    with tarfile.open(demo_backup) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        members = {m.name: _sha256(tar.extractfile(m).read()) for m in tar if m.isfile()}
    del members["manifest.json"]
    assert members == manifest["files"]
    assert "db.dump" in members and any(name.startswith("filestore/") for name in members)
    assert manifest["missing_files"] == []
    # the counts are the source database's, taken with the dump
    [(files,)] = sql(odoo_database, "SELECT count(*) FROM ki_permohonan")
    assert manifest["counts"]["ki_permohonan"] == files > 0
    assert manifest["versions"]["kawasan_industri_verif"].startswith("18.0.")
    digest, name = Path(f"{demo_backup}.sha256").read_text().split()
    assert name == demo_backup.name and digest == _sha256(demo_backup.read_bytes())


@pytest.fixture
def restored(demo_backup, tmp_path):
    drop_database(RESTORED)
    report = tmp_path / "report.json"
    result = run_script("restore", demo_backup, RESTORED, env={"KI_RESTORE_REPORT": str(report)})
    yield result, json.loads(report.read_text())
    drop_database(RESTORED)


def test_restore_into_a_new_database_loses_nothing(restored, odoo_database, demo_backup, tmp_path):
    result, report = restored
    assert "Nothing lost" in result.stdout
    [(letters,)] = sql(odoo_database, "SELECT count(*) FROM ki_letter")
    [(attachments,)] = sql(
        odoo_database, "SELECT count(*) FROM ir_attachment WHERE checksum IS NOT NULL"
    )
    [(tables,)] = sql(odoo_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert letters > 0
    assert report["letters"] == {"checked": letters, "problems": []}
    assert report["attachments"] == {"checked": attachments, "problems": []}
    assert report["tables"] == {"checked": tables, "problems": []}

    # the check sees what a bad restore would look like: a damaged file, a changed letter,
    # a lost row
    [(name,)] = sql(
        RESTORED,
        "SELECT store_fname FROM ir_attachment "
        "WHERE id = (SELECT min(attachment_id) FROM ki_letter)",
    )
    with open(filestore(RESTORED) / name, "ab") as handle:
        handle.write(b"%")
    sql(RESTORED, "DELETE FROM ki_disposisi WHERE id = (SELECT max(id) FROM ki_disposisi)")
    check = tmp_path / "check.json"
    result = run_script(
        "restore",
        "--verify",
        demo_backup,
        RESTORED,
        env={"KI_RESTORE_REPORT": str(check)},
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(check.read_text())
    assert any("ki_disposisi:" in problem for problem in report["tables"]["problems"])
    assert report["attachments"]["problems"]
    assert len(report["letters"]["problems"]) == 1


def test_damaged_archive_restores_nothing(demo_backup, tmp_path):
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(demo_backup) as source, tarfile.open(damaged, "w") as target:
        changed = None
        for member in source:
            data = source.extractfile(member).read()
            if changed is None and member.name.startswith("filestore/"):
                changed, data = member.name, data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    drop_database(RESTORED)
    result = run_script("restore", damaged, RESTORED, check=False)
    assert result.returncode != 0
    assert changed in result.stderr and "Nothing was restored" in result.stderr
    assert not sql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", (RESTORED,))
    assert not filestore(RESTORED).exists()
