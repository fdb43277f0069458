from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from crm.errors import DomainError
from crm.models import Workspace
from crm.services.api_keys import api_key_create


class Command(BaseCommand):
    help = "Issue an API key for a member of a workspace; the token is printed once."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="Workspace slug")
        parser.add_argument("--user", required=True, help="Member's email")
        parser.add_argument("--name", default="cli", help="A label for the key")

    def handle(self, *args, workspace, user, name, **options):
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace '{workspace}'.")
        person = get_user_model().objects.filter(email__iexact=user.strip()).first()
        if person is None:
            raise CommandError(f"No user with email {user}.")
        try:
            _, token = api_key_create(workspace=ws, user=person, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(token)
