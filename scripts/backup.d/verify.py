# Check a restored database against the manifest of its backup; run by scripts/restore
# inside `odoo shell` (which provides `env`). Nothing is changed.
#
# Each check is a function of the environment that returns how many things it checked and
# the problems it found; CHECKS lists them. A new check (say, the hash chains of the step
# records) is one more function and one more line in CHECKS.
import hashlib
import json
import os
import re
import sys

from odoo.tools import SQL

with open(os.environ["KI_RESTORE_MANIFEST"]) as handle:
    manifest = json.load(handle)


def check_tables(env):
    """Every table has as many rows as when the backup was taken (every table matching
    KI_RESTORE_TABLES, a regular expression, when it is set: after an upgrade, Odoo's own
    tables may rightly change)."""
    tables = re.compile(os.environ.get("KI_RESTORE_TABLES") or ".")
    counts = {table: n for table, n in manifest["counts"].items() if tables.match(table)}
    problems = []
    for table, expected in sorted(counts.items()):
        env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
        found = env.cr.fetchone()[0]
        if found != expected:
            problems.append(f"table {table}: {found} rows, the backup had {expected}")
    return len(counts), problems


def check_attachments(env):
    """Every attachment's bytes, in the filestore or in the database, match its checksum."""
    Attachment = env["ir.attachment"].sudo()
    env.cr.execute(
        "SELECT id, store_fname, db_datas, checksum FROM ir_attachment "
        "WHERE checksum IS NOT NULL ORDER BY id"
    )
    rows = env.cr.fetchall()
    problems = []
    for attachment_id, store_fname, db_datas, checksum in rows:
        if store_fname:
            try:
                with open(Attachment._full_path(store_fname), "rb") as handle:
                    data = handle.read()
            except OSError as error:
                problems.append(f"attachment {attachment_id}: {store_fname} unreadable ({error})")
                continue
        else:
            data = bytes(db_datas or b"")
        if hashlib.sha1(data).hexdigest() != checksum:
            problems.append(f"attachment {attachment_id}: content does not match its checksum")
    return len(rows), problems


def check_letters(env):
    """Every published letter's PDF is byte for byte the one published (its SHA-256)."""
    letters = env["ki.letter"].sudo().with_context(active_test=False).search([])
    problems = []
    for letter in letters:
        if not letter.attachment_id or not letter.sha256:
            problems.append(f"letter {letter.name}: no stored PDF or no SHA-256")
        elif hashlib.sha256(letter.attachment_id.raw or b"").hexdigest() != letter.sha256:
            problems.append(f"letter {letter.name}: the PDF differs from the published one")
    return len(letters), problems


CHECKS = (
    ("tables", "Tables with their row counts", check_tables),
    ("attachments", "Attachments with their checksums", check_attachments),
    ("letters", "Published letters with their SHA-256", check_letters),
)

report, failed = {}, False
for key, label, check in CHECKS:
    checked, problems = check(env)
    report[key] = {"checked": checked, "problems": problems}
    failed = failed or bool(problems)
    print(f"{label}: {checked} checked, {len(problems)} problem(s)")
    for problem in problems:
        print(f"  {problem}")
if os.environ.get("KI_RESTORE_REPORT"):
    with open(os.environ["KI_RESTORE_REPORT"], "w") as handle:
        json.dump(report, handle)
env.cr.rollback()
if failed:
    sys.exit("error: the restored database differs from the backup")
print("Nothing lost: the restored database matches the backup.")
