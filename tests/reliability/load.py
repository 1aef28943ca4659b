"""The people of the load test (tests/reliability/test_load.py) and its figures.

Applicants sign in with the code they receive by email, file the professional declaration
with its Kbis, follow their demandes and answer the questions the service emails them.
Instructors (sessions as after an authenticator-app login) go through the queue, take a
demande, ask a question, check it once answered and decide. Everyone goes through gunicorn
like a browser: each page is loaded before its form is sent, and each redirect is followed
to read the message the person would read.

Every request is timed by kind. Every email the scenario must cause is counted as
(recipient, event, demande number) when the action that causes it has visibly succeeded.
"""

import html
import json
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import translation

from cases import numbers
from cases.models import Case, CaseEvent, CaseMessage
from cases.notifications import DECISION_SUBJECTS, SUBJECTS
from tests.support.files import pdf_bytes
from tests.support.filing import ACTIVITY_ANSWERS
from tests.support.http import Visitor
from workflows.notifications import REPLY_SUBJECT

REPORT_DIR = Path(settings.VAR_DIR) / "reliability"
PROCEDURE = "declaration-activite"
LOGIN_CODE = "Votre code de connexion"
KINDS = ("sign-in", "file", "track", "reply", "instruct")
WRITTEN: list[Path] = []  # reports written in this run, printed in the terminal summary


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered) + 0.5) - 1)] if ordered else 0.0


@dataclass
class Figures:
    """What happened, from every thread: requests, failed steps, emails owed."""

    samples: dict[str, list[tuple[int | None, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    failures: list[str] = field(default_factory=list)
    owed: Counter = field(default_factory=Counter)  # (recipient, event, number) -> emails
    numbers: list[str] = field(default_factory=list)
    actions: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int | None, seconds: float) -> None:
        with self.lock:
            self.samples[kind].append((status, seconds))

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)

    def done(self, action: str, *emails: tuple[str, str, str]) -> None:
        with self.lock:
            self.actions[action] += 1
            self.owed.update(emails)

    def server_errors(self) -> int:
        return sum(1 for rows in self.samples.values() for s, _ in rows if s and s >= 500)

    def no_answer(self) -> int:
        return sum(1 for rows in self.samples.values() for s, _ in rows if s is None)

    def report(self, *, users: int, seconds: float, emails: dict) -> dict:
        kinds = {}
        for kind in KINDS:
            rows = self.samples.get(kind, [])
            latencies = [t * 1000 for _, t in rows]
            kinds[kind] = {
                "requests": len(rows),
                "p50_ms": round(percentile(latencies, 0.50)),
                "p95_ms": round(percentile(latencies, 0.95)),
                "p99_ms": round(percentile(latencies, 0.99)),
                "5xx": sum(1 for s, _ in rows if s and s >= 500),
            }
        every = [t * 1000 for rows in self.samples.values() for _, t in rows]
        return {
            "users": users,
            "seconds": seconds,
            "requests": len(every),
            "requests_per_second": round(len(every) / seconds, 1),
            "p50_ms": round(percentile(every, 0.50)),
            "p95_ms": round(percentile(every, 0.95)),
            "p99_ms": round(percentile(every, 0.99)),
            "5xx": self.server_errors(),
            "no_answer": self.no_answer(),
            "failed_steps": len(self.failures),
            "by_kind": kinds,
            "actions": dict(self.actions),
            "demandes_filed": len(self.numbers),
            "case_numbers_unique": len(set(self.numbers)) == len(self.numbers),
            "notifications": emails,
        }


def write_report(report: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "load.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    lines = [
        f"# Load: {report['users']} users for {report['seconds']:.0f} s against gunicorn",
        "",
        f"{report['requests']} requests ({report['requests_per_second']}/s), "
        f"p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms, "
        f"5xx: {report['5xx']}, no answer: {report['no_answer']}, "
        f"failed steps: {report['failed_steps']}.",
        "",
        "| kind | requests | p50 ms | p95 ms | p99 ms | 5xx |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} "
            f"| {row['p99_ms']} | {row['5xx']} |"
            for kind, row in report["by_kind"].items()
        ),
        "",
        "Actions: " + ", ".join(f"{k} {v}" for k, v in sorted(report["actions"].items())),
        f"Demandes filed: {report['demandes_filed']}, "
        f"case numbers unique: {report['case_numbers_unique']}.",
        "Notifications: " + ", ".join(f"{k} {v}" for k, v in report["notifications"].items()) + ".",
    ]
    path = directory / "load.md"
    path.write_text("\n".join(lines) + "\n")
    WRITTEN.append(path)
    return path


def subject_of(event: str, number: str) -> str:
    """The subject the portal gives the email of ``event`` (French, as sent)."""
    if event == LOGIN_CODE:
        return LOGIN_CODE
    shown = {"number": numbers.display(number)}
    with translation.override("fr"):
        if event == "decision":
            return str(DECISION_SUBJECTS[Case.Status.ACCEPTED] % shown)
        if event == "reply":  # to the instructor who holds the demande
            return str(REPLY_SUBJECT) % shown
        return str(SUBJECTS[event] % shown)


