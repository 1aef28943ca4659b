"""Seed a PostgreSQL database for the HTTP benchmark, fast and set-based.

    BENCH_SCALE=1000000 .venv/bin/python -m bench.seed      # BENCH_RESEED=1 starts over

On DATABASE_URL (default: postgres://postgres@127.0.0.1:5432/guichet_bench, see bench/env.py):
``migrate`` and ``seed_demo`` first (Wagtail pages, démarches, demo accounts), then
``BENCH_SCALE`` demandes written by ``INSERT ... SELECT ... FROM generate_series`` in
batches: 20 services of 2 démarches each (the demo's "changement d'adresse" form), 5
instructors per service, applicants with their personal space, one applicant
(``usager-1@bench.example``) owning 500 demandes, and for each demande ≈5 timeline events,
some messages, its viewflow process and tasks in the states its status allows
(``workflows.flows.OPEN_NODES_BY_STATUS``). Case numbers follow ``cases.numbers`` (a
bijection of the row index: unique). The table ``bench_seed`` records the scale: a
database already seeded at that scale is kept, and only migrated.

Every INSERT names its columns: columns added later with a default or NULL do not break
it; ``workflows.queue.rebuild()`` and ``cases.counts.rebuild()`` recompute what derives from them.
"""

import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field

from bench import env

SEED_FORMAT = "1"
SERVICES = 20
PROCEDURES_PER_SERVICE = 2
INSTRUCTORS_PER_SERVICE = 5
OWNED_BY_BENCH_APPLICANT = 500
WRITER_CASES = 20  # the newest demandes: the writer's, for the scenarios that post
TEMPLATE_PROCEDURE = "changement-adresse"
BATCH = 100_000
# Index rebuilds beat row-by-row index updates from this many demandes on.
DROP_INDEXES_FROM = 200_000
BULK_TABLES = (
    "cases_case",
    "cases_caseevent",
    "cases_casemessage",
    "viewflow_process",
    "viewflow_task",
    "workflows_caseprocess",
)
FLOW = "workflows/flows.InstructionFlow"
ANSWERS = (
    '{"ancienne_adresse": {"city": "Rennes", "street": "4 place de la Mairie", '
    '"postcode": "35000"}, "nouvelle_adresse": {"city": "Lorient", "street": "9 rue du Port", '
    '"postcode": "56100"}, "date_demenagement": "2026-09-15", '
    '"justificatif_domicile__later": true}'
)

# Stages of a demande: its status and what its flow has open (flows.OPEN_NODES_BY_STATUS).
STAGE_STATUS = {
    "draft": "draft",
    "submitted": "submitted",
    "check_new": "in_instruction",
    "check_taken": "in_instruction",
    "decide_taken": "in_instruction",
    "awaiting": "awaiting_applicant",
    "accepted": "accepted",
    "refused": "refused",
    "closed": "closed",
}
# The newest tenth of the history is still moving; older demandes are decided.
RECENT_STAGES = (
    ["check_new"] * 6
    + ["check_taken"] * 3
    + ["decide_taken"] * 2
    + ["awaiting"] * 4
    + ["submitted", "draft"]
    + ["accepted"] * 3
)
OLD_STAGES = ["accepted"] * 14 + ["refused"] * 4 + ["closed"] * 2

