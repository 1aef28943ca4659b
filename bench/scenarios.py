"""What the HTTP benchmark requests: the scenarios of issue 18 and what they need.

Runs in the harness process, with Django set up on the bench database (bench/env.py):
sessions are made server-side (``SessionStore``, as ``force_login`` does; staff sessions
also carry the authenticator-app second factor), CSRF tokens with ``get_token``, request
bodies written to files that wrk sends as they are.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench import files

APPLICANT = "usager-1@bench.example"  # owns 500 demandes (bench/seed.py)
WRITER = "usager-2@bench.example"  # the newest demandes: posts, replies, uploads
INSTRUCTOR = "instructeur-3@bench.example"  # first instructor of service bench-00
MOVE_ANSWERS = {
    "ancienne_adresse__street": "1 rue Haute",
    "ancienne_adresse__postcode": "33000",
    "ancienne_adresse__city": "Bordeaux",
    "nouvelle_adresse__street": "2 rue Basse",
    "nouvelle_adresse__postcode": "33100",
    "nouvelle_adresse__city": "Bordeaux",
    "date_demenagement": "2026-10-01",
    "justificatif_domicile__later": "on",
}
PORTFOLIO_DOCUMENTS = 8


@dataclass
class Scenario:
    name: str
    path: str
    method: str = "GET"
    expect: tuple[int, ...] = (200,)
    who: str = ""  # "", "applicant", "writer" or "instructor": whose session it sends
    body: Path | None = None
    content_type: str = ""
    server: str = "portal"  # or "baseline"
    # Ratios to these baseline scenarios (bare lookup always; bare hello for CMS pages).
    yardsticks: tuple[str, ...] = ("lookup",)


@dataclass
class Plan:
    """The scenarios, and the cookies and CSRF token their requests carry."""

    scenarios: list[Scenario]
    sessions: dict[str, str]  # who -> session key
    csrf_cookie: str
    facts: dict = field(default_factory=dict)
    memory_body: Path | None = None  # the 5 MiB reply
    warm_body: Path | None = None  # a small reply, to warm the upload path first
    memory_path: str = ""

    def headers(self, scenario: Scenario, port: int) -> dict[str, str]:
        """The request headers of a scenario, as wrk and the checks send them."""
        from django.conf import settings

        if scenario.server == "baseline":
            return {}
        headers = {"X-Forwarded-Proto": "https"}
        cookies = []
        if scenario.who:
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={self.sessions[scenario.who]}")
        if scenario.method == "POST":
            cookies.append(f"{settings.CSRF_COOKIE_NAME}={self.csrf_cookie}")
            origin = f"https://127.0.0.1:{port}"
            headers |= {
                "Origin": origin,
                "Referer": origin + scenario.path,
                "Content-Type": scenario.content_type,
            }
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        return headers


def _session_for(user, *, staff: bool = False) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from identity.selectors import SECOND_FACTOR_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if staff:
        session[SECOND_FACTOR_SESSION_KEY] = "totp"
    session.create()
    return session.session_key


def _csrf() -> tuple[str, str]:
    """(cookie secret, masked form token) as the CSRF middleware hands them out."""
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    request = HttpRequest()
    token = get_token(request)
    return request.META["CSRF_COOKIE"], token


def _write(directory: Path, name: str, body: bytes) -> Path:
    path = directory / name
    path.write_bytes(body)
    return path


def _multipart(fields: dict, uploads: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    data = dict(fields)
    for name, (file_name, content) in uploads.items():
        data[name] = SimpleUploadedFile(file_name, content)
    return encode_multipart(BOUNDARY, data), MULTIPART_CONTENT


def _ensure_portfolio(applicant) -> None:
    """A porte-documents of a few documents, uploaded through the locker's service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from identity.selectors import space_personal_for
    from locker.models import Document
    from locker.services import documents_upload

    space = space_personal_for(user=applicant)
    missing = PORTFOLIO_DOCUMENTS - Document.objects.filter(space=space).count()
    if missing > 0:
        uploads = [
            SimpleUploadedFile(f"justificatif-{n}.jpg", files.jpeg_of_size(60_000))
            for n in range(missing)
        ]
        documents_upload(space=space, files=uploads, kind=Document.Kind.ADDRESS, expires_on=None)


def _writer_draft(writer):
    from cases import services as case_services
    from cases.models import Case, Procedure
    from identity.selectors import space_personal_for

    draft = Case.objects.filter(created_by=writer, status=Case.Status.DRAFT).first()
    if draft is None:
        draft = case_services.case_start(
            procedure=Procedure.objects.get(slug="bench-00-0"),
            user=writer,
            space=space_personal_for(user=writer),
        )
    return draft


def _deep_cursor(instructor) -> tuple[str, int]:
    """A cursor in the middle of the instructor's "Tous" list, and its page number."""
    from workflows import selectors

    queryset = selectors.cases_for_instructor(instructor).order_by("-submitted_at", "-id")
    middle = queryset.count() // 2
    case = queryset[middle]
    return selectors.make_cursor(case), middle // selectors.PAGE_SIZE + 2


