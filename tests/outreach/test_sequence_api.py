"""The sequence editor, enrollment and results endpoints: the same services as the pages."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from outreach.models import Enrollment, InboundKind, InboundMessage, Sequence, Step
from outreach.sending.planner import plan_due_sends
from outreach.services.enrollments import enrollments_add
from outreach.services.sequences import sequence_create, step_add
from tests.factories import LeadFactory


def call(api, method, path, body=None):
    return getattr(api, method)(
        f"/api/v1{path}", json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def enrolled(workspace, sequence, actor):
    ada = LeadFactory(workspace=workspace, first_name="Ada", country="Sweden")
    enrollments_add(sequence=sequence, lead_ids=[ada.pk], actor=actor)
    return Enrollment.objects.get(lead=ada)


def test_steps_are_edited_reordered_and_removed(api, workspace, mailbox):
    draft = sequence_create(workspace=workspace, name="Draft", mailboxes=[mailbox])
    one = step_add(sequence=draft, subject="One", body="1")
    two = step_add(sequence=draft, subject="Two", body="2")
    base = f"/sequences/{draft.pk}/steps"

    changed = call(api, "patch", f"{base}/{two.pk}", {"delay_days": 4, "business_days": True})
    assert changed.status_code == 200
    assert (changed.json()["delay_days"], changed.json()["business_days"]) == (4, True)
    assert call(api, "post", f"{base}/{two.pk}/move", {"direction": -1}).json()["position"] == 0
    assert call(api, "post", f"{base}/{two.pk}/move", {"direction": 2}).status_code == 422

    variant = call(api, "post", f"{base}/{one.pk}/variants/next", {"subject": "B", "body": "b"})
    assert variant.status_code == 201 and variant.json()["label"] == "B"
    a = one.variants.get(label="A")
    updated = call(api, "put", f"{base}/{one.pk}/variants/{a.pk}", {"subject": "A2", "body": "a"})
    assert updated.json()["subject"] == "A2"
    bad = call(api, "put", f"{base}/{one.pk}/variants/{a.pk}", {"subject": "{{x", "body": "a"})
    assert bad.status_code == 422 and "subject" in bad.json()["errors"]
    assert call(api, "delete", f"{base}/{one.pk}/variants/{a.pk}").status_code == 204
    assert call(api, "delete", f"{base}/{one.pk}").status_code == 204
    assert list(Step.objects.filter(sequence=draft).values_list("pk", "position")) == [(two.pk, 0)]


def send_due_now(capture):
    with capture(execute=True):
        plan_due_sends(now=timezone.now())


def test_a_sent_step_cannot_be_removed(api, sequence, enrolled, django_capture_on_commit_callbacks):
    send_due_now(django_capture_on_commit_callbacks)
    first = sequence.steps.get(position=0)
    refused = call(api, "delete", f"/sequences/{sequence.pk}/steps/{first.pk}")
    assert refused.status_code == 409
    assert "already gone to 1 lead" in refused.json()["detail"]


def test_the_draft_preview_answers_headers_and_problems(api, sequence, enrolled):
    body = {
        "position": 0,
        "subject": "For {{company|you}} and {{frist_name}}",
        "body": "Hi {{first_name}}",
        "enrollment_id": enrolled.pk,
    }
    answer = call(api, "post", f"/sequences/{sequence.pk}/preview", body).json()
    assert answer["errors"] == ["Subject: unknown variable {{frist_name}}"]
    assert answer["preview"] is None

    body["subject"] = "For {{company|you}}"
    answer = call(api, "post", f"/sequences/{sequence.pk}/preview", body).json()
    headers = {h["name"]: h["value"] for h in answer["headers"]}
    assert answer["errors"] == []
    assert answer["preview"]["body_text"].startswith("Hi Ada")
    assert headers["To"] == enrolled.lead.email
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_sequence_is_updated_resumed_and_stopped(api, sequence, enrolled):
    path = f"/sequences/{sequence.pk}"
    changed = call(api, "patch", path, {"name": "Q4", "stop_company_on_reply": True}).json()
    assert (changed["name"], changed["stop_company_on_reply"]) == ("Q4", True)
    assert call(api, "patch", path, {"mailbox_ids": [999999]}).status_code == 422
    assert call(api, "patch", path, {"colour": "red"}).status_code == 422
    assert call(api, "post", f"{path}/pause").json()["status"] == "paused"
    assert call(api, "post", f"{path}/resume").json()["status"] == "active"
    stopped = call(api, "post", f"{path}/stop").json()
    assert stopped == {"status": "archived", "enrollments_stopped": 1}


def test_enrollment_by_filter_and_slots_and_bulk(api, workspace, sequence, enrolled):
    LeadFactory(workspace=workspace, country="Sweden")
    LeadFactory(workspace=workspace, country="France")
    path = f"/sequences/{sequence.pk}/enrollments"
    report = call(api, "post", path, {"filter": {"country": "Sweden"}}).json()
    assert report["added"] == 1
    assert report["skipped"] == [
        {"lead_id": enrolled.lead_id, "reason": "already in this sequence"}
    ]
    both = call(api, "post", path, {"lead_ids": [1], "filter": {"q": "x"}})
    assert both.status_code == 422

    slots = call(api, "patch", f"/enrollments/{enrolled.pk}", {"slot2": "Loved the talk."})
    assert slots.json()["slots"] == {"slot2": "Loved the talk."}
    assert call(api, "patch", f"/enrollments/{enrolled.pk}", {"slot9": "x"}).status_code == 422

    ids = list(Enrollment.objects.values_list("id", flat=True))
    bulk = call(api, "post", f"{path}/bulk", {"enrollment_ids": ids, "action": "pause"}).json()
    assert bulk == {"changed": 2, "refused": []}
    paused = api.get(f"/api/v1{path}?status=paused").json()
    assert len(paused) == 2
    assert api.get(f"/api/v1{path}?status=sleeping").status_code == 422


def test_results_and_the_positive_mark(
    api, workspace, sequence, enrolled, django_capture_on_commit_callbacks
):
    send_due_now(django_capture_on_commit_callbacks)
    sent = enrolled.messages.get()
    reply = InboundMessage.objects.create(
        workspace=workspace,
        mailbox=enrolled.mailbox,
        uidvalidity=1,
        uid=1,
        kind=InboundKind.REPLY,
        from_email=enrolled.lead.email,
        text="Interested!",
        outbound=sent,
        lead=enrolled.lead,
    )
    marked = call(api, "post", f"/replies/{reply.pk}/positive", {"positive": True}).json()
    assert marked["positive"] is True and marked["step"] == 1

    results = api.get(f"/api/v1/sequences/{sequence.pk}/results").json()
    assert (results["enrolled"], results["sent"], results["replied"], results["positive"]) == (
        1,
        1,
        1,
        1,
    )
    assert results["reply_rate"] == 1.0
    first = results["variants"][0]
    assert (first["step"], first["variant"], first["sent"], first["positive"]) == (1, "A", 1, 1)
    assert sum(results["daily"]["sent"]) == 1
    replies = api.get(f"/api/v1/sequences/{sequence.pk}/replies").json()
    assert [r["text"] for r in replies] == ["Interested!"]


def test_another_workspaces_sequence_is_404_everywhere(api, other_workspace, stranger):
    from outreach.services.domains import sending_domain_create
    from outreach.services.mailboxes import mailbox_create

    domain = sending_domain_create(workspace=other_workspace, domain="globex.test")
    box = mailbox_create(workspace=other_workspace, domain=domain, address="a@globex.test")
    theirs = sequence_create(workspace=other_workspace, name="Theirs", mailboxes=[box])
    step = step_add(sequence=theirs, subject="s", body="b")
    lead = LeadFactory(workspace=other_workspace)
    from crm.actors import Actor

    enrollments_add(sequence=theirs, lead_ids=[lead.pk], actor=Actor.of_user(stranger))
    enrollment = Enrollment.objects.get()
    for method, path, body in (
        ("patch", f"/sequences/{theirs.pk}", {"name": "Mine"}),
        ("post", f"/sequences/{theirs.pk}/stop", {}),
        ("patch", f"/sequences/{theirs.pk}/steps/{step.pk}", {"delay_days": 1}),
        ("post", f"/sequences/{theirs.pk}/preview", {"position": 0, "body": "x"}),
        ("patch", f"/enrollments/{enrollment.pk}", {"slot1": "x"}),
        ("get", f"/sequences/{theirs.pk}/results", None),
    ):
        if method == "get":
            assert api.get(f"/api/v1{path}").status_code == 404, path
        else:
            assert call(api, method, path, body).status_code == 404, path
    assert Sequence.objects.get(pk=theirs.pk).name == "Theirs"


def test_the_api_docs_describe_every_sequence_endpoint_once(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operations) == len(set(operations))
    for path in (
        "/api/v1/sequences/{sequence_id}/preview",
        "/api/v1/sequences/{sequence_id}/steps/{step_id}/move",
        "/api/v1/sequences/{sequence_id}/enrollments/bulk",
        "/api/v1/replies/{inbound_id}/positive",
    ):
        assert path in paths
