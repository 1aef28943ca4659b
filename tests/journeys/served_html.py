"""The Nu HTML Checker on every state a journey checks, not only the first one per address.

The session's auditor keeps one HTML per address (the first seen), so a demande page shown
again with a new message, a refusal or a decision is axe-checked but never validated; and a
form sent by ``upload.js`` (XMLHttpRequest, then ``document.write`` of the answer) leaves
the address as it was, so the refused form's HTML is not a document response at all.
``ServedHtml`` keeps, at each ``check``, the last HTML the server sent to that page
(navigation or XMLHttpRequest) and validates them all in one Java run at ``finish``.
"""

from tests.support.html_check import vnu_errors


class ServedHtml:
    def __init__(self, journey):
        self.journey = journey
        self.pages: dict[str, str] = {}
        self._last = {}

    def open(self, **options):
        page = self.journey.open(**options)

        def on_response(response):
            request = response.request
            if request.frame != page.main_frame:
                return
            # A form sent by upload.js is a POST (then the GET it is redirected to);
            # axe-core fetches style sheets (GET).
            first = request
            while first.redirected_from is not None:
                first = first.redirected_from
            sent = request.resource_type == "xhr" and first.method == "POST"
            if request.resource_type != "document" and not sent:
                return
            if 300 <= response.status < 400:
                return
            if "text/html" in response.headers.get("content-type", ""):
                self._last[page] = response

        page.on("response", on_response)
        return page

    def check(self, page, label: str) -> None:
        """The journey's check (axe-core), and the HTML of this state kept for the checker."""
        self.journey.check(page, label)
        response = self._last.get(page)
        if response is not None:
            self.pages[f"{label} ({page.url})"] = response.text()

    def finish(self) -> None:
        self.journey.finish()
        errors = {name: found for name, found in vnu_errors(self.pages).items() if found}
        assert errors == {}, f"Nu HTML Checker errors: {errors}"
