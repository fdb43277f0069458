"""The unsubscribe link: GET only asks, one-click POST (RFC 8058) or the page's button suppresses.

Other POSTs are refused with a 400 that changes nothing; forged tokens are a 404.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from crm.models import Activity, ActivityKind
from outreach.models import Enrollment, EnrollmentStatus, OutboundMessage, Suppression
from outreach.rendering.compose import unsubscribe_token
from outreach.sending.planner import plan_due_sends
from outreach.services.enrollments import enrollments_add
from outreach.services.unsubscribe import unsubscribe_form_proof
from tests.factories import LeadFactory

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def enrolled_lead(workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace, email="ada@prospect.test")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    return lead


def path_for(lead):
    return f"/u/{unsubscribe_token(workspace_id=lead.workspace_id, lead_id=lead.pk)}/"


def test_one_click_post_suppresses_without_login_or_csrf(enrolled_lead):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path_for(enrolled_lead), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert Suppression.objects.get().value == "ada@prospect.test"
    assert Enrollment.objects.get().status == EnrollmentStatus.UNSUBSCRIBED
    assert Activity.objects.filter(lead=enrolled_lead, kind=ActivityKind.UNSUBSCRIBED).count() == 1


def test_nothing_more_is_sent_after_a_one_click_unsubscribe(enrolled_lead, workspace):
    Client().post(path_for(enrolled_lead), {"List-Unsubscribe": "One-Click"})
    with time_machine.travel(MONDAY_10, tick=False):
        assert plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None) == {}
    assert OutboundMessage.objects.count() == 0


def test_opening_the_link_only_asks_and_unsubscribes_nobody(enrolled_lead):
    response = Client().get(path_for(enrolled_lead))

    assert response.status_code == 200
    assert b"Unsubscribe?" in response.content
    assert b"ada@prospect.test" in response.content
    assert b'<form method="post">' in response.content
    assert response["X-Robots-Tag"] == "noindex"
    assert not Suppression.objects.exists()
    assert Enrollment.objects.get().status != EnrollmentStatus.UNSUBSCRIBED
    assert not Activity.objects.filter(kind=ActivityKind.UNSUBSCRIBED).exists()


def test_the_confirmation_button_unsubscribes_without_csrf_cookie(enrolled_lead):
    client = Client(enforce_csrf_checks=True)
    page = client.get(path_for(enrolled_lead)).content.decode()
    proof = page.split('name="confirm" value="', 1)[1].split('"', 1)[0]

    response = client.post(path_for(enrolled_lead), {"confirm": proof})

    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    assert Suppression.objects.get().value == "ada@prospect.test"
    assert Enrollment.objects.get().status == EnrollmentStatus.UNSUBSCRIBED


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"List-Unsubscribe": "one-click-ish"},
        {"List-Unsubscribe": ""},
        {"confirm": "forged"},
        {"confirm": ""},
        {"anything": "else"},
    ],
)
def test_any_other_post_is_a_400_that_unsubscribes_nobody(enrolled_lead, body):
    response = Client().post(path_for(enrolled_lead), body)

    assert response.status_code == 400
    assert b"does not ask to unsubscribe" in response.content
    assert not Suppression.objects.exists()
    assert Enrollment.objects.get().status != EnrollmentStatus.UNSUBSCRIBED


def test_a_form_proof_of_another_lead_does_not_unsubscribe(enrolled_lead, workspace):
    other = LeadFactory(workspace=workspace, email="bob@prospect.test")
    other_token = unsubscribe_token(workspace_id=workspace.pk, lead_id=other.pk)

    response = Client().post(
        path_for(enrolled_lead), {"confirm": unsubscribe_form_proof(token=other_token)}
    )

    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_a_second_click_changes_nothing(enrolled_lead):
    token = unsubscribe_token(workspace_id=enrolled_lead.workspace_id, lead_id=enrolled_lead.pk)
    Client().post(path_for(enrolled_lead), {"confirm": unsubscribe_form_proof(token=token)})
    Client().post(path_for(enrolled_lead), {"List-Unsubscribe": "One-Click"})
    assert Activity.objects.filter(kind=ActivityKind.UNSUBSCRIBED).count() == 1


@pytest.mark.parametrize("token", ["1.1.forged", "garbage", "1.x.AAAA"])
def test_a_forged_token_is_a_404(enrolled_lead, token):
    assert Client().get(f"/u/{token}/").status_code == 404
    assert Client().post(f"/u/{token}/", {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert not Suppression.objects.exists()


def test_a_token_of_another_workspace_cannot_be_bent(enrolled_lead, foreign_lead):
    token = unsubscribe_token(workspace_id=enrolled_lead.workspace_id, lead_id=foreign_lead.pk)
    assert Client().post(f"/u/{token}/").status_code == 404
