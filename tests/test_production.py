"""scripts/serve --prod: Odoo with workers behind nginx. HTTPS with a certificate made on
the first run, static files from disk, the websocket on the gevent port, the upload limit,
rate limits on the public forms, the database manager closed, and the portal working
through it all."""

import os
import re
import signal
import socket
import ssl
import subprocess
from pathlib import Path

import pytest
import requests
from ki_helpers import REPO, free_ports, serving_https, wait_for

# the certificate is the self-signed one made for the test
pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")


@pytest.fixture(scope="module")
def prod(odoo_database, tmp_path_factory):
    """scripts/serve --prod on the test database (no cron worker: the database is shared
    with the rest of the run), with its own certificate folder and free ports."""
    tmp = tmp_path_factory.mktemp("prod")
    names = ("KI_HTTP_PORT", "KI_GEVENT_PORT", "KI_HTTPS_PORT")
    ports = dict(zip(names, free_ports(3), strict=True))
    env = {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        "KI_DB": odoo_database,
        "KI_TLS_DIR": str(tmp / "tls"),
        "KI_MAX_UPLOAD_MB": "2",
    }
    command = [REPO / "scripts" / "serve", "--prod", "--", "--max-cron-threads=0"]
    log = tmp / "serve.log"
    stop = signal.SIGINT  # Ctrl-C
    with serving_https(command, env, log, ports["KI_HTTPS_PORT"], 180, stop) as (process, base):
        yield {"base": base, "tls": tmp / "tls", "ports": ports, "log": log}
    # nothing left behind: Odoo, its workers, its websocket process, nginx
    wait_for(lambda: not _group_alive(process.pid), 30, "every process stopped")


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def get(prod, path, **kwargs):
    return requests.get(prod["base"] + path, verify=False, timeout=30, **kwargs)


def post(prod, path, **kwargs):
    return requests.post(prod["base"] + path, verify=False, timeout=30, **kwargs)


def test_self_signed_certificate_made_on_first_run(prod):
    cert = Path(prod["tls"]) / "cert.pem"
    assert cert.is_file() and (Path(prod["tls"]) / "key.pem").is_file()
    served = ssl.get_server_certificate(("127.0.0.1", prod["ports"]["KI_HTTPS_PORT"]))
    assert served.strip() == cert.read_text().strip()


def test_odoo_runs_with_workers_and_its_websocket_process(prod):
    pid = int((REPO / ".local" / f"serve-{prod['ports']['KI_HTTP_PORT']}.pid").read_text())
    children = subprocess.run(
        ["ps", "-o", "args=", "--ppid", str(pid)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert sum("odoo-bin gevent" in line for line in children) == 1, children
    assert len(children) >= 3, children  # two HTTP workers and the gevent process


def test_static_files_come_from_disk(prod):
    reply = get(prod, "/web/static/img/logo.png")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "image/png"
    # nginx's answer (Odoo sends neither an ETag like this nor an Expires header)
    assert reply.headers.get("Expires")
    assert re.match(r'^"[0-9a-f]+-[0-9a-f]+"$', reply.headers["ETag"])
    odoo = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
    assert reply.content == (odoo / "addons/web/static/img/logo.png").read_bytes()
    assert get(prod, "/web/static/no/such/file.png").status_code == 404


def test_websocket_reaches_the_gevent_port(prod):
    host, port = "127.0.0.1", prod["ports"]["KI_HTTPS_PORT"]
    context = ssl._create_unverified_context()
    with socket.create_connection((host, port)) as raw, context.wrap_socket(raw) as sock:
        sock.sendall(
            (
                "GET /websocket HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\n"
                f"Origin: https://{host}:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        assert sock.recv(200).startswith(b"HTTP/1.1 101")


def test_body_over_the_upload_limit_is_refused_by_nginx(prod):
    reply = post(prod, "/web/login", files={"file": ("big.pdf", b"0" * (3 * 1024 * 1024))})
    assert reply.status_code == 413
    assert "nginx" in reply.text


def test_portal_through_the_proxy(prod):
    session = requests.Session()
    page = session.get(prod["base"] + "/web/login", verify=False, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    reply = session.post(
        prod["base"] + "/web/login",
        data={"login": "pemohon", "password": "pemohon", "csrf_token": token, "redirect": "/my"},
        verify=False,
        timeout=30,
    )
    assert reply.status_code == 200 and "/web/login" not in reply.url
    assert "Secure" in page.headers["Set-Cookie"]
    listing = session.get(prod["base"] + "/my/permohonan", verify=False, timeout=30)
    assert listing.status_code == 200
    assert "Kawasan Industri" in listing.text


def test_public_forms_are_rate_limited(prod):
    # opening the log-in form is never limited; sending it is, like the public lookup
    assert {get(prod, "/web/login").status_code for _ in range(15)} == {200}
    sent = [post(prod, "/web/login", data={"login": "x"}).status_code for _ in range(15)]
    assert 429 in sent and sent[0] != 429, sent
    lookups = [post(prod, "/permohonan/status", data={}).status_code for _ in range(25)]
    assert 429 in lookups and lookups[0] != 429, lookups
    assert get(prod, "/web/login").status_code == 200


def test_database_manager_is_closed(prod):
    assert get(prod, "/web/database/manager").status_code == 404
