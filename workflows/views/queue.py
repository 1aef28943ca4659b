"""The instructor's queues: tabs with counts, filters, search, keyset pagination, bulk
assignment and exports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from locker.inspection import download_response
from workflows import selectors, services
from workflows.exports import export_content
from workflows.forms import AssignForm, QueueFilterForm
from workflows.models import Export

from .common import instructor_required

TAB_LABELS = {
    "a_traiter": gettext_lazy("À traiter"),
    "mes_dossiers": gettext_lazy("Mes dossiers"),
    "echeances": gettext_lazy("Bientôt échues"),
    "attente": gettext_lazy("En attente de l'usager"),
    "traites": gettext_lazy("Traités"),
    "tous": gettext_lazy("Tous"),
}
# Not a queue of demandes: the records of the deleted ones (ADR 0406).
DELETED_TAB, DELETED_LABEL = "supprimees", gettext_lazy("Supprimées")
# Where the reader is in the list: dropped from queue links and filter changes.
PAGING_PARAMS = ("apres", "avant", "fin", "page")


def _filters(form) -> dict:
    if not form.is_valid():
        return {}
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k != "tri"}


def _sort(form) -> str:
    return (form.cleaned_data.get("tri") if form.is_bound and form.is_valid() else "") or "recent"


def _tab(value: str | None) -> str:
    return value if value in selectors.TABS else "a_traiter"


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < len(value) < 8 else 1


def _list_query(request):
    """The filters and order of the list, without the queue and the position in it."""
    query = request.GET.copy()
    for name in (*PAGING_PARAMS, "onglet"):
        query.pop(name, None)
    return query


def _page_links(query, tab: str, page: selectors.QueuePage) -> dict:
    """The URLs of the first, previous, next and last pages (None where there is none)."""

    def url(**params) -> str:
        link = query.copy()
        link["onglet"] = tab
        for name, value in params.items():
            link[name] = value
        return "?" + link.urlencode()

    previous = None
    if page.has_previous:
        previous = (
            url(avant=page.previous_cursor, page=page.number - 1) if page.previous_cursor else url()
        )
    last = page.number < page.page_count or page.has_next
    return {
        "first": url() if page.has_previous else None,
        "previous": previous,
        "next": url(apres=page.next_cursor, page=page.number + 1) if page.has_next else None,
        "last": url(fin="1") if last else None,
    }


def _deleted(request):
    """The « Supprimées » tab: what is kept of the service's deleted demandes."""
    counts = selectors.queue_counts(user=request.user, filters={})
    records = selectors.deleted_cases_for_instructor(request.user)
    page = Paginator(records, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/queue_deleted.html",
        {
            "tab": DELETED_TAB,
            "tabs": [
                *((key, str(label), counts[key]) for key, label in TAB_LABELS.items()),
                (DELETED_TAB, str(DELETED_LABEL), page.paginator.count),
            ],
            "page": page,
            "query": "",
        },
    )


@instructor_required
def queue(request):
    if request.GET.get("onglet") == DELETED_TAB:
        return _deleted(request)
    tab = _tab(request.GET.get("onglet"))
    colleagues = list(selectors.colleagues_of(request.user))
    form = QueueFilterForm(
        request.GET or None,
        procedures=selectors.procedures_of(request.user),
        colleagues=colleagues,
    )
    filters = _filters(form)
    counts = selectors.queue_counts(user=request.user, filters=filters)
    page = selectors.queue_page(
        user=request.user,
        tab=tab,
        filters=filters,
        total=counts[tab],
        sort=_sort(form),
        after=selectors.parse_cursor(request.GET.get("apres", "")),
        before=selectors.parse_cursor(request.GET.get("avant", "")),
        last="fin" in request.GET,
        number=_page_number(request.GET.get("page", "")),
    )
    names = {u.pk: u.get_full_name() or u.email for u in colleagues}
    for row in page.rows:
        row.task_owner_name = names.get(row.task_owner_id, "")
    query = _list_query(request)
    return render(
        request,
        "workflows/queue.html",
        {
            "tab": tab,
            "tabs": [
                *((key, str(label), counts[key]) for key, label in TAB_LABELS.items()),
                (DELETED_TAB, str(DELETED_LABEL), None),
            ],
            "rows": page.rows,
            "page": page,
            "page_links": _page_links(query, tab, page),
            "next_cursor": page.next_cursor,
            "form": form,
            "assign_form": AssignForm(colleagues=colleagues),
            "query": query.urlencode(),
            "exports": selectors.exports_of(request.user),
        },
    )


@require_POST
@instructor_required
def bulk_assign(request):
    colleagues = list(selectors.colleagues_of(request.user))
    form = AssignForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        messages.error(request, _("Choisissez la personne à qui confier les dossiers."))
        return redirect("workflows:queue")
    ids = [int(i) for i in request.POST.getlist("tasks") if i.isdigit()]
    if not ids:
        messages.error(request, _("Cochez au moins un dossier."))
        return redirect("workflows:queue")
    tasks = [selectors.task_for_instructor(user=request.user, task_id=i) for i in ids]
    to = next(u for u in colleagues if u.pk == form.cleaned_data["to"])
    moved = services.tasks_bulk_assign(tasks=tasks, user=request.user, to=to)
    messages.success(
        request,
        _("%(n)d dossier(s) confié(s) à %(name)s.")
        % {"n": moved, "name": to.get_full_name() or to.email},
    )
    return redirect("workflows:queue")


@require_POST
@instructor_required
def export_create(request):
    """Export the list as shown on screen (its tab, filters and order), as CSV or XLSX."""
    form = QueueFilterForm(
        request.POST,
        procedures=selectors.procedures_of(request.user),
        colleagues=selectors.colleagues_of(request.user),
    )
    export_format = request.POST.get("format")
    if not form.is_valid() or export_format not in Export.Format.values:
        raise Http404
    services.export_request(
        user=request.user,
        format=export_format,
        tab=_tab(request.POST.get("onglet")),
        filters=_filters(form),
        sort=_sort(form),
    )
    messages.success(
        request,
        _("Votre export est en préparation. Il apparaîtra en bas de la liste, prêt à télécharger."),
    )
    return redirect("workflows:queue")


@instructor_required
def export_download(request, export_id):
    export = selectors.export_for(user=request.user, export_id=export_id)
    content = export_content(export)
    mime = (
        "text/csv"
        if export.format == Export.Format.CSV
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    # Named in the instructor's time (Europe/Paris), as the list of exports shows it.
    created = timezone.localtime(export.created_at)
    return download_response(
        content, filename=f"demandes-{created:%Y%m%d-%H%M}.{export.format}", mime=mime
    )
