"""The fault scenarios of scripts/faults, against real servers on the demo copy
$KI_FAULTS_DB. Each prints what happened and its figure, and fails (exit 1) when the
product does not behave: something half done, something lost, no clear error.

    python faults.py node|postgres|pdf|mail|disk
"""

import contextlib
import hashlib
import html.parser
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench.d"))
from http_load import run_clients  # noqa: E402

DATABASE = os.environ["KI_FAULTS_DB"]
WORKDIR = os.environ["KI_FAULTS_DIR"]
PORT = int(os.environ["KI_FAULTS_PORT"])
SMTP_PORT = PORT + 1
ODOO = os.environ["KI_FAULTS_ODOO"].split()


class Fault(AssertionError):
    """The product did not behave as it must under this fault."""


def check(condition, message):
    if not condition:
        raise Fault(message)


# ------------------------------------------------------------------ database, servers, RPC


def query(sql, params=None):
    connection = psycopg2.connect(os.environ["KI_FAULTS_DSN"], dbname=DATABASE)
    connection.autocommit = True
    try:
        with connection.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else []
    finally:
        connection.close()


def value(sql, params=None):
    rows = query(sql, params)
    return rows[0][0] if rows else None


@contextlib.contextmanager
def odoo_server(name, env=None, prefix=()):
    """One Odoo process (threaded, no cron) on PORT for the length of the block; `prefix`
    runs it under another command (unshare), `env` changes its environment (PATH)."""
    log = os.path.join(WORKDIR, f"{name}.log")
    command = [
        *prefix,
        *ODOO,
        "-d",
        DATABASE,
        f"--db-filter=^{DATABASE}$",
        f"--http-port={PORT}",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    with open(log, "w") as out:
        process = subprocess.Popen(
            command,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            check(process.poll() is None, f"the server {name} stopped, see {log}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{PORT}/web/login", timeout=5).ok:
                    break
            check(time.monotonic() < deadline, f"the server {name} did not start, see {log}")
            time.sleep(0.5)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Rpc:
    """JSON-RPC as one user of the lone server."""

    def __init__(self, login, base=None):
        self.base = base or f"http://127.0.0.1:{PORT}"
        self.session = requests.Session()
        self.session.trust_env = False
        result = self.call_path(
            "/web/session/authenticate", {"db": DATABASE, "login": login, "password": login}
        )
        check(result.get("uid"), f"{login} could not log in")

    def call_path(self, path, params):
        reply = self.session.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=300,
        )
        data = reply.json()
        if "error" in data:
            raise RpcError(data["error"])
        return data.get("result")

    def __call__(self, model, method, *args, **kwargs):
        return self.call_path(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


def file_in(state):
    permohonan_id = value(
        "SELECT id FROM ki_permohonan WHERE state = %s ORDER BY id LIMIT 1", (state,)
    )
    check(permohonan_id, f"the demo has no application in state {state}")
    return permohonan_id


def counter(code):
    """The next serial of a number series this year (ki.number.series)."""
    return value(
        "SELECT s.number_next FROM ki_number_series s JOIN ki_number_pattern p "
        "ON p.id = s.pattern_id WHERE p.code = %s ORDER BY s.year DESC LIMIT 1",
        (code,),
    )


def steps(permohonan_id):
    return value(
        "SELECT count(*) FROM ki_permohonan_step WHERE permohonan_id = %s", (permohonan_id,)
    )


# ------------------------------------------------------------------ node


def node_killed():
    """One of two nodes killed (SIGKILL, with its workers) 15 s into a 40 s run of 20
    portal clients through nginx, every fifth request a status lookup (POST)."""
    base, victim = os.environ["KI_FAULTS_BASE"], int(os.environ["KI_FAULTS_VICTIM"])
    os.environ["KI_BENCH_TLS_CA"] = os.environ["KI_FAULTS_TLS_CA"]
    permohonan_id = value(
        "SELECT p.id FROM ki_permohonan p JOIN res_users u ON u.login = 'pemohon' "
        "JOIN res_partner r ON r.id = u.partner_id WHERE p.partner_id = r.parent_id "
        "ORDER BY p.id LIMIT 1"
    )
    killed = {}
    nginx_log = os.environ["KI_FAULTS_NGINX_LOG"]

    def kill_at_15_s(elapsed):
        if not killed and elapsed >= 15:
            killed["log_offset"] = os.path.getsize(nginx_log)
            os.killpg(victim, signal.SIGKILL)
            killed["at"] = elapsed

    results, duration = run_clients(
        base,
        "pemohon",
        ["/my/permohonan", f"/my/permohonan/{permohonan_id}"],
        clients=20,
        seconds=40,
        post_every=5,
        during=kill_at_15_s,
    )
    with open(nginx_log) as handle:
        handle.seek(killed.get("log_offset", 0))
        after = handle.read()
    # each time nginx found the dead node: refused, reset, closed before answering
    moved = len(re.findall(r"Connection refused|reset by peer|prematurely closed", after))
    gets, posts = results.count(["GET"]), results.count(["POST"])
    get_errors, post_errors = results.error_count(["GET"]), results.error_count(["POST"])
    login_errors = results.error_count(["login"])
    print(
        f"node 2 killed at {killed.get('at', 0):.0f} s of {duration:.0f} s: "
        f"{gets} GETs, {get_errors} lost; {posts} POSTs, {post_errors} failed "
        f"{dict(results.errors['POST'])}; {results.count(['login'])} log-ins, "
        f"{login_errors} failed; {(gets + posts) / duration:.1f} req/s; nginx met the dead "
        f"node {moved} times (a GET then goes to the other node; a POST it had sent fails)"
    )
    check(killed, "the node was not killed")
    check(get_errors == 0, f"GETs lost: {dict(results.errors['GET'])}")
    check(login_errors == 0, f"log-ins failed: {dict(results.errors['login'])}")


# ------------------------------------------------------------------ postgres


def pg_restart():
    command = [
        os.path.join(os.environ["KI_PG_BIN"], "pg_ctl"),
        "restart",
        "-D",
        os.environ["KI_PG_DATA"],
        "-m",
        "fast",
        "-w",
        "-t",
        "60",
        "-l",
        os.environ["KI_PG_LOG"],
    ]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    # the server outlives this call: it gets its log file, not a pipe to wait on
    subprocess.run(command, cwd=os.environ["KI_PG_DIR"], check=True, stdout=subprocess.DEVNULL)


def postgres_restarted():
    """The Sekretariat receives a file (agenda number, step record, mails); PostgreSQL is
    restarted while the transition waits for its last writes (the mail queue is locked)."""
    permohonan_id = file_in("submitted")
    agenda_next, step_count = counter("agenda"), steps(permohonan_id)
    with odoo_server("postgres"):
        desk = Rpc("sekretariat")
        blocker = psycopg2.connect(os.environ["KI_FAULTS_DSN"], dbname=DATABASE)
        blocker.cursor().execute("LOCK TABLE mail_mail IN SHARE MODE")
        outcome = {}

        def receive():
            try:
                desk("ki.permohonan", "action_receive", [permohonan_id])
                outcome["result"] = "done"
            except RpcError as error:
                outcome["error"] = error
            except requests.RequestException as error:
                outcome["error"] = error

        thread = threading.Thread(target=receive)
        thread.start()
        deadline = time.monotonic() + 60
        while not value(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND wait_event_type = 'Lock' AND application_name LIKE 'odoo-%%'",
            (DATABASE,),
        ):
            check(thread.is_alive(), f"the transition did not wait for the lock: {outcome}")
            check(time.monotonic() < deadline, "the transition never reached the mail queue")
            time.sleep(0.1)
        writes = value(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE a.wait_event_type = 'Lock' AND l.mode = 'RowExclusiveLock' AND l.granted"
        )
        started = time.monotonic()
        pg_restart()
        restarted_in = time.monotonic() - started
        with contextlib.suppress(psycopg2.Error):
            blocker.close()
        thread.join(120)
        check("error" in outcome, "the transition reported success across the restart")
        error = outcome["error"]
        check(
            isinstance(error, RpcError) and error.name == "odoo.exceptions.UserError",
            f"the user got no clear error: {error}",
        )
        state = value("SELECT state FROM ki_permohonan WHERE id = %s", (permohonan_id,))
        number = value("SELECT agenda_number FROM ki_permohonan WHERE id = %s", (permohonan_id,))
        print(
            f"PostgreSQL restarted in {restarted_in:.1f} s while action_receive held locks on "
            f"{writes} tables; the user got: {getattr(error, 'message', error)}"
        )
        check(state == "submitted" and not number, f"half done: {state}, {number}")
        check(steps(permohonan_id) == step_count, "a step record was kept")
        check(counter("agenda") == agenda_next, "an agenda number was used up")
        # the user tries again on the same server, which reconnects by itself
        for _attempt in range(10):
            try:
                Rpc("sekretariat")("ki.permohonan", "action_receive", [permohonan_id])
                break
            except (RpcError, requests.RequestException) as error:
                retry_error = error
                time.sleep(1)
        else:
            raise Fault(f"the retry fails: {retry_error}")
        state = value("SELECT state FROM ki_permohonan WHERE id = %s", (permohonan_id,))
        number = value("SELECT agenda_number FROM ki_permohonan WHERE id = %s", (permohonan_id,))
        print(
            f"nothing was kept of the interrupted transition; the retry moved the file to "
            f"{state} with agenda number {number}, one step record more"
        )
        check(state == "kadis_disposition", f"the retry left the file in {state}")
        check(steps(permohonan_id) == step_count + 1, "not exactly one step record more")
        check(counter("agenda") == agenda_next + 1, "the agenda series skipped or reused a number")


# ------------------------------------------------------------------ pdf

WRAPPER = """#!/bin/sh
# wkhtmltopdf, stopped as soon as it starts so that the fault driver can kill it mid-render
case "$*" in *--version*) exec {real} "$@" ;; esac
{real} "$@" &
pid=$!
kill -STOP "$pid"
echo "$pid" >"{pidfile}"
wait "$pid"
"""


def publish_with(name, env, during=None):
    """Publish the demo's file in `numbering` on a server with `env`; the RpcError."""
    permohonan_id = file_in("numbering")
    letter_next, letters = counter("letter"), value("SELECT count(*) FROM ki_letter")
    with odoo_server(name, env=env):
        desk = Rpc("sekretariat")
        outcome = {}

        def publish():
            try:
                desk("ki.permohonan", "action_number_and_publish", [permohonan_id])
                outcome["result"] = "published"
            except RpcError as error:
                outcome["error"] = error

        thread = threading.Thread(target=publish)
        thread.start()
        if during:
            during()
        thread.join(300)
    check("error" in outcome, f"{name}: the letter was published")
    state = value("SELECT state FROM ki_permohonan WHERE id = %s", (permohonan_id,))
    check(state == "numbering", f"{name}: the file moved to {state}")
    check(value("SELECT count(*) FROM ki_letter") == letters, f"{name}: a letter was stored")
    check(counter("letter") == letter_next, f"{name}: a letter number was used up")
    return outcome["error"]


def pdf_renderer_fails():
    """wkhtmltopdf killed while it renders the letter at publication, then missing, then
    back: the Sekretariat publishes the demo's file waiting for its number."""
    real = shutil.which("wkhtmltopdf")
    check(real, "wkhtmltopdf is not installed here")
    # killed while it renders the letter
    bindir = os.path.join(WORKDIR, "wkhtmltopdf-killed")
    os.makedirs(bindir, exist_ok=True)
    pidfile = os.path.join(WORKDIR, "wkhtmltopdf.pid")
    wrapper = os.path.join(bindir, "wkhtmltopdf")
    with open(wrapper, "w") as handle:
        handle.write(WRAPPER.format(real=real, pidfile=pidfile))
    os.chmod(wrapper, 0o755)
    with contextlib.suppress(FileNotFoundError):
        os.remove(pidfile)

    def kill_renderer():
        deadline = time.monotonic() + 120
        while not (pid := Path(pidfile).read_text().strip() if os.path.exists(pidfile) else ""):
            check(time.monotonic() < deadline, "wkhtmltopdf was never started")
            time.sleep(0.05)
        os.kill(int(pid), signal.SIGKILL)

    path = f"{bindir}:{os.environ['PATH']}"
    error = publish_with("pdf-killed", {"PATH": path}, during=kill_renderer)
    print(
        f"wkhtmltopdf killed during publication: nothing published, no number taken; "
        f"the user got: {error.message.splitlines()[0][:160]}"
    )
    check("wkhtmltopdf" in error.message.lower(), "the error does not say what failed")

    # missing: a PATH where it cannot be found
    empty = os.path.join(WORKDIR, "no-wkhtmltopdf")
    os.makedirs(empty, exist_ok=True)
    venv_bin = os.path.dirname(ODOO[0])
    error = publish_with("pdf-missing", {"PATH": f"{venv_bin}:{empty}"})
    print(
        f"wkhtmltopdf missing: nothing published, no number taken; "
        f"the user got: {error.message.splitlines()[0][:160]}"
    )
    check("wkhtmltopdf" in error.message.lower(), "the error does not say what is missing")

    # and with the renderer back, the same file is published with the next number
    permohonan_id = file_in("numbering")
    letter_next = counter("letter")
    with odoo_server("pdf-back"):
        Rpc("sekretariat")("ki.permohonan", "action_number_and_publish", [permohonan_id])
    number = value("SELECT letter_number FROM ki_permohonan WHERE id = %s", (permohonan_id,))
    print(f"wkhtmltopdf back: published as {number} (serial {letter_next}, no gap)")
    check(counter("letter") == letter_next + 1, "the letter series skipped or reused a number")


# ------------------------------------------------------------------ mail


class FakeSmtp(socketserver.ThreadingTCPServer):
    """Just enough of SMTP (RFC 5321) to take mails: counts the messages it accepts."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port):
        self.messages = []
        super().__init__(("127.0.0.1", port), FakeSmtpHandler)


class FakeSmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 fake.smtp ready")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 fake.smtp")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                self.server.messages.append(b"".join(lines))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


def mail_states():
    return dict(query("SELECT state, count(*) FROM mail_mail GROUP BY state"))


def mail_server_unreachable():
    """The queue runs while nothing answers on the mail server's port, then again once
    the server is back."""
    with socket.socket() as probe:
        check(probe.connect_ex(("127.0.0.1", SMTP_PORT)) != 0, f"port {SMTP_PORT} is in use")
    with odoo_server("mail"):
        admin = Rpc("admin")
        admin(
            "ir.mail_server",
            "create",
            {
                "name": "Office mail server",
                "smtp_host": "127.0.0.1",
                "smtp_port": SMTP_PORT,
                "smtp_encryption": "none",
            },
        )
        # a transition with its mails: the Head of Office disposes a file to the Kabid
        permohonan_id = file_in("kadis_disposition")
        Rpc("kadis")("ki.permohonan", "action_dispose_to_kabid", [permohonan_id])
        queued = mail_states().get("outgoing", 0)
        check(queued, "no mail in the queue")
        # the queue runs as its scheduled action does, as that action's user
        [(cron_id,)] = query(
            "SELECT res_id FROM ir_model_data WHERE module = 'mail' "
            "AND name = 'ir_cron_mail_scheduler_action'"
        )
        admin("ir.cron", "method_direct_trigger", [cron_id])
        down = mail_states()
        print(f"mail server down: {queued} mails queued, after a run of the queue: {down}")
        check(down.get("outgoing", 0) == queued, f"mails left the queue: {down}")
        check(not down.get("exception"), f"mails marked as failed: {down}")

        server = FakeSmtp(SMTP_PORT)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            admin("ir.cron", "method_direct_trigger", [cron_id])
        finally:
            server.shutdown()
            server.server_close()
        up = mail_states()
        print(f"mail server back: {len(server.messages)} messages delivered, queue now {up}")
        check(not up.get("outgoing") and not up.get("exception"), f"not all sent: {up}")
        check(len(server.messages) >= queued, "fewer messages than queued mails")


# ------------------------------------------------------------------ disk


class FormValues(html.parser.HTMLParser):
    """The values a browser would send with the form #ki_permohonan_form as it is shown."""

    def __init__(self):
        super().__init__()
        self.values, self.inside, self.select, self.textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "ki_permohonan_form"
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("file", "submit"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.values[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def portal_upload(base, permohonan_id, type_id, content):
    """Upload one file as the applicant through the portal form; the page shown after."""
    session = requests.Session()
    session.trust_env = False
    page = session.get(f"{base}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": "pemohon", "password": "pemohon", "csrf_token": token},
        timeout=30,
    )
    form = session.get(f"{base}/my/permohonan/{permohonan_id}/edit", timeout=30)
    check(form.status_code == 200, f"the form answered {form.status_code}")
    parser = FormValues()
    parser.feed(form.text)
    return session.post(
        f"{base}/my/permohonan/{permohonan_id}/edit",
        data=parser.values,
        files={f"document_{type_id}": ("izin-lingkungan.pdf", content, "application/pdf")},
        timeout=120,
    )


def filestore_full():
    """The applicant uploads a 2 MiB PDF into a filestore with less room left: the
    filestore is a tmpfs just larger than its files, in the server's own mount namespace."""
    check(os.getuid() == 0 and shutil.which("unshare"), "needs root and unshare (mount)")
    filestore = os.environ["KI_FAULTS_FILESTORE"]
    snapshot = os.path.join(WORKDIR, "filestore-copy")
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(filestore, snapshot)
    used = int(
        subprocess.run(
            ["du", "-sk", snapshot], capture_output=True, text=True, check=True
        ).stdout.split()[0]
    )
    size_kib = used + 256 + len(os.listdir(snapshot)) * 4
    mount = (
        f"mount -t tmpfs -o size={size_kib}k ki-filestore {filestore} && "
        f'cp -a {snapshot}/. {filestore}/ && exec "$@"'
    )
    prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c", mount, "odoo"]
    permohonan_id = file_in("draft")
    type_id = value("SELECT id FROM ki_document_type WHERE active ORDER BY sequence, id LIMIT 1")
    content = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024) + b"\n%%EOF\n"
    checksum = hashlib.sha1(content).hexdigest()
    versions = value(
        "SELECT count(*) FROM ki_permohonan_document WHERE permohonan_id = %s", (permohonan_id,)
    )
    attachments = value("SELECT count(*) FROM ir_attachment")
    base = f"http://127.0.0.1:{PORT}"
    with odoo_server("disk", prefix=prefix) as process:
        inside = f"/proc/{process.pid}/root{filestore}"
        free = shutil.disk_usage(inside).free
        reply = portal_upload(base, permohonan_id, type_id, content)
        leftover = os.path.exists(os.path.join(inside, checksum[:2], checksum))
        shown = re.search(r"could not be stored[^<]*|tidak dapat disimpan[^<]*", reply.text)
        print(
            f"filestore with {free // 1024} KiB free, a {len(content) // 1024} KiB upload: "
            f"HTTP {reply.status_code}, partial file left: {leftover}; the applicant read: "
            f"{shown.group(0).strip() if shown else '(no message)'}"
        )
        check(reply.status_code == 200, f"the portal answered {reply.status_code}")
        check(
            "could not be stored" in reply.text or "tidak dapat disimpan" in reply.text,
            "the applicant is not told that the file was not stored",
        )
        check(not leftover, "a partial file stays in the filestore")
        check(
            value(
                "SELECT count(*) FROM ki_permohonan_document WHERE permohonan_id = %s",
                (permohonan_id,),
            )
            == versions,
            "a document version was recorded",
        )
        check(
            value("SELECT count(*) FROM ir_attachment") == attachments, "an attachment was recorded"
        )
        # space again: the same upload goes through
        subprocess.run(
            [
                "nsenter",
                "-t",
                str(process.pid),
                "-m",
                "mount",
                "-o",
                f"remount,size={size_kib + 8192}k",
                filestore,
            ],
            check=True,
        )
        reply = portal_upload(base, permohonan_id, type_id, content)
        stored = os.path.join(inside, checksum[:2], checksum)
        with open(stored, "rb") as handle:
            intact = hashlib.sha1(handle.read()).hexdigest() == checksum
        print(f"with space again: HTTP {reply.status_code}, the file stored whole: {intact}")
        check(intact, "the retried upload is not stored whole")
        check(
            value(
                "SELECT count(*) FROM ki_permohonan_document WHERE permohonan_id = %s",
                (permohonan_id,),
            )
            == versions + 1,
            "the retried upload is not one new version",
        )
    shutil.rmtree(snapshot, ignore_errors=True)


SCENARIOS = {
    "node": node_killed,
    "postgres": postgres_restarted,
    "pdf": pdf_renderer_fails,
    "mail": mail_server_unreachable,
    "disk": filestore_full,
}

if __name__ == "__main__":
    name = sys.argv[1]
    print(f"--- {name}: {SCENARIOS[name].__doc__.split(chr(10))[0]}", flush=True)
    try:
        SCENARIOS[name]()
    except Fault as fault:
        print(f"FAIL {name}: {fault}", flush=True)
        sys.exit(1)
    print(f"PASS {name}", flush=True)