_START = [("start", "START"), ("validate_attachments", "FUNCTION")]
_START += [("documents_complete", "EXCLUSIVE_GATEWAY")]
_CHECKED = [("check", "HUMAN", "DONE", True), ("after_check", "EXCLUSIVE_GATEWAY", "DONE", False)]
# Per stage: (node, type, task status, owned by an instructor).
TASKS = {
    "check_new": [*[(n, t, "DONE", False) for n, t in _START], ("check", "HUMAN", "NEW", False)],
    "check_taken": [
        *[(n, t, "DONE", False) for n, t in _START],
        ("check", "HUMAN", "ASSIGNED", True),
    ],
    "decide_taken": [
        *[(n, t, "DONE", False) for n, t in _START],
        *_CHECKED,
        ("decide", "HUMAN", "ASSIGNED", True),
    ],
    "awaiting": [
        *[(n, t, "DONE", False) for n, t in _START],
        *_CHECKED,
        ("wait_applicant", "FUNCTION", "NEW", False),
        ("wait_applicant__timeout", "TIMER", "SCHEDULED", False),
    ],
    "decided": [
        *[(n, t, "DONE", False) for n, t in _START],
        *_CHECKED,
        ("decide", "HUMAN", "DONE", True),
        ("after_decide", "EXCLUSIVE_GATEWAY", "DONE", False),
        ("notify", "FUNCTION", "DONE", False),
        ("end", "END", "DONE", False),
    ],
}
# Per stage group: (kind, role, status, moment, only with a question-and-reply pair).
_FILED = [("created", "applicant", "draft", "created", False)]
_FILED += [("submitted", "applicant", "submitted", "t0", False)]
_STARTED = [*_FILED, ("status", "system", "in_instruction", "start", False)]
_PAIR = [
    ("message", "instructor", "in_instruction", "check", True),
    ("message", "applicant", "in_instruction", "reply", True),
]
EVENTS = {
    "draft": _FILED[:1],
    "submitted": _FILED,
    "active": [*_STARTED, *_PAIR],
    "awaiting": [
        *_STARTED,
        ("message", "instructor", "awaiting_applicant", "check", False),
        ("status", "instructor", "awaiting_applicant", "check", False),
    ],
    "decided": [*_STARTED, *_PAIR, ("decision", "instructor", "FINAL", "decided", False)],
}
MESSAGES = {  # per stage group: (role, moment, only with a question-and-reply pair)
    "active": [("instructor", "check", True), ("applicant", "reply", True)],
    "awaiting": [("instructor", "check", False)],
    "decided": [("instructor", "check", True), ("applicant", "reply", True)],
}
QUESTION = "Pouvez-vous préciser la date exacte de votre déménagement ?"
REPLY = "Bonjour, le déménagement a eu lieu le 15 septembre. Cordialement."
REASONS = {"refused": "Justificatif non conforme.", "closed": "Demande en double."}


def group_of(stage: str) -> str:
    if stage in ("check_new", "check_taken", "decide_taken"):
        return "active"
    if stage in ("accepted", "refused", "closed"):
        return "decided"
    return stage


# --- Case numbers ------------------------------------------------------------------------
_MULTIPLIER = 137_438_953_447  # odd, < 2**37: i * it stays in a bigint for i < 2**26
_OFFSET = 9_876_543_210_987
_MASK = (1 << 45) - 1


def _check_tables() -> list[list[int]]:
    """The check symbol of ``cases.numbers`` is linear over GF(2): the XOR, over the nine
    body symbols, of the symbol times x^(9 - position) in GF(32)."""

    def times_two(value: int) -> int:
        value <<= 1
        return value ^ 0b100101 if value & 0b100000 else value

    tables = []
    for position in range(9):
        row = []
        for symbol in range(32):
            for _ in range(9 - position):
                symbol = times_two(symbol)
            row.append(symbol)
        tables.append(row)
    return tables


def number_function_sql() -> str:
    """``bench_case_number(i)``: the case number of row ``i``, a bijection of 45 bits."""
    from cases import numbers

    symbols = [f"((v >> {5 * (8 - k)}) & 31)" for k in range(9)]
    body = " || ".join(f"substr('{numbers.ALPHABET}', {s}::int + 1, 1)" for s in symbols)
    check = " # ".join(
        f"('{{{','.join(map(str, table))}}}'::int[])[{s}::int + 1]"
        for table, s in zip(_check_tables(), symbols, strict=True)
    )
    return (
        "CREATE OR REPLACE FUNCTION bench_case_number(i bigint) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
        f"SELECT {body} || substr('{numbers.ALPHABET}', ({check}) + 1, 1) "
        f"FROM (SELECT (i * {_MULTIPLIER} + {_OFFSET}) & {_MASK} AS v) AS x $$"
    )


