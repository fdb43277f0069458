"""What a sequence email carries: List-Id, an HTML part that is a whole document with the
unsubscribe URL as a link, and (on new sequences, by default) the unsubscribe line."""

from __future__ import annotations

import email
import email.policy
from html.parser import HTMLParser

import pytest

from outreach.models import Enrollment
from outreach.rendering.compose import render_step, variant_for
from outreach.rendering.preview import enrollment_preview
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from outreach.services.sequences import sequence_activate, sequence_create, step_add
from tests.factories import LeadFactory


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.doctype = ""
        self.tags: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.metas: list[dict] = []
        self._href: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        if tag == "meta":
            self.metas.append(dict(attrs))
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._href:
            self.links.append((data, self._href))
            self._href = None


def structure(markup: str) -> _Structure:
    parser = _Structure()
    parser.feed(markup)
    return parser


def first_email(workspace, mailbox, actor, *, body_html, signature=""):
    mailbox_update(mailbox=mailbox, data={"signature": signature})
    sequence = sequence_create(workspace=workspace, name="HTML", mailboxes=[mailbox])
    step_add(sequence=sequence, subject="Hello {{first_name}}", body="", body_html=body_html)
    lead = LeadFactory(workspace=workspace, first_name="Ada")
    enrollments_add(sequence=sequence_activate(sequence=sequence), lead_ids=[lead.pk], actor=actor)
    enrollment = Enrollment.objects.select_related("mailbox", "sequence", "lead").get(lead=lead)
    step = sequence.steps.get()
    return render_step(
        enrollment=enrollment, step=step, variant=variant_for(step, enrollment), previous=None
    )


def test_the_html_part_is_a_whole_document_with_the_unsubscribe_url_as_a_link(
    workspace, mailbox, actor
):
    rendered = first_email(
        workspace, mailbox, actor, body_html="<p>Hi {{first_name}}</p>", signature="Olivia\nAcme"
    )

    html = structure(rendered.body_html)
    assert html.doctype.lower() == "doctype html"
    assert html.tags[:3] == ["html", "head", "meta"]
    assert {"charset": "utf-8"} in html.metas
    assert "body" in html.tags and rendered.body_html.rstrip().endswith("</body>\n</html>")
    assert ("Unsubscribe", rendered.unsubscribe_url) in html.links
    assert "Olivia<br>\nAcme" in rendered.body_html
    assert "<title>Hello Ada</title>" in rendered.body_html
    # The plain-text part keeps the URL written out.
    assert f"Unsubscribe: {rendered.unsubscribe_url}" in rendered.body_text


def test_a_document_written_by_hand_gets_the_footer_inside_its_body(workspace, mailbox, actor):
    page = "<!DOCTYPE html><html><head><title>x</title></head><body><p>Hi</p></body></html>"

    rendered = first_email(workspace, mailbox, actor, body_html=page)

    assert rendered.body_html.startswith("<!DOCTYPE html><html><head><title>x</title>")
    assert rendered.body_html.count("<body>") == 1 and rendered.body_html.endswith("</html>")
    before_end = rendered.body_html.rsplit("</body>", 1)[0]
    assert f'<a href="{rendered.unsubscribe_url}">Unsubscribe</a>' in before_end


def test_every_email_names_its_sequence_in_list_id(workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)

    preview = enrollment_preview(enrollment=Enrollment.objects.get(lead=lead))

    mail = email.message_from_string(preview.mime, policy=email.policy.strict)
    assert mail["List-Id"] == f"<sequence-{sequence.pk}.mail.acme.test>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_new_sequences_carry_the_unsubscribe_line_unless_turned_off(workspace, mailbox):
    made = sequence_create(workspace=workspace, name="Default", mailboxes=[mailbox])
    without = sequence_create(
        workspace=workspace, name="Off", mailboxes=[mailbox], options={"unsubscribe_line": False}
    )

    assert (made.unsubscribe_line, without.unsubscribe_line) == (True, False)


@pytest.mark.parametrize("payload, expected", [({}, True), ({"unsubscribe_line": False}, False)])
def test_the_api_creates_sequences_with_the_unsubscribe_line_by_default(
    api, mailbox, payload, expected
):
    response = api.post(
        "/api/v1/sequences",
        {"name": "API", "mailbox_ids": [mailbox.pk], **payload},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["unsubscribe_line"] is expected


def test_the_new_sequence_form_starts_with_the_unsubscribe_line_checked(web):
    page = web.get("/w/acme/outreach/sequences/new/").content.decode()

    [field] = [tag for tag in page.split("<input")[1:] if 'name="unsubscribe_line"' in tag]
    assert " checked" in field.split(">")[0]
