"""python manage.py add_post_source --workspace SLUG (--lead EMAIL | --lead-id ID |
--company DOMAIN) --kind rss|bluesky|mastodon|website|youtube|x --value URL_OR_HANDLE

Adds one source without fetching it and prints its id (the existing id when it was already
there). An unknown workspace, lead or company, or a malformed value: a message on stderr, exit 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.models import Company, Lead, Workspace
from crm.normalize import InvalidValue, domain_from_website, normalize_email
from integrations.feed.services.identities import identity_add

KINDS = ("rss", "bluesky", "mastodon", "website", "youtube", "x")


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Add a post source to a lead or a company (fetched at the next refresh)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--workspace", required=True, help="Workspace slug")
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--lead", dest="lead_email", help="The lead's email")
        owner.add_argument("--lead-id", dest="lead_id", type=int, help="The lead's id")
        owner.add_argument("--company", dest="company_domain", help="The company's domain")
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("--value", required=True, help="A feed or site URL, or a handle")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        workspace = Workspace.objects.filter(slug=opts["workspace"]).first()
        if workspace is None:
            raise _usage_error(f"No workspace with slug '{opts['workspace']}'.")
        lead, company = self._owner(workspace, opts)
        try:
            identity, _ = identity_add(
                workspace=workspace,
                actor=Actor.system("add_post_source"),
                network=opts["kind"],
                value=opts["value"],
                lead=lead,
                company=company,
            )
        except ValidationFailed as exc:
            detail = "; ".join(m for messages in exc.errors.values() for m in messages)
            raise _usage_error(detail or exc.message) from None
        self.stdout.write(str(identity.pk))

    def _owner(self, workspace: Workspace, opts: dict) -> tuple[Lead | None, Company | None]:
        if opts["lead_id"] is not None:
            lead = Lead.objects.filter(workspace=workspace, pk=opts["lead_id"]).first()
            if lead is None:
                raise _usage_error(f"No lead with id {opts['lead_id']} in '{workspace.slug}'.")
            return lead, None
        if opts["lead_email"] is not None:
            try:
                email = normalize_email(opts["lead_email"])
            except InvalidValue as exc:
                raise _usage_error(str(exc)) from None
            lead = Lead.objects.filter(workspace=workspace, email=email).first()
            if lead is None:
                raise _usage_error(f"No lead with email {email} in '{workspace.slug}'.")
            return lead, None
        domain = domain_from_website(opts["company_domain"]) or opts["company_domain"].lower()
        company = Company.objects.filter(workspace=workspace, domain=domain).first()
        if company is None:
            raise _usage_error(f"No company with domain {domain} in '{workspace.slug}'.")
        return None, company
