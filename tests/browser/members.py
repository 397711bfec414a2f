"""A member for browser tests: registered through the real form, so the page holds a signed-in session."""

from __future__ import annotations

from urllib.parse import quote

PASSWORD = "Calculator passphrase 2050"


def register(page, suite_url: str, *, email: str, name: str, next_path: str) -> None:
    """Register ``email``, then sign in on the form that follows (registering signs nobody in) and land
    on ``next_path`` signed in (the header shows the name)."""
    page.goto(f"{suite_url}/register?next={quote(next_path)}")
    page.fill("#email", email)
    page.fill("#display_name", name)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("notice").wait_for(timeout=60_000)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("account-name").wait_for(timeout=60_000)
