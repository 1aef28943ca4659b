"""Following a demande: my demandes, the demande page (timeline, files, discussion),
tracking without an account, the activity feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import archive, formdef, numbers, receipt, selectors, services, tracking
from cases.forms import ReplyForm, TrackingForm
from cases.models import CaseEvent
from cases.services import retention
from identity import ratelimit
from identity.selectors import current_space, memberships_for, space_activate
from locker import vault
from locker.inspection import download_response
from locker.intake import inspect_files, upload_intake


def _case(request, number):
    space = current_space(request) if request.user.is_authenticated else None
    return selectors.case_for_applicant(space=space, session=request.session, number=number)


def case_submitted(request, number):
    return render(request, "cases/case_submitted.html", {"case": _case(request, number)})


TABS = ("resume", "historique", "messagerie")


def _tab(request) -> str:
    """The demande page's tab named by ``?onglet=`` (the tabs are links: no JavaScript needed)."""
    tab = request.GET.get("onglet", "")
    return tab if tab in TABS else TABS[0]


def _page(request, case, *, reply_form=None, refusals=(), status=200):
    specs = formdef.shown(case.version.fields, case.answers)
    context = {
        "case": case,
        "answers": [(s, formdef.display_value(s, case.answers)) for s in specs if not s.is_file],
        "reply_form": reply_form or ReplyForm(),
        "refusals": refusals,
        "tab": "messagerie" if refusals or reply_form else _tab(request),
        # The picker is part of the reply form, shown only while the discussion is open.
        "locker_documents": selectors.locker_documents_for(case=case)
        if request.user.is_authenticated and case.discussion_open
        else [],
        "missing_documents": services.missing_documents(case) if case.discussion_open else [],
        "show_instructor_names": settings.GUICHET_SHOW_INSTRUCTOR_NAMES,
        # Retention (ADR 0406): the end date, and the one extension during the notice.
        "deleted_after": case.expires_at if case.is_finished else None,
        "can_extend": retention.in_notice_period(case),
    }
    context.update(selectors.case_page_data(case=case))  # files, events, thread
    return render(request, "cases/case_detail.html", context, status=status)


def case_detail(request, number):
    return _page(request, _case(request, number))


@upload_intake("demande")
@require_POST
def case_reply(request, number):
    """Reply in the discussion. A refused file refuses the whole message, but the text typed
    and the reasons are shown back so nothing is lost."""
    case = _case(request, number)
    form = ReplyForm(request.POST)
    results, refusals = inspect_files(request, "files", context="demande")
    results += services.locker_files(space=case.space, document_ids=request.POST.getlist("locker"))
    documents = {}
    for spec in services.missing_documents(case):
        accepted, refused = inspect_files(
            request, f"document__{spec.name}", context="demande", limit=spec.max_files
        )
        if accepted:
            documents[spec.name] = accepted
        refusals += refused
    if not form.is_valid() or refusals or not case.discussion_open:
        if not case.discussion_open:
            messages.error(request, _("Le service n'a pas encore ouvert la messagerie."))
        return _page(request, case, reply_form=form, refusals=refusals, status=400)
    try:
        services.message_post(
            case=case,
            author=request.user if request.user.is_authenticated else None,
            role=CaseEvent.Role.APPLICANT,
            body=form.cleaned_data["body"],
            results=results,
            documents=documents,
        )
    except vault.StorageUnavailableError:
        messages.error(request, vault.UNAVAILABLE_MESSAGE)
        return _page(request, case, reply_form=form, status=503)
    messages.success(request, _("Votre message est envoyé au service."))
    return redirect(reverse("cases:case_detail", args=[case.number]) + "?onglet=messagerie")


def case_file_download(request, number, file_id):
    case = _case(request, number)
    case_file = selectors.case_file_for_applicant(case=case, file_id=file_id)
    content = services.case_file_content(case_file)
    return download_response(content, filename=case_file.name, mime=case_file.mime)


