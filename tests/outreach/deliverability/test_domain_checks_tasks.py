"""When checks run: after a domain is added (on commit), daily for every domain, and sooner
again when DNS could not answer. Celery runs eagerly in the tests; the queues are checked too."""

from __future__ import annotations

import pytest
from celery import current_app

from crm.errors import Conflict
from crm.services.workspaces import workspace_create
from outreach.models import CheckStatus, CheckTrigger, DomainCheck
from outreach.schedule import BEAT_SCHEDULE
from outreach.services.domain_checks import deliverability_policy_update, sending_domain_add
from outreach.services.domains import sending_domain_create
from outreach.tasks import (
    check_all_domains_task,
    check_domain_task,
    check_unfinished_domains_task,
)

from .domain_zone import DOMAIN, acme_zone


def test_adding_a_domain_checks_it_once_committed(
    acme_dns, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        domain = sending_domain_add(workspace=workspace, domain=DOMAIN)
    assert DomainCheck.objects.count() == 0  # nothing runs before the commit
    assert len(queued) == 1

    queued[0]()

    check = DomainCheck.objects.get()
    assert check.domain == domain and check.trigger == CheckTrigger.ADDED
    assert check.status in (CheckStatus.OK, CheckStatus.WARNINGS)


def test_a_refused_domain_queues_no_check(workspace, django_capture_on_commit_callbacks):
    sending_domain_create(workspace=workspace, domain=DOMAIN)
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(Conflict, match="already"),
    ):
        sending_domain_add(workspace=workspace, domain=DOMAIN)
    assert queued == []


def test_the_daily_run_checks_every_domain_of_every_workspace(acme_dns, workspace, stranger):
    ours = sending_domain_create(workspace=workspace, domain=DOMAIN)
    globex = workspace_create(name="Globex", slug="globex", owner=stranger)
    theirs = sending_domain_create(workspace=globex, domain="mail.globex.test")
    deliverability_policy_update(
        workspace=globex,
        pause_on_failure=True,
        ip_blocklists=[],
        domain_blocklists=[],
        dns_nameserver="127.0.0.1",
        dns_port=acme_dns.port,
    )

    assert check_all_domains_task.delay().get() == 2

    assert set(DomainCheck.objects.values_list("domain_id", "trigger", "workspace_id")) == {
        (ours.pk, "daily", workspace.pk),
        (theirs.pk, "daily", globex.pk),
    }
    # Globex's domain has no DNS at all: failing, and paused under its own workspace's policy.
    assert DomainCheck.objects.get(domain=theirs).status == CheckStatus.FAILING


def test_domains_dns_could_not_answer_are_checked_again(acme_dns, workspace):
    domain = sending_domain_create(workspace=workspace, domain=DOMAIN)
    acme_dns.load({f"_dmarc.{DOMAIN}": [("SERVFAIL", None)], **acme_zone(without=("dmarc",))})
    assert check_domain_task.delay(domain.pk).get() == CheckStatus.COULD_NOT_CHECK
    acme_dns.load(acme_zone())

    assert check_unfinished_domains_task.delay().get() == 1
    assert check_unfinished_domains_task.delay().get() == 0  # the retry passed

    latest = DomainCheck.objects.order_by("-id").first()
    assert latest is not None and latest.trigger == CheckTrigger.RETRY
    assert latest.status in (CheckStatus.OK, CheckStatus.WARNINGS)


def test_a_deleted_domain_is_skipped(db):
    assert check_domain_task.delay(987654).get() == ""


def test_the_checks_run_on_the_dns_queue_daily_and_hourly_for_retries():
    router = current_app.amqp.router
    for name in (check_domain_task.name, check_all_domains_task.name):
        assert router.route({}, name)["queue"].name == "dns"
    tasks = {entry["task"]: entry for entry in BEAT_SCHEDULE.values()}
    daily = tasks["outreach.tasks.check_all_domains"]
    assert daily["options"]["queue"] == "dns"
    assert daily["schedule"].hour == {5} and daily["schedule"].minute == {17}
    assert tasks["outreach.tasks.check_unfinished_domains"]["schedule"].hour == set(range(24))
    assert "outreach-check-domains-daily" in current_app.conf.beat_schedule
