"""A founder edits a step and watches the preview follow, for a sample lead and a real one."""

from __future__ import annotations

import pytest

from outreach.models import Enrollment
from outreach.services.enrollments import enrollments_add
from tests.factories import LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editing_a_step_updates_the_live_preview(logged_in_page, live_server, sequence, actor):
    page = logged_in_page
    ada = LeadFactory(workspace=sequence.workspace, first_name="Ada", last_name="Lovelace")
    enrollments_add(sequence=sequence, lead_ids=[ada.pk], actor=actor)
    step = sequence.steps.get(position=0)
    page.goto(f"{live_server.url}/w/acme/outreach/sequences/{sequence.pk}/steps/{step.pk}/")

    subject = page.locator("[data-preview-subject]")
    subject.wait_for()
    assert "for " in subject.inner_text()  # "{Quick question|A thought} for …", rendered

    page.get_by_label("Subject").fill("Coffee with {{first_name|you}}?")
    page.wait_for_function(
        "document.querySelector('[data-preview-subject]')?.textContent === 'Coffee with Alex?'"
    )
    page.locator("#preview-lead").select_option(label="Ada Lovelace")
    page.wait_for_function(
        "document.querySelector('[data-preview-subject]')?.textContent === 'Coffee with Ada?'"
    )
    assert ada.email in page.locator(".mail-headers").inner_text()

    page.get_by_label("Body").fill("Hi {{frist_name}}")
    errors = page.locator("[data-preview-errors]")
    errors.wait_for()
    assert "unknown variable {{frist_name}}" in errors.inner_text()

    body = page.get_by_label("Body")
    body.fill("Hi ")
    body.press("End")
    page.get_by_role("button", name="First name").click()  # inserts {{first_name|there}}
    body.press("End")
    body.type(", one idea for you.")
    page.wait_for_function(
        "document.querySelector('[data-preview-body]')?.textContent.startsWith("
        "'Hi Ada, one idea for you.')"
    )
    assert page.locator("[data-preview-errors]").count() == 0
    page.get_by_role("button", name="Save").click()
    page.locator(".flash-success").wait_for()
    variant = step.variants.get()
    assert (variant.subject, variant.body) == (
        "Coffee with {{first_name|you}}?",
        "Hi {{first_name|there}}, one idea for you.",
    )
    assert Enrollment.objects.get().lead == ada
