"""The portal over HTTP against a bare Django project, measured in the same run (issue 18).

    .venv/bin/python -m bench.seed && .venv/bin/python -m bench.http      # or: make bench

On the database seeded by ``bench.seed`` (DATABASE_URL, see bench/env.py), each round
runs every portal scenario, then every scenario of the bare project of ``bench/baseline``
(the order swapped every round, A/B then B/A, so that the machine's drift cancels out).
Each scenario gets a server of its own, one at a time: gunicorn (2 sync workers,
production settings, persistent connections) is started, the scenario's URL checked with
one real request and warmed, loaded with wrk for ``BENCH_DURATION``, then stopped. Last,
a 5 MiB upload on warmed workers gives the memory growth. Every response must have the
scenario's status (2xx, or the redirect a POST answers with) and no request may fail or
time out, or the run is marked invalid. Writes ``var/bench/http-<timestamp>.md`` and
``.json`` (and ``latest.*``).

Environment: BENCH_DURATION (seconds, default 10), BENCH_CONNECTIONS (32), BENCH_THREADS
(2), BENCH_ROUNDS (3), BENCH_TIMEOUT (wrk's per-request timeout, seconds, default 60),
BENCH_ONLY (comma-separated scenario names, substrings), BENCH_WORKERS (2).
"""

import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import env, report, scenarios, seed, servers

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
ROUNDS = max(1, int(os.environ.get("BENCH_ROUNDS", "3")))
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "60"))
WARMUP_SECONDS = 20  # at most, per scenario and server start
SLOW_SECONDS = 1.0  # a request slower than this: one wrk connection per worker
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = Path(__file__).resolve().parent / "wrk" / "scenario.lua"


def _selected(plan: scenarios.Plan) -> list[scenarios.Scenario]:
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    chosen = [
        s
        for s in plan.scenarios
        if s.server == "baseline" or not only or any(o in s.name for o in only)
    ]
    return chosen


def check_and_warm(plan, scenario, port: int) -> float:
    """One real request must answer the expected status; a few more warm the workers.
    Returns the shortest time a request took: the scenario's service time."""
    headers = plan.headers(scenario, port)
    body = scenario.body.read_bytes() if scenario.body else None
    status, seconds = servers.request(port, scenario.method, scenario.path, headers, body)
    if status not in scenario.expect:
        raise SystemExit(
            f"{scenario.name}: {scenario.method} {scenario.path} answered {status}, "
            f"expected {scenario.expect}; see {env.VAR}/gunicorn-{scenario.server}.log"
        )
    fastest = seconds
    deadline = time.monotonic() + WARMUP_SECONDS
    for _ in range(2 * servers.WORKERS):
        if time.monotonic() + fastest > deadline:
            break
        _status, seconds = servers.request(port, scenario.method, scenario.path, headers, body)
        fastest = min(fastest, seconds)
    return fastest


def load_for(service_seconds: float) -> dict:
    """wrk's connections, duration and timeout for a scenario of this service time.

    A scenario slower than SLOW_SECONDS a request runs with one connection per worker: its
    throughput is the same (the workers are saturated either way), its latency is the
    service time instead of 16 requests of queueing that would outlast any timeout, and it
    runs for at least 10 request times."""
    if service_seconds <= SLOW_SECONDS:
        return {"connections": CONNECTIONS, "duration_s": DURATION, "timeout_s": TIMEOUT}
    longer = math.ceil(10 * service_seconds)
    return {
        "connections": servers.WORKERS,
        "duration_s": max(DURATION, longer),
        "timeout_s": max(TIMEOUT, longer),
    }


