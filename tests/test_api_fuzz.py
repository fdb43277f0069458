"""Schemathesis fuzzes every operation of /api/v1/openapi.json against the app, in-process.

The document is read from the app when this module is collected, so operations added later are
fuzzed too. Each operation is one test (``-n 2`` spreads them), run in its own transaction on a
small seeded workspace; generated ids in paths, query strings and bodies point, three times in
four, at a seeded record of the right kind, so the operations get past their 404s. A 5xx or an
answer that does not match the documented schema fails the test. Deterministic: a fixed seed,
derandomized generation and a fixed number of examples per operation.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from pydantic import BaseModel
from schemathesis.config import SchemathesisConfig

from crm.actors import Actor
from crm.models import Membership
from crm.services.custom_fields import custom_field_define
from crm.services.leads import lead_create
from crm.services.lists import list_add_leads, list_create
from crm.services.tags import leads_tag, tag_get_or_create
from crm.services.tasks import task_create
from integrations.imports.jobs import import_create
from integrations.imports.mapping import mapping_save
from outreach.models import Step, StepVariant
from outreach.services.domain_checks import deliverability_policy_update
from outreach.services.domains import sending_domain_create
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_create
from outreach.services.sequences import sequence_create
from outreach.services.steps import step_add
from outreach.services.suppression import suppression_add
from pipelines.models import Stage
from tests.outreach.deliverability.dns_server import LoopbackDns

EXAMPLES_PER_OPERATION = 10

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 16,
        "generation": {
            "mode": "all",  # valid inputs, and invalid ones that must be refused with a 4xx
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            # Boundary values of every parameter (nulls, limits, wrong types), then fuzzing.
            "coverage": {"unexpected-methods": [], "generate-duplicate-query-parameters": False},
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
        },
    }
)

APP = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP, config=CONFIG)


@pytest.fixture(scope="module")
def quiet_dns():
    """A DNS server on loopback with no zones: domain checks get their NXDOMAIN at once."""
    server = LoopbackDns()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def one_connection():
    """Requests reuse the test's connection, as Django's test client does (the WSGI handler
    would otherwise close it between requests, inside the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(workspace, owner, member, quiet_dns, settings, tmp_path) -> dict[str, list[Any]]:
    """A small workspace with one or more records of every kind, and their ids by the names
    the API gives them (``lead_id``, ``list_id``…)."""
    settings.SITE_URL = "https://crm.acme.test"
    settings.DNS_RESOLVERS_ALLOWED = [("127.0.0.1", quiet_dns.port)]
    settings.IMPORT_UPLOAD_DIR = tmp_path
    actor = Actor.of_user(owner)
    custom_field_define(workspace=workspace, key="budget", label="Budget", field_type="number")
    leads = [
        lead_create(
            workspace=workspace,
            actor=actor,
            data={
                "first_name": name,
                "email": f"{name.lower()}@prospect.test",
                "company_name": "Prospect",
                "company_website": "https://prospect.test",
            },
        )[0]
        for name in ("Amara", "Bjorn", "Chidi")
    ]
    lead_ids = [lead.pk for lead in leads]
    lead_list = list_create(workspace=workspace, data={"name": "Q4"})
    list_add_leads(lead_list=lead_list, lead_ids=lead_ids, actor=actor)
    tag = tag_get_or_create(workspace=workspace, name="hot")
    leads_tag(workspace=workspace, lead_ids=lead_ids[:2], tag=tag, actor=actor)
    task_create(workspace=workspace, actor=actor, lead=leads[0], data={"title": "Call"})
    domain = sending_domain_create(
        workspace=workspace, domain="mail.acme.test", added_on=dt.date(2020, 1, 1)
    )
    deliverability_policy_update(
        workspace=workspace,
        pause_on_failure=True,
        ip_blocklists=[],
        domain_blocklists=[],
        dns_nameserver="127.0.0.1",
        dns_port=quiet_dns.port,
    )
    mailbox = mailbox_create(
        workspace=workspace,
        domain=domain,
        address="olivia@mail.acme.test",
        data={"transport": "capture"},
    )
    sequence = sequence_create(workspace=workspace, name="Founders", mailboxes=[mailbox])
    step_add(sequence=sequence, subject="Hi {{first_name|there}}", body="Hello")
    enrollments_add(sequence=sequence, lead_ids=lead_ids[:2], actor=actor)
    suppression_add(workspace=workspace, value="nobody@prospect.test", reason="manual")
    csv = b"email,first_name\nzoe@prospect.test,Zoe\n"
    import_create(workspace=workspace, user=owner, file_name="leads.csv", stream=io.BytesIO(csv))
    mapping_save(
        workspace=workspace, name="Mine", headers=["email", "first_name"], targets=["email", ""]
    )
    return _ids_by_name(workspace)


def _ids_by_name(workspace) -> dict[str, list[Any]]:  # type: ignore[no-untyped-def]
    ids: dict[str, list[Any]] = {}
    for model in apps.get_models():
        if any(f.name == "workspace" for f in model._meta.fields):
            found = model._default_manager.filter(workspace=workspace).order_by("pk")
            ids[f"{model._meta.model_name}_id"] = list(found.values_list("pk", flat=True)[:5])
    users = list(Membership.objects.filter(workspace=workspace).values_list("user_id", flat=True))
    scoped = {
        "stage_id": Stage.objects.filter(pipeline__workspace=workspace),
        "step_id": Step.objects.filter(sequence__workspace=workspace),
        "variant_id": StepVariant.objects.filter(step__sequence__workspace=workspace),
    }
    for name, queryset in scoped.items():
        ids[name] = list(queryset.order_by("pk").values_list("pk", flat=True)[:5])
    aliases = {
        "list_id": "leadlist_id",
        "entry_id": "pipelineentry_id",
        "job_id": "importjob_id",
        "mapping_id": "savedmapping_id",
        "domain_id": "sendingdomain_id",
        "check_id": "domaincheck_id",
        "inbound_id": "inboundmessage_id",
        "to_stage_id": "stage_id",
        "expected_from_stage_id": "stage_id",
        "referred_by_id": "lead_id",
        "owner_id": "user_id",
        "assignee_id": "user_id",
    }
    ids["user_id"] = users
    for alias, name in aliases.items():
        ids.setdefault(alias, ids.get(name, []))
    for name in list(ids):
        if name.endswith("_id"):
            ids[name[:-3] + "_ids"] = ids[name]
    return {name: found for name, found in ids.items() if found}


def _pointed(value: Any, choices: list[Any]) -> Any:
    """Three generated ids in four become a seeded record's (which one follows the value)."""
    if isinstance(value, bool) or not isinstance(value, int) or value % 4 == 0:
        return value
    return choices[value % len(choices)]


def _point_ids(values: Any, ids: dict[str, list[Any]]) -> None:
    if not isinstance(values, dict):
        return
    for name, value in values.items():
        if name not in ids:
            continue
        if isinstance(value, list):
            values[name] = [_pointed(v, ids[name]) for v in value]
        else:
            values[name] = _pointed(value, ids[name])


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None, print_blob=True)
def test_the_api_answers_every_request_as_documented(case, api_token, seeded, one_connection):
    for values in (case.path_parameters, case.query, case.body):
        _point_ids(values, seeded)
    if isinstance(case.body, dict) and isinstance(case.body.get("filter"), dict):
        _point_ids(case.body["filter"], seeded)
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"})


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schemas_share_a_name():
    # The document names each schema by its class: a second class of the same name takes the
    # first one's place, and answers stop matching their schema (as the import preview's did).
    modules: dict[str, set[str]] = {}
    for model in set(_subclasses(BaseModel)):
        if model.__module__.split(".")[0] in ("crm", "pipelines", "outreach", "integrations"):
            modules.setdefault(model.__name__, set()).add(model.__module__)
    assert not {name: found for name, found in modules.items() if len(found) > 1}