def case_receipt(request, number):
    case = _case(request, number)
    return download_response(
        receipt.build(case), filename=f"recepisse-{case.number}.pdf", mime="application/pdf"
    )


def case_archive(request, number):
    """The finished demande as a ZIP (answers, files, receipt, decision), streamed. Before
    the decision there is none: back to the demande page."""
    case = _case(request, number)
    if not case.is_finished:
        messages.info(request, _("Vous pourrez télécharger votre demande une fois décidée."))
        return redirect("cases:case_detail", number=case.number)
    response = StreamingHttpResponse(archive.stream(case), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive.archive_name(case)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def case_extend(request, number):
    """Keep a finished demande one more retention period (once, during the notice)."""
    case = _case(request, number)
    try:
        case = services.case_retention_extend(case=case)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Votre demande sera conservée jusqu'au %(date)s.")
            % {"date": f"{timezone.localtime(case.expires_at):%d/%m/%Y}"},
        )
    return redirect("cases:case_detail", number=case.number)


@login_required
def my_cases(request):
    space = current_space(request)
    finished = request.GET.get("onglet") == "terminees"
    search = request.GET.get("numero", "").strip()
    page = Paginator(
        selectors.cases_for_space(space=space, finished=finished, search=search), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/my_cases.html",
        {"page": page, "finished": finished, "search": search},
    )


@login_required
def activity(request):
    space = current_space(request)
    page = Paginator(selectors.activity_for_space(space=space, user=request.user), 30).get_page(
        request.GET.get("page")
    )
    entries = [
        {
            "source": source,
            "label": selectors.ACTIVITY_LABELS[source].get(kind, kind),
            "at": at,
            "title": title,
            "reference": reference,
            "number": numbers.display(reference) if source == "case" and reference else "",
        }
        for source, kind, at, title, reference in page
    ]
    return render(request, "cases/activity.html", {"page": page, "entries": entries})


@require_http_methods(["GET", "POST"])
def track(request):
    """Email + number opens one demande. One generic answer for every miss. Misses block
    per IP and per (address, IP), never per address alone, so nobody can lock the owner
    out; after a few misses from an IP or with an address, the ALTCHA check is asked."""
    ip = ratelimit.client_ip(request)
    form = TrackingForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        limits = [("case_tracking_ip", ip), ("case_tracking_pair", ratelimit.pair(email, ip))]
        if ratelimit.blocked(limits):
            form.add_error(None, _("Trop d'essais. Attendez quelques minutes puis réessayez."))
        else:
            case = selectors.tracking_lookup(email=email, number=form.cleaned_data["number"])
            if case is not None:
                tracking.grant(request.session, case)
                return redirect("cases:case_detail", number=case.number)
            ratelimit.hit_all(limits)
            form.antirobot_record(email)
            form.add_error(
                None,
                _(
                    "Nous ne trouvons pas de demande avec ce numéro et cette adresse. Vérifiez "
                    "les deux dans le courriel de confirmation."
                ),
            )
    return render(request, "cases/track.html", {"form": form}, status=400 if form.errors else 200)


def track_link(request, token):
    """The link of every email about a demande. A member of the demande's space is taken
    to it in that space; an organisation's demande needs its member logged in."""
    payload = tracking.read_link(token)
    case = selectors.case_by_link(payload) if payload else None
    user = request.user
    if case is not None and user.is_authenticated and case.space_id:
        membership = next(
            (m for m in memberships_for(user=user) if m.space_id == case.space_id), None
        )
        if membership is not None:
            space_activate(request, membership.space)
            return redirect(tracking.next_url(request, case))
    if case is not None and not selectors.trackable(case):
        if not user.is_authenticated:
            return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
        case = None
    if case is None:
        messages.error(
            request,
            _("Ce lien n'est plus valable. Saisissez votre adresse et le numéro de votre demande."),
        )
        return redirect("cases:track")
    tracking.grant(request.session, case)
    return redirect(tracking.next_url(request, case))
