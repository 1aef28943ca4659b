"""Browser helpers shared by the e2e journeys."""


def solve_altcha(page) -> None:
    """Tick the ALTCHA box and wait for the widget's proof of work (done for real)."""
    page.locator("altcha-widget input[type=checkbox]").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[name=altcha]')].some(i => i.value)",
        timeout=60_000,
    )


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the page as displayed."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert blocking == [], blocking


def context_with_session(browser, live_server, client, **options):
    """A browser context sharing the session of a Django test client (already logged in)."""
    from django.conf import settings

    context = browser.new_context(base_url=live_server.url, locale="fr-FR", **options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context
