"""scripts/serve keeps serving through Odoo's own restart, on the same port, with the same
virtualenv; Ctrl-C leaves nothing behind.

Odoo restarts itself by sending itself SIGHUP: after a module is installed from Apps
(odoo.service.server.restart) and when a request thread outlives the real-time limit
(ThreadedServer.reload), so the SIGHUP sent here takes the same path."""

import os
import re
import signal
import subprocess

import pytest
from ki_helpers import REPO, free_port, http_status, port_is_free, wait_for

READY = "HTTP service (werkzeug) running"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def served(odoo_database, tmp_path):
    """scripts/serve on the test database and a free port, without cron threads (the test
    database is shared with the rest of the run)."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "KI_DB": odoo_database, "KI_HTTP_PORT": str(port)}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [REPO / "scripts" / "serve", "--", "--max-cron-threads=0"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
    url = f"http://127.0.0.1:{port}/web/login"
    try:
        wait_for(lambda: http_status(url) == 200, 180, "scripts/serve answering")
        yield process, port, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C signals the whole group
            process.wait(timeout=60)


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _starts(log):
    return log.read_text().count(READY)


def test_serve_survives_a_restart_and_stops_cleanly(served):
    process, port, log = served
    url = f"http://127.0.0.1:{port}/web/login"
    pidfile = REPO / ".local" / f"serve-{port}.pid"
    pid = int(pidfile.read_text())
    assert _starts(log) == 1

    def restarted():
        assert process.poll() is None, f"scripts/serve ended:\n{log.read_text()[-3000:]}"
        return _starts(log) == 2 and http_status(url) == 200

    # SIGHUP: Odoo re-executes itself in the same process
    os.kill(pid, signal.SIGHUP)
    wait_for(restarted, 120, "restart after SIGHUP")

    text = log.read_text()
    assert not re.search(r"ModuleNotFoundError|No module named", text), text[-3000:]
    assert int(pidfile.read_text()) == pid, "the restarted Odoo is a new process"

    # Ctrl-C: no process of the group is left, the port is free, the pid file is gone
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=60) != 0
    wait_for(lambda: not _group_alive(process.pid), 30, "every process of scripts/serve ended")
    assert not _alive(pid)
    assert port_is_free(port)
    assert not pidfile.exists()