def run_wrk(plan, scenario, port: int, load: dict) -> dict:
    headers = plan.headers(scenario, port)
    wrk_env = {
        **os.environ,
        "BENCH_WRK_METHOD": scenario.method,
        "BENCH_WRK_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
        "BENCH_WRK_BODY": str(scenario.body or ""),
        "BENCH_WRK_EXPECT": " ".join(map(str, scenario.expect)),
    }
    command = [
        WRK,
        f"-t{min(THREADS, load['connections'])}",
        f"-c{load['connections']}",
        f"-d{load['duration_s']}s",
        f"--timeout={load['timeout_s']}s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}{scenario.path}",
    ]
    output = subprocess.run(  # noqa: S603 - wrk from Debian, our arguments
        command, env=wrk_env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith('{"requests"'))
    result = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return {**result, **load, "slow": load["connections"] != CONNECTIONS}


def portal_server(url: str, port: int) -> servers.Gunicorn:
    environ = env.portal_env(url)
    return servers.Gunicorn("portal", "config.wsgi:application", environ, port, "/healthz")


def baseline_server(url: str, port: int) -> servers.Gunicorn:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "bench.baseline.settings",
        "DATABASE_URL": url,
    }
    return servers.Gunicorn("baseline", "bench.baseline.wsgi:application", environ, port, "/hello")


def run_scenario(server, plan, scenario, results) -> None:
    """On a server of its own: check, warm and load one scenario, then the workers' RSS.

    A fresh server per scenario: when wrk stops, the requests still queued on its
    connections are served anyway (a sync worker cannot tell that the client left), and
    seconds of that leftover work would fall on the next scenario."""
    with server:
        service_seconds = check_and_warm(plan, scenario, server.port)
        result = run_wrk(plan, scenario, server.port, load_for(service_seconds))
        result["service_ms"] = round(service_seconds * 1000, 1)
        result["worker_rss_mb"] = [
            round(servers.rss_bytes(pid) / 2**20, 1) for pid in server.workers()
        ]
    results.setdefault(scenario.name, []).append(result)
    print(
        f"  {scenario.name:<28} {result['rps']:9.1f} req/s  "
        f"p99 {result['latency_us']['p99'] / 1000:9.1f} ms"
        + (f"  UNEXPECTED {result['unexpected']}" if result["unexpected"] else ""),
        flush=True,
    )


def upload_growth(server, plan, chosen) -> dict:
    """The largest RSS growth of a worker while a 5 MiB reply (PDF) is uploaded, on workers
    warmed by every page and by small uploads (imports and caches are not growth)."""
    reply = next(s for s in plan.scenarios if s.path == plan.memory_path)
    headers = plan.headers(reply, server.port)
    with server:
        for scenario in chosen:
            if scenario.server == "portal" and scenario.method == "GET":
                check_and_warm(plan, scenario, server.port)
        small = plan.warm_body.read_bytes()
        for _ in range(2 * servers.WORKERS):
            servers.request(server.port, "POST", plan.memory_path, headers, small)
        body = plan.memory_body.read_bytes()
        growth, (status, _seconds) = servers.rss_growth_during(
            server.workers(),
            lambda: servers.request(server.port, "POST", plan.memory_path, headers, body),
        )
        rss = [servers.rss_bytes(pid) for pid in server.workers()]
    return {
        "upload_bytes": len(body),
        "upload_status": status,
        "upload_growth_mb": round(growth / 2**20, 1),
        "warmed_worker_rss_mb": [round(v / 2**20, 1) for v in rss],
    }


