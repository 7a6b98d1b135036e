"""Restore a backup archive (see archive.py) into a new database.

    python restore.py ARCHIVE DATABASE FILESTORE_ROOT     (PGHOST, PGPORT, ... as for psql)

Every member is checked against the manifest's SHA-256 before anything is created: an
archive with a changed, missing or unexpected member restores nothing. Then the database
is created and the dump restored into it, and the files go to FILESTORE_ROOT/DATABASE.
The manifest is left in FILESTORE_ROOT/../restore-DATABASE/ for the verification that
follows in Odoo (verify.py); scripts/restore removes it afterwards."""

import json
import os
import shutil
import subprocess
import sys
import tarfile

from archive import DUMP, FILESTORE, FORMAT, MANIFEST, copy_sha256, is_member_name


class ArchiveError(Exception):
    pass


def extract_checked(archive, staging):
    """Extract the archive into `staging`, hashing every member on the way; raises
    ArchiveError listing every difference from the manifest."""
    with tarfile.open(archive, "r") as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, ValueError) as error:
            raise ArchiveError(f"{archive}: no readable {MANIFEST} ({error})") from error
        if manifest.get("format") != FORMAT:
            raise ArchiveError(f"{archive}: unknown format {manifest.get('format')!r}")
        expected = manifest["files"]
        problems, seen = [], set()
        for member in tar:
            name = member.name
            if name == MANIFEST:
                continue
            if not member.isfile() or not is_member_name(name):
                problems.append(f"unexpected member {name!r}")
                continue
            if name not in expected:
                problems.append(f"{name}: not in the manifest")
                continue
            target = os.path.join(staging, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with tar.extractfile(member) as source, open(target, "wb") as copy:
                digest = copy_sha256(source, copy)
            seen.add(name)
            if digest != expected[name]:
                problems.append(f"{name}: SHA-256 {digest}, manifest says {expected[name]}")
        problems += [f"{name}: missing from the archive" for name in sorted(set(expected) - seen)]
    if problems:
        raise ArchiveError("the archive does not match its manifest:\n  " + "\n  ".join(problems))
    with open(os.path.join(staging, MANIFEST), "w") as handle:
        json.dump(manifest, handle)
    return manifest


def main(archive, database, filestore_root):
    filestore = os.path.join(filestore_root, database)
    staging = os.path.join(os.path.dirname(os.path.abspath(filestore_root)), f"restore-{database}")
    exists = subprocess.run(
        [
            "psql",
            "-X",
            "-tA",
            "-d",
            "postgres",
            "-c",
            f"SELECT 1 FROM pg_database WHERE datname = '{database}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists:
        sys.exit(f"error: database {database} exists: restore into a new database")
    if os.path.exists(filestore) and os.listdir(filestore):
        sys.exit(f"error: {filestore} exists and is not empty: move it away first")
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    try:
        manifest = extract_checked(archive, staging)
    except (ArchiveError, tarfile.TarError, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        sys.exit(f"error: {archive}: {error}\nNothing was restored.")
    print(f"{archive}: {len(manifest['files'])} members match the manifest")
    subprocess.run(["createdb", "--template=template0", "--encoding=UTF8", database], check=True)
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={database}",
            os.path.join(staging, DUMP),
        ],
        check=True,
    )
    os.makedirs(filestore_root, exist_ok=True)
    if os.path.exists(filestore):
        os.rmdir(filestore)  # empty (checked above)
    source = os.path.join(staging, FILESTORE.rstrip("/"))
    if os.path.isdir(source):
        os.rename(source, filestore)
    else:
        os.makedirs(filestore)
    os.remove(os.path.join(staging, DUMP))
    print(f"Restored {manifest['database']} of {manifest['created']} into {database}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
