"""Browser helpers shared by the e2e journeys."""


def solve_altcha(page) -> None:
    """Tick the ALTCHA box and wait for the widget's proof of work (done for real)."""
    page.locator("altcha-widget input[type=checkbox]").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[name=altcha]')].some(i => i.value)",
        timeout=60_000,
    )
