"""Make one backup archive of a database and its filestore (see archive.py).

The row counts, the list of stored files and the dump all come from one snapshot of the
database, so the archive is consistent while Odoo keeps running: a file named in the dump
is in the archive (Odoo never changes a stored file, it writes a new one).

    python backup.py DATABASE FILESTORE_DIR ARCHIVE     (PGHOST, PGPORT, ... as for psql)
"""

import datetime
import io
import os
import subprocess
import sys
import tarfile
import tempfile

import psycopg2
from archive import DUMP, FILESTORE, FORMAT, MANIFEST, dumps, sha256_file


def snapshot_facts(cr):
    """Row count of every table, the stored files and the versions, in the current snapshot."""
    cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cr.fetchall():
        cr.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cr.fetchone()[0]
    cr.execute(
        "SELECT DISTINCT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL "
        "ORDER BY store_fname"
    )
    files = [name for (name,) in cr.fetchall()]
    cr.execute(
        "SELECT name, latest_version FROM ir_module_module WHERE state = 'installed' "
        "AND name IN ('base', 'kawasan_industri_verif')"
    )
    versions = dict(cr.fetchall())
    return counts, files, versions


def main(database, filestore, archive):
    connection = psycopg2.connect(dbname=database)
    connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
    with connection, connection.cursor() as cr:
        cr.execute("SELECT pg_export_snapshot()")
        snapshot = cr.fetchone()[0]
        counts, files, versions = snapshot_facts(cr)
        workdir = tempfile.mkdtemp(prefix="ki-backup-", dir=os.path.dirname(archive) or ".")
        dump = os.path.join(workdir, DUMP)
        # the dump sees exactly what the counts and the file list saw
        subprocess.run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", database],
            check=True,
        )
    hashes = {DUMP: sha256_file(dump)}
    missing = []
    for name in files:
        path = os.path.join(filestore, name)
        if os.path.isfile(path):
            hashes[FILESTORE + name] = sha256_file(path)
        else:
            missing.append(name)
    manifest = {
        "format": FORMAT,
        "database": database,
        "created": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": versions,
        "counts": counts,
        "files": hashes,
        "missing_files": missing,
    }
    partial = archive + ".partial"
    with tarfile.open(partial, "w") as tar:
        data = dumps(manifest)
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = (
            len(data),
            int(datetime.datetime.now().timestamp()),
            0o600,
        )
        tar.addfile(info, io.BytesIO(data))
        tar.add(dump, DUMP, recursive=False)
        for name in hashes:
            if name.startswith(FILESTORE):
                tar.add(os.path.join(filestore, name[len(FILESTORE) :]), name, recursive=False)
    os.remove(dump)
    os.rmdir(workdir)
    os.replace(partial, archive)
    with open(archive + ".sha256", "w") as handle:
        handle.write(f"{sha256_file(archive)}  {os.path.basename(archive)}\n")
    print(
        f"{archive}: database {database}, {sum(counts.values())} rows in {len(counts)} tables, "
        f"{len(hashes) - 1} files"
    )
    for name in missing:
        print(f"warning: {name} is named by an attachment but missing from the filestore")


if __name__ == "__main__":
    main(*sys.argv[1:4])
