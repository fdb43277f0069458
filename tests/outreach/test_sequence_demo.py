"""The demo workspace's outreach: warm domain, capture mailboxes, a live A/B sequence, captured
mail to look at and replies in the results — and nothing sent over the network."""

from __future__ import annotations

import pytest

from crm.demo import demo_load
from outreach.models import (
    Enrollment,
    EnrollmentStatus,
    InboundKind,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    Sequence,
)
from outreach.selectors.results import sequence_results


@pytest.fixture
def demo(db):
    return demo_load(leads=120)


def test_the_demo_has_a_live_sequence_with_captured_mail(demo, client):
    mailboxes = Mailbox.objects.filter(workspace=demo)
    assert {m.transport for m in mailboxes} == {"capture"}
    assert mailboxes.count() == 2
    domain = mailboxes.first().domain
    assert domain.warmup_days_left(domain.warm_on) == 0
    sequence = Sequence.objects.get(workspace=demo)
    assert sequence.status == "active"
    steps = list(sequence.steps.prefetch_related("variants"))
    assert [len(s.variants.all()) for s in steps] == [2, 1, 1]
    assert [s.same_thread for s in steps] == [False, True, False]
    assert Enrollment.objects.filter(sequence=sequence).count() == 40

    captured = OutboundMessage.objects.filter(workspace=demo, status="sent")
    assert captured.count() == 6
    assert all("List-Unsubscribe-Post" in m.raw_mime for m in captured)
    # Variables, slots and fallbacks were filled: no braces left in what was "sent".
    assert not any("{{" in m.subject + m.body_text for m in captured)

    replies = InboundMessage.objects.filter(workspace=demo)
    assert sorted(replies.values_list("kind", flat=True)) == [
        InboundKind.AUTO_REPLY,
        InboundKind.REPLY,
        InboundKind.REPLY,
    ]
    assert Enrollment.objects.filter(status=EnrollmentStatus.REPLIED).count() == 2
    results = sequence_results(sequence=sequence)
    assert (results["sent"], results["replied"], results["positive"]) == (6, 2, 1)

    client.login(username="demo@kindling.local", password="kindling-demo")
    assert client.get("/w/demo/outreach/captured/").status_code == 200
    page = client.get(f"/w/demo/outreach/sequences/{sequence.pk}/results/")
    assert b"Can you do Thursday" in page.content


def test_a_captured_message_shows_its_lead_step_and_exact_bytes(demo, client):
    message = OutboundMessage.objects.filter(workspace=demo, status="sent").first()
    client.login(username="demo@kindling.local", password="kindling-demo")
    page = client.get(f"/w/demo/outreach/captured/{message.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert message.to_email in text and "List-Unsubscribe-Post" in text
    assert "variant " in text
