from identity.staff import staff_area_required
from workflows import selectors


def instructor_required(view):
    """An authenticated instructor of at least one service who logged in with an
    authenticator app or OTP card; anyone else gets a 404, an instructor who logged in
    with an emailed or SMS code gets a page saying how to log in (identity.staff)."""
    return staff_area_required(selectors.is_instructor)(view)
