"""The portal over HTTP, as applicants use it: each client logs in, then reads its company's
list and one application's page in turn. Every failed request is an error: a status other
than 200, a time-out, a refused connection, and a log-in that fails or does not reach /my.

    python http_load.py alone BASE                   each page alone (p50, p95), then 20
                                                     clients for 60 s (scripts/bench)
    python http_load.py load BASE LABEL CLIENTS...   CLIENTS clients for 60 s each, through
                                                     nginx (scripts/bench, cluster part)

Rows go to $KI_BENCH_OUT/http.json (the table); scripts/faults imports `run_clients`.
KI_BENCH_TLS_CA: the certificate nginx serves (HTTPS is checked against it);
KI_BENCH_PRIMARY_DSN / KI_BENCH_REPLICA_DSN: where to read pg_stat_database, to report the
replica's share of the work."""

import collections
import contextlib
import json
import os
import re
import statistics
import sys
import threading
import time

import requests

TIMEOUT = 30
SECONDS = int(os.environ.get("KI_BENCH_SECONDS", "60"))
SAMPLES = 40


def new_session():
    session = requests.Session()
    session.trust_env = False  # no proxy, and the CA below rather than the system's
    session.verify = os.environ.get("KI_BENCH_TLS_CA") or True
    return session


def csrf_token(page):
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return match.group(1) if match else ""