def count_queries(plan, chosen) -> dict[str, int | None]:
    """SQL queries of one request per portal scenario, in-process (Django's test client on
    the same database and settings)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for scenario in chosen:
        if scenario.server != "portal":
            continue
        client = Client()
        if scenario.who:
            client.cookies[settings.SESSION_COOKIE_NAME] = plan.sessions[scenario.who]
        client.cookies[settings.CSRF_COOKIE_NAME] = plan.csrf_cookie
        body = scenario.body.read_bytes() if scenario.body else ""
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(
                scenario.method,
                scenario.path,
                data=body,
                content_type=scenario.content_type or "application/octet-stream",
                secure=True,
            )
        ok = response.status_code in scenario.expect
        counts[scenario.name] = len(queries) if ok else None
    counts["bare hello"], counts["bare lookup"] = _baseline_queries(plan)
    return counts


def _baseline_queries(plan) -> tuple[int, int]:
    lookup = next(s for s in plan.scenarios if s.name == "bare lookup")
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "counts = []\n"
        f"for path in ('/hello', {lookup.path!r}):\n"
        "    with CaptureQueriesContext(connection) as q:\n"
        "        assert Client().get(path).status_code == 200\n"
        "    counts.append(len(q))\n"
        "print(*counts)\n"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.baseline.settings"}
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        env=environ,
        cwd=env.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def machine_facts(url: str, marker: dict) -> dict:
    import django
    import wagtail
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    wrk_version = subprocess.run(  # noqa: S603 - wrk from Debian
        [WRK, "-v"], capture_output=True, text=True, check=False
    ).stdout.split("\n")[0]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "scale": int(marker.get("scale", 0)),
        "seed": marker,
        "database": env.database_name(url),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "postgresql": postgres,
        "wrk": wrk_version.split(" Copyright")[0].strip(),
        "wrk_settings": {
            "threads": THREADS,
            "connections": CONNECTIONS,
            "duration_s": DURATION,
            "timeout_s": TIMEOUT,
            "rounds": ROUNDS,
        },
        "gunicorn_workers": servers.WORKERS,
        "log_level": env.portal_env(url)["DJANGO_LOG_LEVEL"],
    }


def collectstatic(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=env.ROOT,
        env={**env.portal_env(url), "DJANGO_LOG_LEVEL": "WARNING"},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    url = env.database_url()
    marker = seed.read_marker(url)
    if not marker:
        sys.exit(f"{env.database_name(url)} is not seeded: run `python -m bench.seed` first.")
    print(f"collectstatic into {env.VAR / 'portal' / 'static'}", flush=True)
    collectstatic(url)
    env.setup_django(url)
    plan = scenarios.build(env.VAR / "bodies")
    chosen = _selected(plan)
    print("SQL queries per request (in-process test client)", flush=True)
    queries = count_queries(plan, chosen)
    scenarios.clean_up_writes()
    facts = machine_facts(url, marker)
    port = servers.free_port()
    results: dict[str, list[dict]] = {}
    for number in range(ROUNDS):
        order = ("portal", "baseline") if number % 2 == 0 else ("baseline", "portal")
        for name in order:
            print(f"round {number + 1}/{ROUNDS}: {name}", flush=True)
            for scenario in chosen:
                if scenario.server == name:
                    server = (portal_server if name == "portal" else baseline_server)(url, port)
                    run_scenario(server, plan, scenario, results)
            scenarios.clean_up_writes()
    print("memory: a 5 MiB upload on warmed workers", flush=True)
    memory = upload_growth(portal_server(url, port), plan, chosen)
    memory["worker_rss_mb"] = max(
        (max(r["worker_rss_mb"]) for rounds in results.values() for r in rounds), default=None
    )
    scenarios.clean_up_writes()
    summary = report.summarise(chosen, results, queries)
    document = {
        **facts,
        "facts": plan.facts,
        "memory": memory,
        "valid": all(row["valid"] for row in summary) and memory["upload_status"] == 302,
        "scenarios": summary,
    }
    markdown = report.markdown(document)
    print()
    print(markdown)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name in (f"http-{stamp}", "latest"):
        (env.VAR / f"{name}.md").write_text(markdown)
        (env.VAR / f"{name}.json").write_text(json.dumps(document, indent=2, ensure_ascii=False))
    print(f"written: {env.VAR}/http-{stamp}.md and .json (and latest.*)")
    if not document["valid"]:
        sys.exit("INVALID RUN: some responses had an unexpected status or failed (see table).")


if __name__ == "__main__":
    main()
