"""A workspace chooses its DNS resolver only among those the admin lists in DNS_RESOLVERS_ALLOWED.

Empty means the system's resolver only. The admin's own ``check_domains --nameserver`` is not
limited by the list.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from crm.errors import ValidationFailed
from outreach.deliverability import ResolverConfig
from outreach.models import DeliverabilityPolicy
from outreach.services.domain_checks import deliverability_policy_update, policy_resolver

from .dns_server import LoopbackDns
from .test_checker import zone


def choose(workspace, nameserver, port=53):
    return deliverability_policy_update(
        workspace=workspace,
        pause_on_failure=True,
        ip_blocklists=[],
        domain_blocklists=[],
        dns_nameserver=nameserver,
        dns_port=port,
    )


@pytest.mark.parametrize(
    "nameserver, port",
    [
        ("169.254.169.254", 53),
        ("10.0.0.1", 53),
        ("::1", 53),
        ("::1", 5432),
        ("127.0.0.1", 6379),
        ("1.1.1.1", 53),
    ],
)
def test_with_no_list_only_the_system_resolver_may_be_chosen(workspace, settings, nameserver, port):
    settings.DNS_RESOLVERS_ALLOWED = []

    with pytest.raises(ValidationFailed) as exc:
        choose(workspace, nameserver, port)

    assert "system's resolver only" in exc.value.errors["dns_nameserver"][0]
    assert not DeliverabilityPolicy.objects.exists()


def test_the_system_resolver_can_always_be_chosen(workspace, settings):
    settings.DNS_RESOLVERS_ALLOWED = []
    assert choose(workspace, "").dns_nameserver is None


def test_a_listed_resolver_can_be_chosen_on_its_port_only(workspace, settings):
    settings.DNS_RESOLVERS_ALLOWED = [("9.9.9.9", 53), ("2620:fe::fe", 5353)]

    assert choose(workspace, "9.9.9.9").dns_nameserver == "9.9.9.9"
    assert choose(workspace, "2620:00fe::00fe", 5353).dns_port == 5353
    with pytest.raises(ValidationFailed) as exc:
        choose(workspace, "9.9.9.9", 5353)
    message = exc.value.errors["dns_nameserver"][0]
    assert message.startswith("9.9.9.9:5353 is not a resolver the admin allows")
    assert "9.9.9.9:53, [2620:fe::fe]:5353" in message


def test_the_api_answers_422(api, settings):
    settings.DNS_RESOLVERS_ALLOWED = [("9.9.9.9", 53)]
    body = {"dns_nameserver": "169.254.169.254", "dns_port": 53}

    response = api.put(
        "/api/v1/deliverability/policy", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 422
    assert "not a resolver the admin allows" in response.content.decode()


def test_a_resolver_struck_from_the_list_is_no_longer_asked(workspace, settings):
    settings.DNS_RESOLVERS_ALLOWED = [("10.0.0.53", 53)]
    policy = choose(workspace, "10.0.0.53")
    assert policy_resolver(policy) == ResolverConfig(nameservers=("10.0.0.53",), port=53)

    settings.DNS_RESOLVERS_ALLOWED = []

    assert policy_resolver(policy) == ResolverConfig()  # the system's


def test_a_resolver_saved_before_the_list_existed_is_not_asked(workspace):
    policy = DeliverabilityPolicy.objects.create(
        workspace=workspace, dns_nameserver="169.254.169.254", dns_port=53
    )
    assert policy_resolver(policy) == ResolverConfig()


def test_the_admins_cli_may_ask_any_resolver(dns_server: LoopbackDns, settings) -> None:
    settings.DNS_RESOLVERS_ALLOWED = []
    dns_server.load(zone("alpha.example"))
    out = io.StringIO()

    call_command(
        "check_domains",
        "alpha.example",
        "--nameserver",
        "127.0.0.1",
        "--port",
        str(dns_server.port),
        "--timeout",
        "0.5",
        "--selector",
        "s1",
        stdout=out,
    )

    assert out.getvalue().startswith("alpha.example: ready")
    assert dns_server.queries
