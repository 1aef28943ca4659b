from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from identity.selectors import signed_in_with_app
from workflows import selectors


def instructor_required(view):
    """An authenticated instructor of at least one service who logged in with an
    authenticator app or OTP card; anyone else gets a 404, an instructor who logged in
    with an emailed or SMS code gets a page saying how to log in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_instructor(request.user):
            raise Http404
        if not signed_in_with_app(request):
            return render(request, "workflows/strong_login_required.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
