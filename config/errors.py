"""Error pages rendered with the portal's layout, in French, without leaking details."""

from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without the request context: the failure may come from a context processor.
    return render(None, "errors/500.html", status=500)
