"""The backup archive shared by scripts/backup and scripts/restore: one tar file holding

    manifest.json         what the archive holds, with the SHA-256 of every other member
    db.dump               pg_dump of the database (custom format)
    filestore/<path>      every file the database's attachments point to

and next to it <archive>.sha256, the archive's own SHA-256 (`sha256sum -c` reads it)."""

import hashlib
import json
import re

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "db.dump"
FILESTORE = "filestore/"
# A filestore path as Odoo writes it (checksum folders and names): nothing else is taken.
STORE_NAME_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
CHUNK = 1024 * 1024


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_sha256(source, target):
    """Copy one open file into another; the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def is_member_name(name):
    """Whether a tar member name is one the archive may hold (no absolute or .. paths)."""
    if name in (MANIFEST, DUMP):
        return True
    return name.startswith(FILESTORE) and bool(STORE_NAME_RE.match(name[len(FILESTORE) :]))


def dumps(manifest):
    return json.dumps(manifest, indent=1, sort_keys=True).encode()
