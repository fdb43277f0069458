"""AI fixtures: the stub model server, a workspace with AI on, a sequence with enrollments."""

from __future__ import annotations

import datetime as dt

import pytest

from integrations.ai.configure import ai_settings_update
from outreach.services.domains import sending_domain_create
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_create
from outreach.services.sequences import sequence_create, step_add
from tests.factories import CompanyFactory, LeadFactory
from tests.integrations.ai.stub_model import StubModel

API_KEY = "sk-workspace-secret-4242"


@pytest.fixture(scope="session")
def _stub_server():
    server = StubModel().start()
    yield server
    server.stop()


@pytest.fixture
def stub(_stub_server, settings):
    """The loopback stub, emptied for each test; 127.0.0.1 allowed although private."""
    settings.OUTBOUND_ALLOW_PRIVATE = [*settings.OUTBOUND_ALLOW_PRIVATE, "127.0.0.1"]
    settings.AI_TIMEOUT = 2
    settings.AI_STRUCTURED_OUTPUTS = True
    _stub_server.reset()
    return _stub_server


@pytest.fixture
def ai_on(workspace, stub):
    return ai_settings_update(
        workspace=workspace, enabled=True, base_url=stub.url, model="stub-model", api_key=API_KEY
    )


def make_sequence(workspace, *, name="Founders Q4"):
    domain = sending_domain_create(
        workspace=workspace, domain=f"mail{workspace.pk}.example.test", added_on=dt.date(2020, 1, 1)
    )
    mailbox = mailbox_create(
        workspace=workspace,
        domain=domain,
        address=f"olivia@mail{workspace.pk}.example.test",
        data={"transport": "capture", "display_name": "Olivia Hart"},
    )
    sequence = sequence_create(workspace=workspace, name=name, mailboxes=[mailbox])
    step_add(sequence=sequence, subject="{{slot1|Hello}}", body="{{slot2|Hi}}\n\n{{slot3|}}")
    return sequence


@pytest.fixture
def sequence(workspace):
    return make_sequence(workspace)


@pytest.fixture
def rich_lead(workspace):
    company = CompanyFactory(
        workspace=workspace,
        name="Northwind Robotics",
        industry="Industrial automation",
        size="51-200",
        city="Lyon",
        country="France",
        technologies=["HubSpot", "Kubernetes"],
    )
    return LeadFactory(
        workspace=workspace, first_name="Ada", last_name="Moreau", title="VP Sales", company=company
    )


@pytest.fixture
def enrollment(sequence, rich_lead, actor):
    report = enrollments_add(sequence=sequence, lead_ids=[rich_lead.pk], actor=actor)
    assert report.added, report.skipped
    return sequence.enrollments.get(pk=report.added[0])
