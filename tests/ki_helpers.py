"""Helpers of the repository checks that run the scripts and servers (ports, HTTP, waiting)."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]


def _bindable(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count, step=1):
    """`count` TCP ports nothing listens on, `step` apart (node I of scripts/cluster takes
    two ports in a row), from KI_TEST_PORTS ("18000-18499") when it is set."""
    low, _, high = os.environ.get("KI_TEST_PORTS", "").partition("-")
    if not high:  # any ports the system hands out
        found = []
        while len(found) < count:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            if all(_bindable(port + i) for i in range(step)) and port not in found:
                found.append(port)
        return found
    found = []
    for port in range(int(low), int(high) + 1 - step, step):
        if all(_bindable(port + i) for i in range(step)):
            found.append(port)
            if len(found) == count:
                return found
    raise RuntimeError(f"not {count} free ports in {os.environ['KI_TEST_PORTS']}")


def free_port():
    return free_ports(1)[0]


def port_is_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def http_status(url, **kwargs):
    """The HTTP status of a GET, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=10, **kwargs) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds} s")


@contextmanager
def serving_https(command, env, log, port, seconds, stop=signal.SIGTERM):
    """Run `command` (a script that serves HTTPS on `port` of 127.0.0.1) in a process group
    of its own, its output in `log`; yield (process, base URL) once its login page answers,
    then send `stop` to the group and wait for the script to end."""
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"https://127.0.0.1:{port}"

    def up():
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            return requests.get(f"{base}/web/login", verify=False, timeout=10).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(up, seconds, f"{Path(command[0]).name} answering on {base}")
        yield process, base
    finally:
        os.killpg(process.pid, stop)
        process.wait(timeout=120)


def run_script(*args, env=None, timeout=600, check=True):
    """Run one of the scripts; a failure shows its output (unless check=False)."""
    result = subprocess.run(
        [str(REPO / "scripts" / args[0]), *map(str, args[1:])],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, f"scripts/{args[0]}: {result.stdout}\n{result.stderr}"
    return result


def odoo_conf():
    """The [options] of the Odoo configuration the scripts wrote (.local/odoo.conf)."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / ".local" / "odoo.conf")
    return parser["options"]


def connect(database):
    """A psycopg2 connection to `database` as Odoo's user, autocommit."""
    import psycopg2

    options = odoo_conf()
    password = options.get("db_password")
    connection = psycopg2.connect(
        dbname=database,
        host=options["db_host"],
        port=options["db_port"],
        user=options["db_user"],
        password=None if password in (None, "False") else password,
    )
    connection.autocommit = True
    return connection


def sql(database, query, params=None):
    """The rows of one query on `database` (none for a statement)."""
    connection = connect(database)
    try:
        with connection.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        connection.close()


def filestore(database):
    return Path(odoo_conf()["data_dir"]) / "filestore" / database


def drop_database(database):
    """Drop a database made by a test, with its filestore."""
    import shutil

    sql("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    shutil.rmtree(filestore(database), ignore_errors=True)