# --- The plan of every demande -------------------------------------------------------------
@dataclass
class Layout:
    """Where the seeded rows go: explicit ids after those of the demo data."""

    scale: int
    user_base: int
    space_base: int
    process_base: int
    task_base: int
    procedure_ids: list[int]
    version_ids: list[int]
    applicants: int = field(init=False)

    def __post_init__(self):
        self.applicants = max(10, self.scale // 5)

    @property
    def bench_step(self) -> int:
        return max(2, self.scale // OWNED_BY_BENCH_APPLICANT)

    @property
    def first_instructor(self) -> int:  # user numbers: 1 bench applicant, 2 the writer
        return 3

    @property
    def first_applicant(self) -> int:
        return self.first_instructor + SERVICES * INSTRUCTORS_PER_SERVICE

    @property
    def users(self) -> int:
        return self.first_applicant + self.applicants - 1


def _values(rows) -> str:
    def literal(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    return ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)


def _helper_tables_sql() -> list[str]:
    tasks = [
        (stage, j, f"{FLOW}.{node}", kind, status, owned)
        for stage, nodes in TASKS.items()
        for j, (node, kind, status, owned) in enumerate(nodes)
    ]
    events = [
        (group, j, *event) for group, items in EVENTS.items() for j, event in enumerate(items)
    ]
    messages = [
        (group, j, *message) for group, items in MESSAGES.items() for j, message in enumerate(items)
    ]
    return [
        "DROP TABLE IF EXISTS bench_plan, bench_task_kind, bench_event_kind, bench_message_kind",
        "CREATE UNLOGGED TABLE bench_plan (i bigint PRIMARY KEY, case_id uuid, stage text, "
        "grp text, status text, t0 timestamptz, d interval, user_no int, owner_no int, "
        "procedure_no int, pair boolean)",
        "CREATE TABLE bench_task_kind (task_grp text, j int, flow_task text, type text, "
        "status text, owned boolean)",
        f"INSERT INTO bench_task_kind VALUES {_values(tasks)}",
        "CREATE TABLE bench_event_kind (grp text, j int, kind text, role text, status text, "
        "moment text, paired boolean)",
        f"INSERT INTO bench_event_kind VALUES {_values(events)}",
        "CREATE TABLE bench_message_kind (grp text, j int, role text, moment text, paired boolean)",
        f"INSERT INTO bench_message_kind VALUES {_values(messages)}",
    ]


def _array(values) -> str:
    return "ARRAY[" + ",".join(str(v) for v in values) + "]::bigint[]"


def _stage_sql(stages: list[str]) -> str:
    return "(ARRAY[" + ",".join(f"'{s}'" for s in stages) + "])"


def _plan_sql(layout: Layout, lo: int, hi: int) -> str:
    """One row per demande of the batch [lo, hi): everything the inserts derive from."""
    n = layout.scale
    recent_from = n - max(1, n // 10)
    procedures = len(layout.procedure_ids)
    stages = {s: group_of(s) for s in STAGE_STATUS}
    grp_case = " ".join(f"WHEN '{s}' THEN '{g}'" for s, g in stages.items())
    status_case = " ".join(f"WHEN '{s}' THEN '{st}'" for s, st in STAGE_STATUS.items())
    return f"""
        INSERT INTO bench_plan
        SELECT i, case_id, stage, CASE stage {grp_case} END, CASE stage {status_case} END,
               t0, LEAST(interval '10 days', (now() - t0) / 2), user_no, owner_no,
               procedure_no, pair
        FROM (
            SELECT i, md5('bench-case-' || i)::uuid AS case_id,
                   CASE WHEN i >= {recent_from}
                        THEN {_stage_sql(RECENT_STAGES)}[1 + h % {len(RECENT_STAGES)}]
                        ELSE {_stage_sql(OLD_STAGES)}[1 + h % {len(OLD_STAGES)}] END AS stage,
                   now() - make_interval(secs => ({n} - i) * (315360000.0 / {n}) + 7200)
                       AS t0,
                   CASE WHEN i >= {n - WRITER_CASES} THEN 2
                        WHEN i % {layout.bench_step} = 0 THEN 1
                        ELSE {layout.first_applicant} + i % {layout.applicants} END AS user_no,
                   {layout.first_instructor}
                       + (i % {procedures}) / {PROCEDURES_PER_SERVICE} * {INSTRUCTORS_PER_SERVICE}
                       + (h / 32) % {INSTRUCTORS_PER_SERVICE} AS owner_no,
                   i % {procedures} AS procedure_no,
                   (h / 512) % 2 = 0 AS pair
            FROM (SELECT i, hashint8(i) & 2147483647 AS h
                  FROM generate_series({lo}::bigint, {hi - 1}::bigint) AS i) AS g
        ) AS p
    """


def _email(number: str) -> str:
    return (
        f"CASE WHEN {number} BETWEEN 3 AND {3 + SERVICES * INSTRUCTORS_PER_SERVICE - 1} "
        f"THEN 'instructeur-' ELSE 'usager-' END || {number} || '@bench.example'"
    )


def _users_sql(layout: Layout) -> list[str]:
    last_names = "(ARRAY['Martin','Bernard','Thomas','Petit','Robert','Richard','Durand',"
    last_names += "'Dubois','Moreau','Laurent'])"
    first_names = "(ARRAY['Camille','Dominique','Claude','Alix','Sacha','Lou','Noa'])"
    return [
        f"""INSERT INTO identity_user (id, password, is_superuser, email, first_name, last_name,
               is_active, is_staff, date_joined, alerts_opt_in, newsletter_opt_in, no_mobile,
               phone)
            SELECT {layout.user_base} + k, '!bench', false, {_email("k")},
                   {first_names}[1 + k % 7], {last_names}[1 + k % 10], true, false,
                   now() - interval '10 years', false, false, false, ''
            FROM generate_series(1, {layout.users}) AS k""",
        f"""INSERT INTO identity_space (id, kind, name, created_at, organisation_kind, siret,
                                        rna, member_number)
            SELECT {layout.space_base} + k, 'personal', 'Espace personnel',
                   now() - interval '10 years', '', '', '', ''
            FROM generate_series(1, {layout.users}) AS k""",
        f"""INSERT INTO identity_membership (role, created_at, user_id, space_id)
            SELECT 'owner', now() - interval '10 years', {layout.user_base} + k,
                   {layout.space_base} + k
            FROM generate_series(1, {layout.users}) AS k""",
    ]


def _moment(alias: str) -> str:
    return f"""CASE {alias}.moment WHEN 'created' THEN p.t0 - interval '2 hours'
                    WHEN 't0' THEN p.t0 WHEN 'start' THEN p.t0 + interval '1 minute'
                    WHEN 'check' THEN p.t0 + p.d / 3 WHEN 'reply' THEN p.t0 + p.d / 2
                    ELSE p.t0 + p.d END"""


def _batch_sql(layout: Layout) -> list[tuple[str, str]]:
    """(table, statement) for one batch of bench_plan."""
    u, s = layout.user_base, layout.space_base
    versions = _array(layout.version_ids)
    procedures = _array(layout.procedure_ids)
    final = "p.status IN ('accepted', 'refused', 'closed')"
    reasons = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in REASONS.items())
    task_group = "CASE WHEN p.grp = 'decided' THEN 'decided' ELSE p.stage END"
    return [
        (
            "cases_case",
            f"""INSERT INTO cases_case (id, number, applicant_email, email_verified, status,
                   answers, discussion_open, decision_reason, created_at, updated_at,
                   submitted_at, decided_at, expires_at, extended, created_by_id, space_id,
                   procedure_id, version_id, service_id)
                SELECT p.case_id,
                       CASE WHEN p.stage = 'draft' THEN NULL ELSE bench_case_number(p.i) END,
                       {_email("p.user_no")}, true, p.status, '{ANSWERS}'::jsonb,
                       p.stage = 'awaiting' OR (p.pair AND p.grp = 'active'),
                       COALESCE(CASE p.status {reasons} END, ''),
                       p.t0 - interval '2 hours',
                       CASE WHEN {final} THEN p.t0 + p.d WHEN p.stage = 'draft'
                            THEN p.t0 - interval '2 hours' ELSE p.t0 + p.d / 3 END,
                       CASE WHEN p.stage <> 'draft' THEN p.t0 END,
                       CASE WHEN {final} THEN p.t0 + p.d END,
                       CASE WHEN {final} THEN p.t0 + p.d + interval '12 months' END, false,
                       {u} + p.user_no, {s} + p.user_no,
                       ({procedures})[1 + p.procedure_no], ({versions})[1 + p.procedure_no],
                       CASE WHEN p.stage <> 'draft' THEN (
                           SELECT pr.service_id FROM cases_procedure AS pr
                           WHERE pr.id = ({procedures})[1 + p.procedure_no]) END
                FROM bench_plan AS p""",
        ),
        (
            "viewflow_process",
            f"""INSERT INTO viewflow_process (id, flow_class, status, created, finished, data)
                SELECT {layout.process_base} + p.i, '{FLOW}',
                       CASE WHEN p.grp = 'decided' THEN 'DONE' ELSE 'NEW' END, p.t0,
                       CASE WHEN p.grp = 'decided' THEN p.t0 + p.d END, '{{}}'::jsonb
                FROM bench_plan AS p WHERE p.grp NOT IN ('draft', 'submitted')""",
        ),
        (
            "workflows_caseprocess",
            f"""INSERT INTO workflows_caseprocess (process_ptr_id, case_id)
                SELECT {layout.process_base} + p.i, p.case_id
                FROM bench_plan AS p WHERE p.grp NOT IN ('draft', 'submitted')""",
        ),
        (
            "viewflow_task",
            f"""INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created,
                   started, finished, token, owner_id, process_id, assigned, data, scheduled)
                SELECT {layout.task_base} + p.i * 10 + k.j, k.flow_task, k.type, k.status,
                       p.t0 + p.d * k.j / 10, p.t0 + p.d * k.j / 10,
                       CASE WHEN k.status = 'DONE' THEN p.t0 + p.d * k.j / 10 END, 'start',
                       CASE WHEN k.owned THEN {u} + p.owner_no END,
                       {layout.process_base} + p.i,
                       CASE WHEN k.owned THEN p.t0 + p.d * k.j / 10 END, '{{}}'::jsonb,
                       CASE WHEN k.type = 'TIMER' THEN now() + interval '15 days' END
                FROM bench_plan AS p JOIN bench_task_kind AS k ON k.task_grp = {task_group}""",
        ),
        (
            "cases_caseevent",
            f"""INSERT INTO cases_caseevent (kind, actor_role, status, summary, created_at,
                   actor_id, case_id, notified_at)
                SELECT e.kind, e.role, CASE WHEN e.status = 'FINAL' THEN p.status
                                            ELSE e.status END, '',
                       {_moment("e")},
                       CASE e.role WHEN 'applicant' THEN {u} + p.user_no
                                   WHEN 'instructor' THEN {u} + p.owner_no END,
                       p.case_id, CASE WHEN e.role <> 'applicant' THEN {_moment("e")} END
                FROM bench_plan AS p JOIN bench_event_kind AS e
                     ON e.grp = p.grp AND (p.pair OR NOT e.paired)""",
        ),
        (
            "cases_casemessage",
            f"""INSERT INTO cases_casemessage (author_role, body, created_at, author_id, case_id)
                SELECT m.role, CASE m.role WHEN 'instructor' THEN '{QUESTION}'
                                           ELSE '{REPLY}' END,
                       {_moment("m")},
                       CASE m.role WHEN 'applicant' THEN {u} + p.user_no
                                   ELSE {u} + p.owner_no END,
                       p.case_id
                FROM bench_plan AS p JOIN bench_message_kind AS m
                     ON m.grp = p.grp AND (p.pair OR NOT m.paired)""",
        ),
    ]


# --- Running it -----------------------------------------------------------------------------
def _services_and_procedures(template_slug: str):
    """20 services of 2 démarches each, the template's form, a version published each."""
    from cases.models import Procedure, Service
    from cases.services.filing import procedure_publish_version

    template = Procedure.objects.get(slug=template_slug)
    procedure_ids, version_ids = [], []
    for s in range(SERVICES):
        service, _ = Service.objects.get_or_create(
            slug=f"bench-{s:02d}", defaults={"name": f"Service instructeur {s + 1}"}
        )
        for p in range(PROCEDURES_PER_SERVICE):
            procedure, _ = Procedure.objects.get_or_create(
                slug=f"bench-{s:02d}-{p}",
                defaults={
                    "title": f"{template.title} ({s + 1}.{p + 1})",
                    "service": service,
                    "description": template.description,
                    "definition": template.definition,
                    "account_required": True,
                },
            )
            version = procedure_publish_version(procedure=procedure)
            procedure_ids.append(procedure.pk)
            version_ids.append(version.pk)
    return procedure_ids, version_ids


def _max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return cursor.fetchone()[0]


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of every index of the bulk tables that backs no constraint."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes AS i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)""",
        [list(BULK_TABLES)],
    )
    return cursor.fetchall()


@dataclass
class SeedReport:
    scale: int
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


def seed_bulk(scale: int, *, template_slug: str = TEMPLATE_PROCEDURE, log=print) -> SeedReport:
    """Write ``scale`` demandes and what goes with them into the current database.

    Needs the démarche ``template_slug`` (from the demo). FK triggers are off for the
    session while it writes (``session_replication_role``): the rows are consistent by
    construction, and the constraints stay declared.
    """
    from django.db import connection, transaction

    started = time.monotonic()
    report = SeedReport(scale=scale)
    with transaction.atomic():
        procedure_ids, version_ids = _services_and_procedures(template_slug)
    with connection.cursor() as cursor:
        layout = Layout(
            scale=scale,
            user_base=_max_id(cursor, "identity_user"),
            space_base=_max_id(cursor, "identity_space"),
            process_base=_max_id(cursor, "viewflow_process") + 1,
            task_base=_max_id(cursor, "viewflow_task") + 10,
            procedure_ids=procedure_ids,
            version_ids=version_ids,
        )
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")  # index rebuilds sort in memory
        cursor.execute("SET session_replication_role = replica")
        for statement in [number_function_sql(), *_helper_tables_sql()]:
            cursor.execute(statement)
        with transaction.atomic():
            for statement, table in zip(
                _users_sql(layout),
                ("identity_user", "identity_space", "identity_membership"),
                strict=True,
            ):
                cursor.execute(statement)
                report.rows[table] = cursor.rowcount
            cursor.execute(
                f"""INSERT INTO cases_service_instructors (service_id, user_id)
                    SELECT sv.id, {layout.user_base} + {layout.first_instructor}
                           + (substr(sv.slug, 7)::int) * {INSTRUCTORS_PER_SERVICE} + j
                    FROM cases_service AS sv, generate_series(0, {INSTRUCTORS_PER_SERVICE - 1}) j
                    WHERE sv.slug LIKE 'bench-%'"""
            )
        dropped = _secondary_indexes(cursor) if scale >= DROP_INDEXES_FROM else []
        for name, _definition in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
        statements = _batch_sql(layout)
        for lo in range(0, scale, BATCH):
            hi = min(scale, lo + BATCH)
            with transaction.atomic():
                cursor.execute("TRUNCATE bench_plan")
                cursor.execute(_plan_sql(layout, lo, hi))
                for table, statement in statements:
                    cursor.execute(statement)
                    report.rows[table] = report.rows.get(table, 0) + cursor.rowcount
            elapsed = time.monotonic() - started
            log(f"  {hi:>10,} demandes  {elapsed:7.1f}s  {report.total_rows / elapsed:,.0f} rows/s")
        if dropped:
            log(f"  rebuilding {len(dropped)} indexes")
        for _name, definition in dropped:
            cursor.execute(definition)
        for table in ("identity_user", "identity_space", "viewflow_process", "viewflow_task"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
        cursor.execute(
            "DROP TABLE bench_plan, bench_task_kind, bench_event_kind, bench_message_kind"
        )
        cursor.execute("DROP FUNCTION bench_case_number(bigint)")
        for setting in ("session_replication_role", "synchronous_commit", "maintenance_work_mem"):
            cursor.execute(f"RESET {setting}")
    report.seconds = time.monotonic() - started
    return report


def rebuild_derived() -> None:
    """A bulk load bypasses the signals that keep the queues' copies (the open task on each
    demande, the counts per status): recompute them set-wise (ADR 0404)."""
    from cases import counts
    from workflows import queue

    queue.rebuild()
    counts.rebuild()


def check_sample(size: int = 300) -> list:
    """``workflows.consistency`` on a random sample of seeded demandes: the disagreements."""
    from cases.models import Case
    from workflows.consistency import disagreement

    ids = list(Case.objects.filter(procedure__slug__startswith="bench-").values_list("pk"))
    found = []
    for (pk,) in random.sample(ids, min(size, len(ids))):
        result = disagreement(Case.objects.get(pk=pk))
        if result is not None:
            found.append(result)
    return found


# --- The bench database -----------------------------------------------------------------------
MARKER = "bench_seed"


def _admin_connection(url: str, dbname: str = "postgres"):
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    info = conninfo_to_dict(url)
    info["dbname"] = dbname
    return psycopg.connect(make_conninfo(**info), autocommit=True)


def read_marker(url: str) -> dict:
    """What the database says it was seeded with, or {} (no database, no marker)."""
    import psycopg

    try:
        with _admin_connection(url, env.database_name(url)) as conn:
            rows = conn.execute(f"SELECT key, value FROM {MARKER}").fetchall()
    except psycopg.Error:
        return {}
    return dict(rows)


def _write_marker(values: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (key text PRIMARY KEY, value text)")
        for key, value in values.items():
            cursor.execute(
                f"INSERT INTO {MARKER} VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, str(value)],
            )


def _manage(url: str, *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=env.ROOT,
        env={**env.portal_env(url), "DJANGO_LOG_LEVEL": "WARNING"},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _migrations(url: str) -> int:
    with _admin_connection(url, env.database_name(url)) as conn:
        return conn.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]


def _vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def prepare(url: str, scale: int, *, reseed: bool = False) -> dict:
    """A database seeded at ``scale``: kept when its marker says so, else made anew."""
    name = env.database_name(url)
    marker = read_marker(url)
    if not reseed and marker.get("scale") == str(scale) and marker.get("format") == SEED_FORMAT:
        before = _migrations(url)
        _manage(url, "migrate", "--noinput")
        if _migrations(url) != before:  # new columns: recompute what derives from them
            env.setup_django(url)
            rebuild_derived()
            _vacuum_analyze()
        print(f"{name}: already seeded with {scale:,} demandes (BENCH_RESEED=1 to start over)")
        return marker
    if not name.startswith(env.DATABASE_PREFIX):
        sys.exit(f"Refusing to drop and seed {name!r}: its name must start with guichet_bench.")
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    print(f"{name}: migrate and seed_demo")
    _manage(url, "migrate", "--noinput")
    _manage(url, "seed_demo")
    demo_seconds = time.monotonic() - started
    env.setup_django(url)
    print(f"{name}: {scale:,} demandes")
    report = seed_bulk(scale)
    rebuild_derived()
    analyse_started = time.monotonic()
    _vacuum_analyze()
    analyse_seconds = time.monotonic() - analyse_started
    disagreements = check_sample()
    if disagreements:
        sys.exit("Seeded demandes disagree with their flow: " + "; ".join(map(str, disagreements)))
    marker = {
        "scale": scale,
        "format": SEED_FORMAT,
        "demo_seconds": round(demo_seconds, 1),
        "bulk_seconds": round(report.seconds, 1),
        "vacuum_analyze_seconds": round(analyse_seconds, 1),
        "rows": report.total_rows,
        "rows_per_second": round(report.rows_per_second),
        "seeded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _write_marker(marker)
    print(
        f"{name}: {report.total_rows:,} rows in {report.seconds:.1f}s "
        f"({report.rows_per_second:,.0f} rows/s), VACUUM ANALYZE {analyse_seconds:.1f}s, "
        f"demo {demo_seconds:.1f}s"
    )
    return {k: str(v) for k, v in marker.items()}


def main() -> None:
    url = env.database_url()
    scale = int(os.environ.get("BENCH_SCALE", "100000"))
    prepare(url, scale, reseed=os.environ.get("BENCH_RESEED") == "1")


if __name__ == "__main__":
    main()
