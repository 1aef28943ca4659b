from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from workflows import selectors


def instructor_required(view):
    """An authenticated instructor of at least one service; anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_instructor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
