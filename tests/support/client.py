"""A test client whose requests run their on-commit callbacks, as they would in production.

Under pytest-django's per-test transaction, ``transaction.on_commit`` callbacks (outbox
publishing, domain signals) never run. Each request made through ``CommitClient`` runs
the callbacks it registered when it returns, like a real request's commit would.
"""

from django.test import Client, TestCase


class CommitClient(Client):
    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def page_text(response) -> str:
    """The response body with HTML entities decoded, to compare with French text."""
    import html

    return html.unescape(response.content.decode())


def force_app_login(client, user) -> None:
    """Log ``user`` in on ``client`` as after a login with an authenticator app, the only
    kind of session staff areas accept. The real login journeys into staff areas are
    tested in tests/identity/test_staff_areas.py."""
    from identity.selectors import SECOND_FACTOR_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = "totp"
    session.save()
