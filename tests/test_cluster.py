"""scripts/cluster: the hot-standby replica answers the read-only routes (the applicant's
list and detail pages, the public lookup form, the verification page); anything that
writes, and the lookup itself, goes to the primary."""

import os
import re
import shutil
import time

import psycopg2
import pytest
import requests
from ki_helpers import REPO, free_ports, serving_https, sql

pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")


@pytest.fixture(scope="module")
def cluster(odoo_database, tmp_path_factory):
    """The replica, one node and nginx on the test database (no cron worker: the database
    is shared with the rest of the run)."""
    tmp = tmp_path_factory.mktemp("cluster")
    # node 1 takes two ports in a row (HTTP, websocket); nginx and the replica one each
    pairs = free_ports(3, step=2)
    ports = {"KI_CLUSTER_PORT": pairs[0], "KI_HTTPS_PORT": pairs[1], "KI_REPLICA_PORT": pairs[2]}
    env = {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        "KI_DB": odoo_database,
        "KI_TLS_DIR": str(tmp / "tls"),
        "KI_CLUSTER_DIR": str(REPO / ".local" / f"cluster-{ports['KI_CLUSTER_PORT']}"),
    }
    command = [REPO / "scripts" / "cluster", "--nodes", "1", "--", "--max-cron-threads=0"]
    log = tmp / "cluster.log"
    try:
        # SIGTERM: a run in the background (CI) may have SIGINT ignored from the start,
        # and bash cannot trap a signal it was started with ignored
        with serving_https(command, env, log, ports["KI_HTTPS_PORT"], 300) as (_process, base):
            yield {
                "base": base,
                "replica": ports["KI_REPLICA_PORT"],
                "node_log": REPO / env["KI_CLUSTER_DIR"] / "node1.log",
                "database": odoo_database,
            }
    finally:
        shutil.rmtree(env["KI_CLUSTER_DIR"], ignore_errors=True)


def _replica_transactions(cluster):
    connection = psycopg2.connect(
        host="127.0.0.1", port=cluster["replica"], dbname="postgres", user="odoo", password="odoo"
    )
    try:
        with connection.cursor() as cr:
            cr.execute("SELECT pg_is_in_recovery()")
            assert cr.fetchone()[0], "not a standby"
            cr.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = %s",
                (cluster["database"],),
            )
            return cr.fetchone()[0]
    finally:
        connection.close()


def _cursor_of(log, method, path):
    """The cursor Odoo used for the last answered request (ro: the replica)."""
    pattern = re.compile(rf'"{method} (/[a-z_]+)?{re.escape(path)} HTTP/1\.[01]" 200 .* (\S+)$')
    modes = [m.group(2) for m in map(pattern.search, log.read_text().splitlines()) if m]
    assert modes, f"no {method} {path} in the node's log"
    return modes[-1]


def test_read_only_routes_are_served_by_the_replica(cluster):
    base = cluster["base"]
    [(token,)] = sql(cluster["database"], "SELECT token FROM ki_letter ORDER BY id LIMIT 1")
    [(permohonan_id,)] = sql(
        cluster["database"],
        "SELECT p.id FROM ki_permohonan p JOIN res_users u ON u.login = 'pemohon' "
        "JOIN res_partner r ON r.id = u.partner_id WHERE p.partner_id = r.parent_id "
        "ORDER BY p.id LIMIT 1",
    )
    before = _replica_transactions(cluster)
    session = requests.Session()
    session.verify = False
    session.trust_env = False  # verify=False, whatever REQUESTS_CA_BUNDLE says
    page = session.get(f"{base}/web/login", timeout=30)
    token_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": "pemohon", "password": "pemohon", "csrf_token": token_csrf},
        timeout=30,
    )
    reads = ["/my/permohonan", f"/my/permohonan/{permohonan_id}", "/permohonan/status"]
    for path in reads:
        assert session.get(base + path, timeout=30).status_code == 200, path
    public = requests.get(f"{base}/ki/verify/{token}", verify=False, timeout=30)
    assert public.status_code == 200
    form = session.get(f"{base}/permohonan/status", timeout=30)
    lookup = session.post(
        f"{base}/permohonan/status",
        data={
            "number": "KI/0000/00000",
            "code": "000000",
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1),
        },
        timeout=30,
    )
    assert lookup.status_code == 200

    log = cluster["node_log"]
    for path in [*reads, f"/ki/verify/{token}"]:
        assert _cursor_of(log, "GET", path) == "ro", path
    # the lookup will count attempts (a write): never on the replica
    assert _cursor_of(log, "POST", "/permohonan/status") == "rw"
    # the standby publishes its statistics about once a second, later on a busy machine
    for _ in range(40):
        served = _replica_transactions(cluster) - before
        if served >= len(reads) + 1:
            break
        time.sleep(0.5)
    assert served >= len(reads) + 1
