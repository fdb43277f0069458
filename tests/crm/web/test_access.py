"""Who sees what: anonymous visitors log in, strangers get 404s, members get their workspace."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from crm.web.access import LAST_WORKSPACE_KEY
from crm.web.nav import NAV, nav_sections
from tests.factories import CompanyFactory, LeadListFactory, TaskFactory


def test_it_sends_anonymous_visitors_to_the_login_page(client, workspace):
    response = client.get(reverse("crm:leads", kwargs={"ws": "acme"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/w/acme/leads/" in response["Location"]


def test_it_logs_in_through_the_form_and_opens_the_workspace(client, owner, workspace):
    response = client.post(
        reverse("login"), {"username": "olivia@acme.test", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:dashboard", kwargs={"ws": "acme"})


def test_the_email_can_be_typed_in_any_case(client, owner):
    response = client.post(
        reverse("login"), {"username": " Olivia@ACME.test", "password": "correct horse battery"}
    )
    assert response.status_code == 302


def test_an_inactive_user_cannot_log_in(client, owner):
    owner.is_active = False
    owner.save()
    response = client.post(
        reverse("login"), {"username": "olivia@acme.test", "password": "correct horse battery"}
    )
    assert response.status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "olivia@acme.test", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_it_gives_a_404_for_a_workspace_the_user_is_not_in(web, other_workspace):
    assert web.get(reverse("crm:dashboard", kwargs={"ws": "globex"})).status_code == 404
    assert web.get(reverse("crm:dashboard", kwargs={"ws": "nowhere"})).status_code == 404


@pytest.mark.parametrize(
    ("name", "key", "make"),
    [
        ("crm:lead", "lead_id", "lead"),
        ("crm:lead_edit", "lead_id", "lead"),
        ("crm:company", "company_id", "company"),
        ("crm:list", "list_id", "list"),
    ],
)
def test_it_gives_a_404_for_another_workspaces_records(
    web, workspace, other_workspace, foreign_lead, name, key, make
):
    foreign = {
        "lead": foreign_lead,
        "company": CompanyFactory(workspace=other_workspace),
        "list": LeadListFactory(workspace=other_workspace),
    }[make]
    url = reverse(name, kwargs={"ws": "acme", key: foreign.pk})
    assert web.get(url).status_code == 404


def test_it_gives_a_404_for_another_workspaces_task_and_leaves_it_open(
    web, workspace, other_workspace
):
    task = TaskFactory(workspace=other_workspace)
    url = reverse("crm:task_done", kwargs={"ws": "acme", "task_id": task.pk})
    assert web.post(url).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_it_gives_a_404_when_posting_a_note_on_another_workspaces_lead(web, foreign_lead):
    url = reverse("crm:lead_note_add", kwargs={"ws": "acme", "lead_id": foreign_lead.pk})
    assert web.post(url, {"body": "sneaky"}).status_code == 404
    assert not foreign_lead.activities.filter(kind="note").exists()


def test_a_member_of_both_workspaces_sees_each(client, owner, workspace, other_workspace):
    from crm.services.workspaces import membership_add

    membership_add(workspace=other_workspace, user=owner)
    client.force_login(owner)
    response = client.get(reverse("crm:dashboard", kwargs={"ws": "globex"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme Sales" in html and "Globex" in html  # the switcher lists both


def test_it_reopens_the_last_workspace_from_the_root(client, owner, workspace, other_workspace):
    from crm.services.workspaces import membership_add

    membership_add(workspace=other_workspace, user=owner)
    client.force_login(owner)
    client.get(reverse("crm:leads", kwargs={"ws": "globex"}))
    assert client.session[LAST_WORKSPACE_KEY] == "globex"
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("crm:dashboard", kwargs={"ws": "globex"})


def test_it_shows_a_no_workspace_page_to_a_user_without_one(stranger):
    client = Client()
    client.force_login(stranger)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "not on a team yet" in response.content.decode()


def test_the_nav_greys_out_pages_whose_app_has_not_landed(workspace):
    sections = dict(nav_sections(ws="acme", path="/w/acme/leads/12/"))
    links = [link for group in sections.values() for link in group]
    assert len(links) == len(NAV)
    by_label = {link.label: link for link in links}
    assert by_label["Leads"].active and not by_label["Dashboard"].active
    assert by_label["Leads"].url == "/w/acme/leads/"
    for link in links:
        assert link.soon == (link.url is None)


def test_the_layout_shows_soon_entries_as_text_not_links(web, workspace):
    html = web.get(reverse("crm:dashboard", kwargs={"ws": "acme"})).content.decode()
    soon = [e for e in NAV if e.url_name.split(":")[0] not in {"crm"}]
    for entry in soon:
        link = next(
            x
            for _, group in nav_sections(ws="acme", path="/")
            for x in group
            if x.label == entry.label
        )
        if link.soon:
            assert f"{entry.label} is coming soon" in html


def test_logout_is_a_post_and_ends_the_session(web, workspace):
    response = web.post(reverse("logout"))
    assert response.status_code == 302
    assert web.get(reverse("crm:dashboard", kwargs={"ws": "acme"})).status_code == 302


def test_the_dashboard_is_current_only_on_itself(workspace):
    def active(path: str) -> list[str]:
        sections = nav_sections(ws="acme", path=path)
        return [link.label for _, group in sections for link in group if link.active]

    assert active("/w/acme/") == ["Dashboard"]
    assert active("/w/acme/settings/") == []
    assert active("/w/acme/pipeline/reports/") == ["Pipeline"]
