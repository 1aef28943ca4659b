"""Public views of the help centre outside the page tree: search and robots.txt."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .search import MAX_QUERY_LENGTH, hits, search_pages

RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    page_obj = results = None
    if query:
        page_obj = Paginator(search_pages(query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        results = hits(page_obj.object_list, query)
    return render(
        request,
        "cms/search.html",
        {"query": query, "page_obj": page_obj, "results": results},
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /cms-admin/",
        "Disallow: /django-admin/",
        f"Disallow: {reverse('cms:search')}",
        "",
        f"Sitemap: {settings.GUICHET_SITE_URL.rstrip('/')}{reverse('cms:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
