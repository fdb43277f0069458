"""create_webhook and deliver_webhooks: the contracts scripts rely on."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command, load_command_class

from integrations.webhooks.outbound.models import WebhookEndpoint


def _run_from_argv(*argv: str) -> int:
    """What manage.py does with a command line: exit status (0, or SystemExit's code)."""
    command = load_command_class("integrations", argv[0])
    try:
        command.run_from_argv(["manage.py", *argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_create_webhook_prints_the_id_and_secret_as_json(workspace, receiver):
    out = StringIO()
    call_command(
        "create_webhook",
        "--workspace",
        "acme",
        "--url",
        receiver.url,
        "--events",
        "lead.created,lead.deleted",
        "--json",
        stdout=out,
    )
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    endpoint = WebhookEndpoint.objects.get(pk=last["id"])
    assert last["secret"].startswith("whsec_")
    assert endpoint.secret == last["secret"]
    assert endpoint.event_types == ["lead.created", "lead.deleted"]
    assert endpoint.created_by.email == "olivia@acme.test"


def test_create_webhook_without_events_listens_to_all_and_prints_plain_text(workspace, receiver):
    out = StringIO()
    call_command("create_webhook", "--workspace", "acme", "--url", receiver.url, stdout=out)
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == []
    assert str(endpoint.pk) in out.getvalue()
    assert endpoint.secret in out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--url", "https://93.184.215.14/h", "--events", "lead.created,lead.teleported"],
            "lead.teleported",
        ),
        (["--url", "http://127.0.0.1:9/hook"], "private"),
        (["--url", "https://93.184.215.14/h", "--workspace", "nope"], "nope"),
    ],
)
def test_create_webhook_refusals_exit_2_with_the_reason_on_stderr(
    workspace, args, message, settings, capsys
):
    settings.OUTBOUND_ALLOW_PRIVATE = []
    status = _run_from_argv("create_webhook", "--workspace", "acme", *args)
    out, err = capsys.readouterr()
    assert status == 2
    assert message in err
    assert out == ""
    assert not WebhookEndpoint.objects.exists()


def test_deliver_webhooks_json_counts_in_its_last_line(receiver, endpoint_for, new_lead):
    endpoint_for(receiver, "lead.created")
    new_lead()
    new_lead()
    receiver.answer((500, 0))
    out = StringIO()
    call_command("deliver_webhooks", "--json", stdout=out)
    counts = json.loads(out.getvalue().strip().splitlines()[-1])
    assert counts == {"delivered": 1, "failed": 0, "retry_later": 1}


def test_deliver_webhooks_with_nothing_to_do(db):
    out = StringIO()
    call_command("deliver_webhooks", "--json", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1]) == {
        "delivered": 0,
        "failed": 0,
        "retry_later": 0,
    }
