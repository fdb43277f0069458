"""In a real browser: pick a provider and its servers fill in; days, hours and time zone are
pickers; the ramp's next 30 days follow the numbers as they are typed."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _caps(page) -> list[int]:
    return [
        int(x)
        for x in page.locator("#ramp-preview [data-cap]").evaluate_all(
            "(els) => els.map((e) => e.dataset.cap)"
        )
    ]


def test_setting_up_a_mailbox_with_a_preset(logged_in_page, live_server, sending_domain):
    page = logged_in_page
    page.goto(f"{live_server.url}/w/acme/outreach/mailboxes/new/")
    page.get_by_label("Provider").select_option(label="Microsoft 365")
    assert page.get_by_label("SMTP server").input_value() == "smtp.office365.com"
    assert page.get_by_label("SMTP port").input_value() == "587"
    assert page.get_by_label("IMAP server").input_value() == "outlook.office365.com"
    assert page.get_by_label("IMAP encryption").input_value() == "ssl"
    assert page.get_by_label("Sending", exact=True).input_value() == "smtp"
    assert "SMTP AUTH" in page.locator("#provider-help").inner_text()

    assert page.locator("input[name=window_start]").get_attribute("type") == "time"
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    assert len(_caps(page)) == 30

    # Every day, a ramp that reaches the cap quickly: the preview follows as it is typed.
    page.get_by_label("Sat").check()
    page.get_by_label("Sun").check()
    page.get_by_label("Emails a day").fill("12")
    page.get_by_label("Ramp: emails on day 1").fill("4")
    page.get_by_label("Ramp: more each day").fill("4")
    page.get_by_label("Ramp: more each day").blur()
    page.wait_for_function(
        "Math.max(...[...document.querySelectorAll('#ramp-preview [data-cap]')]"
        ".map((e) => +e.dataset.cap)) === 12"
    )
    caps = _caps(page)
    assert len(caps) == 30 and max(caps) == 12
    first_sending = next(c for c in caps if c)
    assert first_sending == 4

    page.get_by_label("Email address").fill("dana@mail.acme.test")
    page.get_by_label("SMTP user name").fill("dana@mail.acme.test")
    page.get_by_role("button", name="Add mailbox").click()
    page.get_by_text("dana@mail.acme.test was added").wait_for()

    from outreach.models import Mailbox

    box = Mailbox.objects.get(address="dana@mail.acme.test")
    assert (box.smtp_host, box.imap_host, box.timezone) == (
        "smtp.office365.com",
        "outlook.office365.com",
        "Europe/Berlin",
    )
    assert box.window_weekdays == [0, 1, 2, 3, 4, 5, 6] and box.daily_cap == 12