def build(directory: Path) -> Plan:
    """Find the seeded people and demandes, make sessions and bodies, list the scenarios."""
    from cases.models import Case
    from identity.models import User

    directory.mkdir(parents=True, exist_ok=True)
    applicant = User.objects.get(email=APPLICANT)
    writer = User.objects.get(email=WRITER)
    instructor = User.objects.get(email=INSTRUCTOR)
    owned = Case.objects.filter(created_by=applicant).exclude(number=None)
    demande = (
        owned.filter(status=Case.Status.AWAITING_APPLICANT).order_by("-submitted_at").first()
        or owned.order_by("-submitted_at").first()
    )
    replied = (
        Case.objects.filter(created_by=writer, discussion_open=True)
        .exclude(status__in=[*Case.FINISHED, Case.Status.DRAFT, Case.Status.SUBMITTED])
        .order_by("-submitted_at")
        .first()
    )
    if replied is None:
        raise SystemExit("The seed gave the writer no demande with an open discussion.")
    draft = _writer_draft(writer)
    _ensure_portfolio(applicant)
    cursor, deep_page = _deep_cursor(instructor)
    cookie, token = _csrf()

    tracking = urlencode(
        {"csrfmiddlewaretoken": token, "email": applicant.email, "number": demande.number}
    ).encode()
    submission = urlencode({"csrfmiddlewaretoken": token, **MOVE_ANSWERS}).encode()
    reply, multipart = _multipart(
        {"csrfmiddlewaretoken": token, "body": "Voici le justificatif demandé."},
        {"files": ("justificatif.pdf", files.pdf_of_size(1 << 20))},
    )
    upload, _ = _multipart(
        {"csrfmiddlewaretoken": token, "kind": "identity", "title": "Photo"},
        {"files": ("photo.jpg", files.jpeg_of_size(3 << 20))},
    )
    big_reply, _ = _multipart(
        {"csrfmiddlewaretoken": token, "body": "Le document complet."},
        {"files": ("dossier.pdf", files.pdf_of_size(5 << 20))},
    )
    small_reply, _ = _multipart(
        {"csrfmiddlewaretoken": token, "body": "Un petit document."},
        {"files": ("petit.pdf", files.pdf_of_size(20_000))},
    )
    form = "application/x-www-form-urlencoded"
    reply_path = f"/demandes/{replied.number}/repondre/"
    scenarios = [
        Scenario("bare hello", "/hello", server="baseline", yardsticks=()),
        Scenario("bare lookup", f"/lookup/{demande.number}", server="baseline", yardsticks=()),
        Scenario("home page (Wagtail)", "/", yardsticks=("lookup", "hello")),
        Scenario("guide page", "/guides/deposer-une-demande/", yardsticks=("lookup", "hello")),
        Scenario("search", "/recherche/?q=demande"),
        Scenario("tracking form (GET)", "/suivre/"),
        Scenario(
            "tracking lookup (POST)",
            "/suivre/",
            method="POST",
            expect=(302,),
            body=_write(directory, "tracking.txt", tracking),
            content_type=form,
        ),
        Scenario("demande page (owner)", f"/demandes/{demande.number}/", who="applicant"),
        Scenario("Mes démarches (500)", "/mes-demarches/", who="applicant"),
        Scenario("activity feed", "/activite/", who="applicant"),
        Scenario("porte-documents", "/porte-documents/", who="applicant"),
        Scenario("queue page 1 (Tous)", "/instruction/?onglet=tous", who="instructor"),
        Scenario(
            "queue deep page (Tous)",
            f"/instruction/?onglet=tous&apres={cursor}&page={deep_page}",
            who="instructor",
        ),
        Scenario(
            "submission (form POST)",
            f"/demandes/brouillon/{draft.pk}/",
            method="POST",
            expect=(302,),
            who="writer",
            body=_write(directory, "submission.txt", submission),
            content_type=form,
        ),
        Scenario(
            "reply + 1 MiB PDF",
            reply_path,
            method="POST",
            expect=(302,),
            who="writer",
            body=_write(directory, "reply.bin", reply),
            content_type=multipart,
        ),
        Scenario(
            "locker upload 3 MiB JPEG",
            "/porte-documents/ajouter/",
            method="POST",
            expect=(302,),
            who="writer",
            body=_write(directory, "upload.bin", upload),
            content_type=multipart,
        ),
    ]
    return Plan(
        scenarios=scenarios,
        sessions={
            "applicant": _session_for(applicant),
            "writer": _session_for(writer),
            "instructor": _session_for(instructor, staff=True),
        },
        csrf_cookie=cookie,
        facts={
            "demande": demande.number,
            "demande_status": demande.status,
            "queue_cases": Case.objects.filter(service__slug="bench-00")
            .exclude(status=Case.Status.DRAFT)
            .count(),
            "deep_page": deep_page,
        },
        memory_body=_write(directory, "reply-5mib.bin", big_reply),
        warm_body=_write(directory, "reply-small.bin", small_reply),
        memory_path=reply_path,
    )


def clean_up_writes() -> None:
    """Give back what the posting scenarios stored: the writer's uploaded documents and the
    files of its replies (rows and bytes), so that runs do not fill the disk."""
    from django.core.files.storage import storages

    from cases.models import CaseFile
    from locker.models import Document
    from locker.services import document_delete

    for document in Document.objects.filter(space__memberships__user__email=WRITER):
        document_delete(document=document)
    private = storages["private"]
    for case_file in CaseFile.objects.filter(case__created_by__email=WRITER):
        private.delete(case_file.storage_key)
        case_file.delete()
