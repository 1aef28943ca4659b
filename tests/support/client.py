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