def _readable(response) -> str:
    return html.unescape(response.text)


class Person:
    """One simulated person: a browser, a clock, and what they have seen."""

    def __init__(self, scenario, email: str, visitor: Visitor):
        self.scenario = scenario
        self.email = email
        self.visitor = visitor
        self.figures = scenario.figures

    def running(self) -> bool:
        return time.monotonic() < self.scenario.deadline

    def pause(self) -> None:
        time.sleep(random.uniform(0.3, 1.0))

    def expect(self, response, status: int, what: str) -> bool:
        if response.status_code != status:
            self.figures.fail(f"{self.email}: {what} answered {response.status_code}")
            return False
        return True

    def follow(self, response, kind: str, message: str, what: str) -> bool:
        """Load the page a redirect leads to; it must show ``message``."""
        if not self.expect(response, 302, what):
            return False
        page = self.visitor.get(response.headers["Location"], kind=kind)
        if message not in _readable(page):
            self.figures.fail(f"{self.email}: {what} did not say « {message} »")
            return False
        return True


class Applicant(Person):
    def __init__(self, scenario, email: str, visitor: Visitor, instructor_email: str):
        super().__init__(scenario, email, visitor)
        self.instructor_email = instructor_email  # who instructs its demandes
        self.cases: list[str] = []  # numbers
        self.filed = 0
        self.seen: set[str] = set()  # Message-IDs of the emails read
        self.questions: list[str] = []  # demandes the service asked about, to answer
        self.asked: set[str] = set()  # every demande the service asked about

    def run(self) -> None:
        self.sign_in()
        while self.running():
            self.read_questions()
            if self.questions:
                self.reply(self.questions.pop(0))
            elif not self.filed or (self.filed < 2 and random.random() < 0.1):
                self.file()
            elif random.random() < 0.1:
                response = self.visitor.post("/compte/logout/", kind="sign-in")
                self.expect(response, 302, "signing out")
                self.sign_in()
            else:
                self.track()
            self.pause()

    def new_emails(self, predicate) -> list:
        found = self.scenario.sink.received(
            lambda m: m["To"] == self.email and m["Message-ID"] not in self.seen and predicate(m)
        )
        self.seen.update(m["Message-ID"] for m in found)
        return found

    def sign_in(self) -> None:
        self.visitor.get("/compte/login/", kind="sign-in")
        response = self.visitor.post(
            "/compte/login/",
            {"login": self.email, "password": self.scenario.password},
            kind="sign-in",
        )
        if response.headers.get("Location") != "/compte/connexion/code/":
            self.expect(response, 302, "the password")
            return
        self.figures.done("sign-in", (self.email, LOGIN_CODE, ""))
        deadline = time.monotonic() + 60
        codes = []
        while not codes and time.monotonic() < deadline:
            codes = self.new_emails(lambda m: m["Subject"] == LOGIN_CODE)
            time.sleep(0.2)
        if not codes:
            self.figures.fail(f"{self.email}: no login code within 60 s")
            return
        text = codes[-1].get_body(preferencelist=("plain",)).get_content()
        code = re.search(r"\b(\d{6})\b", text).group(1)
        self.visitor.get("/compte/connexion/code/", kind="sign-in")
        response = self.visitor.post("/compte/connexion/code/", {"code": code}, kind="sign-in")
        self.expect(response, 302, "the login code")

    def file(self) -> None:
        start = f"/demarches/{PROCEDURE}/commencer/"
        self.visitor.get(start, kind="file")
        response = self.visitor.post(start, kind="file")
        if not self.expect(response, 302, "starting a demande"):
            return
        draft = response.headers["Location"]
        self.visitor.get(draft, kind="file")
        kbis = {"file__kbis": ("kbis.pdf", pdf_bytes(), "application/pdf")}
        data = {**ACTIVITY_ANSWERS, "review": "1"}
        response = self.visitor.post(draft, data, files=kbis, kind="file")
        if not self.expect(response, 302, "the draft with its file"):
            return
        review = response.headers["Location"]
        self.visitor.get(review, kind="file")
        response = self.visitor.post(review, {"deposer": "1"}, kind="file")
        if not self.expect(response, 302, "the submission"):
            return
        number = response.headers["Location"].split("/")[2]
        self.visitor.get(response.headers["Location"], kind="file")
        with self.figures.lock:
            self.figures.numbers.append(number)
        self.cases.append(number)
        self.filed += 1
        self.figures.done(
            "file",
            (self.email, "submitted", number),
            (self.email, "instruction_started", number),
        )

    def track(self) -> None:
        self.visitor.get("/mes-demarches/", kind="track")
        number = random.choice(self.cases)
        self.visitor.get(f"/demandes/{number}/", kind="track")
        self.figures.done("track")

    def question_about(self, number: str) -> None:
        if number not in self.asked:
            self.asked.add(number)
            self.questions.append(number)

    def read_questions(self) -> None:
        for message in self.new_emails(lambda m: "pose une question" in m["Subject"]):
            for number in self.cases:
                if numbers.display(number) in message["Subject"]:
                    self.question_about(number)

    def reply(self, number: str) -> None:
        self.visitor.get(f"/demandes/{number}/?onglet=messagerie", kind="reply")
        response = self.visitor.post(
            f"/demandes/{number}/repondre/",
            {"body": "Bonjour, voici la précision demandée : l'activité commence en septembre."},
            kind="reply",
        )
        if self.follow(response, "reply", "Votre message est envoyé au service.", "the reply"):
            # The instructor who asked holds the demande and, by default, hears of the reply
            # at once (ADR 0407).
            self.figures.done("reply", (self.instructor_email, "reply", number))