def login(base, session, login_name):
    """Log in as `login_name`; the error as a short text, or None."""
    try:
        page = session.get(f"{base}/web/login", timeout=TIMEOUT)
        if page.status_code != 200:
            return f"log-in page {page.status_code}"
        reply = session.post(
            f"{base}/web/login",
            data={
                "login": login_name,
                "password": login_name,
                "csrf_token": csrf_token(page),
                "redirect": "/my",
            },
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        return f"log-in {type(error).__name__}"
    if reply.status_code != 200:
        return f"log-in {reply.status_code}"
    if "/web/login" in reply.url:
        return "log-in refused"
    return None


class Results:
    """Timings and errors of every request, by kind (GET, POST, login), from all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.timings = collections.defaultdict(list)
        self.errors = collections.defaultdict(collections.Counter)

    def add(self, kind, started, error):
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.timings[kind].append(elapsed)
            if error:
                self.errors[kind][error] += 1

    def count(self, kinds=None):
        return sum(len(v) for k, v in self.timings.items() if kinds is None or k in kinds)

    def error_count(self, kinds=None):
        return sum(sum(c.values()) for k, c in self.errors.items() if kinds is None or k in kinds)


def request(session, method, url, **kwargs):
    """The error of one request as a short text, or None."""
    try:
        reply = session.request(method, url, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        return type(error).__name__
    if reply.status_code != 200:
        return str(reply.status_code)
    return "logged out" if "/web/login" in reply.url else None


class Window:
    """The measured period, the same for every client: it starts once all have logged in."""

    def __init__(self, clients, seconds):
        self.ready = threading.Barrier(clients + 1)
        self.seconds = seconds
        self.deadline = None

    def open(self):
        self.ready.wait()
        self.deadline = time.monotonic() + self.seconds

    def wait_open(self):
        self.ready.wait()
        while self.deadline is None:
            time.sleep(0.01)


def log_in(base, session, login_name, results, until):
    """Log in, again after each failure (each one an error) until `until`; success?"""
    while time.monotonic() < until:
        started = time.perf_counter()
        error = login(base, session, login_name)
        results.add("login", started, error)
        if error is None:
            return True
        time.sleep(1)
    return False


def client(base, login_name, paths, window, results, post_every=0):
    """One applicant: logs in before the measured period, then GETs `paths` in turn until
    it ends; every `post_every`-th request is a status lookup (POST) instead. A session
    that gets logged out logs in again (the failed request is an error)."""
    session, count, token = new_session(), 0, None
    logged_in = log_in(base, session, login_name, results, time.monotonic() + 2 * TIMEOUT)
    window.wait_open()
    while time.monotonic() < window.deadline:
        if not logged_in:
            logged_in = log_in(base, session, login_name, results, window.deadline)
            continue
        count += 1
        started = time.perf_counter()
        if post_every and count % post_every == 0:
            if token is None:
                with contextlib.suppress(requests.RequestException):
                    page = session.get(f"{base}/permohonan/status", timeout=TIMEOUT)
                    token = csrf_token(page)
            error = request(
                session,
                "POST",
                f"{base}/permohonan/status",
                data={"number": "KI/0000/00000", "code": "000000", "csrf_token": token or ""},
            )
            results.add("POST", started, error)
        else:
            error = request(session, "GET", base + paths[count % len(paths)])
            results.add("GET", started, error)
        if error == "logged out":
            logged_in = False


def run_clients(base, login_name, paths, clients, seconds, post_every=0, during=None):
    """`clients` concurrent clients, measured for `seconds` once they have all logged in;
    `during(elapsed_seconds)` is called every second meanwhile (scripts/faults kills a node
    from it). The Results and the measured duration."""
    results = Results()
    window = Window(clients, seconds)
    threads = [
        threading.Thread(target=client, args=(base, login_name, paths, window, results, post_every))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    window.open()
    started = time.perf_counter()
    while any(thread.is_alive() for thread in threads):
        time.sleep(1)
        if during:
            during(time.perf_counter() - started)
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def p95(values):
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def summary(results, duration):
    timings = [t for kind in ("GET", "POST") for t in results.timings[kind]]
    errors = {f"{kind} {error}": n for kind, c in results.errors.items() for error, n in c.items()}
    return {
        "ms": statistics.median(timings) if timings else 0,
        "p95": p95(timings) if timings else 0,
        "rps": len(timings) / duration,
        "errors": results.error_count(),
        "error_detail": errors,
        "logins": len(results.timings["login"]),
    }


def pg_counters(dsn, database):
    """Transactions and rows read in `database` on one server since it started."""
    import psycopg2  # only the cluster part needs it

    with psycopg2.connect(dsn) as connection, connection.cursor() as cr:
        cr.execute(
            "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched "
            "FROM pg_stat_database WHERE datname = %s",
            (database,),
        )
        return cr.fetchone()


def replica_connections(dsn, database):
    """Odoo's connections on the replica, by node (pg_stat_activity)."""
    import psycopg2

    with psycopg2.connect(dsn) as connection, connection.cursor() as cr:
        cr.execute(
            "SELECT split_part(application_name, '-', 2), count(*) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name LIKE 'odoo-node%%' GROUP BY 1 ORDER BY 1",
            (database,),
        )
        return dict(cr.fetchall())


def write_rows(rows):
    path = os.path.join(os.environ["KI_BENCH_OUT"], "http.json")
    previous = []
    if os.path.exists(path):
        with open(path) as handle:
            previous = json.load(handle)
    with open(path, "w") as handle:
        json.dump(previous + rows, handle)


def seed():
    with open(os.path.join(os.environ["KI_BENCH_OUT"], "seed.json")) as handle:
        return json.load(handle)


def alone(base):
    """Each page alone, then 20 clients, against one server (scripts/bench's first part)."""
    facts = seed()
    session = new_session()
    error = login(base, session, facts["applicant"])
    assert error is None, error
    detail = f"/my/permohonan/{facts['applicant_file']}"
    pages = {"/my/home (baseline)": "/my/home", "/my/permohonan": "/my/permohonan"}
    pages[detail] = detail
    rows = []
    for label, path in pages.items():
        timings = []
        for _sample in range(SAMPLES):
            started = time.perf_counter()
            reply = session.get(base + path, timeout=TIMEOUT)
            timings.append((time.perf_counter() - started) * 1000)
            assert reply.status_code == 200, (path, reply.status_code)
        rows.append(
            {
                "figure": f"Portal {label}, alone",
                "ms": statistics.median(timings),
                "p95": p95(timings),
                "target": "p95 < 300 ms" if "baseline" not in label else None,
            }
        )
        print(f"{label}: p50 {rows[-1]['ms']:.0f} ms, p95 {rows[-1]['p95']:.0f} ms")
    results, duration = run_clients(
        base, facts["applicant"], ["/my/permohonan", detail], 20, SECONDS
    )
    row = summary(results, duration)
    row["figure"] = f"Portal list+detail, 20 clients for {SECONDS} s, 2 workers"
    row["target"] = "p95 < 1 s, 0 errors"
    rows.append(row)
    print_row(row)
    write_rows(rows)


def load(base, label, client_counts):
    """The portal through nginx with each number of clients in turn (the cluster part),
    with the replica's share of the transactions and rows read."""
    facts = seed()
    database = os.environ["KI_BENCH_DB"]
    primary, replica = os.environ["KI_BENCH_PRIMARY_DSN"], os.environ["KI_BENCH_REPLICA_DSN"]
    detail = f"/my/permohonan/{facts['applicant_file']}"
    rows = []
    for clients in client_counts:
        before = [pg_counters(primary, database), pg_counters(replica, database)]
        seen = {}

        def watch(elapsed, seen=seen):
            if not seen and elapsed > SECONDS / 2:
                seen.update(replica_connections(replica, database))

        results, duration = run_clients(
            base, facts["applicant"], ["/my/permohonan", detail], clients, SECONDS, during=watch
        )
        time.sleep(2)  # the servers publish their statistics about once a second
        after = [pg_counters(primary, database), pg_counters(replica, database)]
        (p_xacts, p_rows), (r_xacts, r_rows) = (
            (a[0] - b[0], a[1] - b[1]) for a, b in zip(after, before, strict=True)
        )
        row = summary(results, duration)
        row["figure"] = f"Portal list+detail through nginx, {clients} clients, {label}"
        row["replica"] = {
            "transactions": r_xacts / max(1, r_xacts + p_xacts),
            "rows": r_rows / max(1, r_rows + p_rows),
            "connections": seen,
        }
        row["note"] = (
            f"replica: {row['replica']['transactions']:.0%} of transactions, "
            f"{row['replica']['rows']:.0%} of rows read"
        )
        rows.append(row)
        print_row(row)
        print(f"  Odoo's connections on the replica half-way, by node: {seen}")
    write_rows(rows)


def print_row(row):
    print(
        f"{row['figure']}: {row['rps']:.1f} req/s, p50 {row['ms']:.0f} ms, "
        f"p95 {row['p95']:.0f} ms, {row['errors']} errors {row['error_detail'] or ''}"
        + (f"; {row['note']}" if row.get("note") else "")
    )


if __name__ == "__main__":
    if sys.argv[1] == "alone":
        alone(sys.argv[2])
    else:
        load(sys.argv[2], sys.argv[3], [int(n) for n in sys.argv[4:]])
