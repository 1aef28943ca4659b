"""The API's documentation page (/api/): server-rendered in the DSFR layout from the
OpenAPI schema, so it runs under the site's CSP without a CDN (ADR 0500)."""

from django.shortcuts import render

from .schema import endpoints


def docs(request):
    return render(request, "api/docs.html", {"endpoints": endpoints()})
