"""Figures of the HTTP benchmark: medians over rounds, ratios to the bare project, tables.

A ratio is taken within each round (the portal's figure over the bare project's in that
same round), then the median of the rounds is reported: drift between rounds cancels out.
"""

import statistics

YARDSTICKS = {"lookup": "bare lookup", "hello": "bare hello"}


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _failures(result: dict) -> int:
    errors = result["errors"]
    return errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]


def summarise(chosen, results: dict[str, list[dict]], queries: dict) -> list[dict]:

    rows = []
    for scenario in chosen:
        rounds = results.get(scenario.name, [])
        row = {
            "name": scenario.name,
            "server": scenario.server,
            "method": scenario.method,
            "path": scenario.path,
            "expect": list(scenario.expect),
            "rounds": len(rounds),
            "rps": _median(r["rps"] for r in rounds),
            "requests": sum(r["requests"] for r in rounds),
            "unexpected": sum(r["unexpected"] for r in rounds),
            "unexpected_statuses": " ".join(r["unexpected_statuses"] for r in rounds).strip(),
            "failures": sum(_failures(r) for r in rounds),
            "timeouts": sum(r["errors"]["timeout"] for r in rounds),
            "sql_queries": queries.get(scenario.name),
            "connections": max((r["connections"] for r in rounds), default=None),
            "slow": any(r["slow"] for r in rounds),
            "per_round": rounds,
        }
        for p in ("p50", "p90", "p99"):
            row[f"{p}_ms"] = _median(r["latency_us"][p] / 1000 for r in rounds)
        for key in scenario.yardsticks:
            base = results.get(YARDSTICKS[key], [])
            pairs = list(zip(rounds, base, strict=False))
            row[f"ratio_{key}"] = _median(
                r["rps"] / b["rps"] if b["rps"] else None for r, b in pairs
            )
            row[f"p99_ratio_{key}"] = _median(
                r["latency_us"]["p99"] / b["latency_us"]["p99"] if b["latency_us"]["p99"] else None
                for r, b in pairs
            )
        row["valid"] = bool(rounds) and row["unexpected"] == 0 and row["failures"] == 0
        rows.append(row)
    return rows


def _number(value, digits=1, suffix="") -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{suffix}".replace(",", " ")


def _ratio(value) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}x" if value < 0.1 else f"{value:.2f}x"


def markdown(document: dict) -> str:
    settings = document["wrk_settings"]
    seed = document["seed"]
    memory = document.get("memory") or {}
    lines = [
        f"# HTTP benchmark — {document['date']}",
        "",
        f"- Scale: **{document['scale']:,} demandes** (database `{document['database']}`; "
        f"seeded {seed.get('seeded_at', '?')}: {int(seed.get('rows', 0)):,} rows in "
        f"{seed.get('bulk_seconds', '?')} s, {int(seed.get('rows_per_second', 0)):,} rows/s)",
        f"- Machine: {document['cores']} cores, {document['cpu']}",
        f"- Python {document['python']}, Django {document['django']}, "
        f"Wagtail {document['wagtail']}, PostgreSQL {document['postgresql']}",
        f"- gunicorn: {document['gunicorn_workers']} sync workers, production settings "
        f"(log level {document['log_level']}); {document['wrk']}: {settings['threads']} threads, "
        f"{settings['connections']} connections, {settings['duration_s']} s per scenario, "
        f"timeout {settings['timeout_s']} s, {settings['rounds']} A/B rounds (medians)",
        f"- Run: **{'valid' if document['valid'] else 'INVALID'}** "
        "(every response with its expected status, no failed request)",
        "",
        "| Scenario | req/s | p50 ms | p90 ms | p99 ms | bad | SQL | x lookup | p99 x lookup "
        "| x hello |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in document["scenarios"]:
        bad = row["unexpected"] + row["failures"]
        lines.append(
            f"| {row['name']}{' †' if row['slow'] else ''}{'' if row['valid'] else ' ⚠'} "
            f"| {_number(row['rps'])} "
            f"| {_number(row['p50_ms'])} | {_number(row['p90_ms'])} | {_number(row['p99_ms'])} "
            f"| {bad} | {row['sql_queries'] if row['sql_queries'] is not None else '—'} "
            f"| {_ratio(row.get('ratio_lookup'))} "
            f"| {_number(row.get('p99_ratio_lookup'), 1, 'x')} "
            f"| {_ratio(row.get('ratio_hello'))} |"
        )
    lines.append("")
    lines.append(
        "`bad`: responses with another status than expected (200; 302 for the POSTs) plus "
        "failed or timed-out requests. Ratios: within each round, then the median."
    )
    if any(row["slow"] for row in document["scenarios"]):
        lines.append(
            "† over a second a request: one connection per worker, for at least 10 "
            "request times (same throughput; the latency is the service time, without queueing)."
        )
    if memory:
        lines += [
            "",
            f"Memory: largest worker RSS at the end of a scenario's load "
            f"{memory['worker_rss_mb']} MB; a {memory['upload_bytes'] / 2**20:.1f} MiB reply "
            f"upload (status {memory['upload_status']}) on warmed workers "
            f"({', '.join(map(str, memory['warmed_worker_rss_mb']))} MB) grew one by "
            f"{memory['upload_growth_mb']} MB.",
        ]
    for row in document["scenarios"]:
        if row["unexpected_statuses"] or row["timeouts"]:
            lines.append(
                f"- {row['name']}: statuses {row['unexpected_statuses'] or '—'}, "
                f"{row['timeouts']} timeouts"
            )
    return "\n".join(lines) + "\n"