class Instructor(Person):
    """Works on the demandes of its own applicants, so that two instructors never reach for
    the same task; finishes what it holds (a decision first) and the demandes already
    answered before it takes a new one, and looks at the queue when it has nothing."""

    def __init__(self, scenario, user, visitor: Visitor):
        super().__init__(scenario, user.email, visitor)
        self.user_id = user.pk
        self.applicants: set[str] = set()

    def run(self) -> None:
        try:
            while self.running():
                task = self.next_task()
                if task is None:
                    self.visitor.get("/instruction/", kind="instruct")
                else:
                    self.work_on(*task)
                self.pause()
        finally:
            connection.close()  # this thread's database connection

    def next_task(self):
        """(task, case): the next open task of its applicants' demandes, or None."""
        from django.db.models import Exists, OuterRef
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        questions = CaseMessage.objects.filter(
            case=OuterRef("process__caseprocess__case"), author_role=CaseEvent.Role.INSTRUCTOR
        )
        tasks = (
            Task.objects.filter(
                process__caseprocess__case__applicant_email__in=self.applicants,
                status__in=[STATUS.NEW, STATUS.ASSIGNED],
            )
            .annotate(questioned=Exists(questions))
            .order_by("created", "pk")
        )
        ready = [t for t in tasks if t.flow_task.name in ("check", "decide")]
        if not ready:
            return None
        task = min(ready, key=self.priority)
        return task, Case.objects.get(instruction_processes__pk=task.process_id)

    def priority(self, task) -> tuple[bool, bool, bool]:
        """Its own tasks before new ones, a decision first, then a demande already
        answered (its check ends the instruction) before a new demande."""
        return (task.owner_id != self.user_id, task.flow_task.name != "decide", not task.questioned)

    def work_on(self, task, case: Case) -> None:
        """Open the demande and carry its task as far as it goes now: take it, then ask a
        question, or check it and decide."""
        self.visitor.get(f"/instruction/demandes/{case.number}/", kind="instruct")
        if task.owner_id is None and not self.act(task, "take"):
            return
        if task.flow_task.name == "decide":
            self.decide(task, case)
        elif not task.questioned:
            body = "Bonjour, à quelle date exactement commencez-vous l'activité ?"
            if self.act(task, "question", {"action": "request", "body": body}):
                self.figures.done(
                    "question", (case.applicant_email, "discussion_opened", case.number)
                )
        elif self.act(task, "check", {"action": "complete"}):
            self.decide(self.decision_task(case), case)

    SAID = {
        "take": "Vous avez pris ce dossier.",
        "question": "Votre demande d'information est envoyée à l'usager.",
        "check": "Demande complète : vous pouvez maintenant décider.",
        "decide": "La décision est enregistrée et envoyée à l'usager.",
    }

    def act(self, task, action: str, data=None) -> bool:
        """One button on the demande's page; the page it leads to must say it worked."""
        verb = "prendre" if action == "take" else "agir"
        path = f"/instruction/taches/{task.pk}/{verb}/"
        response = self.visitor.post(path, data, kind="instruct")
        if not self.follow(response, "instruct", self.SAID[action], action):
            return False
        if action in ("take", "check"):
            self.figures.done(action)
        return True

    def decide(self, task, case: Case) -> None:
        if self.act(task, "decide", {"action": "decide", "decision": "accepted"}):
            self.figures.done("decide", (case.applicant_email, "decision", case.number))

    def decision_task(self, case: Case):
        """The "decide" task the check opened, given to whoever checked."""
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        open_tasks = Task.objects.filter(
            process__caseprocess__case=case, status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
        (task,) = [t for t in open_tasks if t.flow_task.name == "decide"]
        return task


@dataclass
class Scenario:
    base_url: str
    sink: object
    password: str
    instructors: int
    deadline: float
    figures: Figures = field(default_factory=Figures)

    def visitor(self, index: int) -> Visitor:
        """A browser from a loopback address of its own (127.0.1.x, 127.0.2.x, …)."""
        address = f"127.0.{1 + index // 250}.{1 + index % 250}"
        return Visitor(self.base_url, address=address, record=self.figures.record)
