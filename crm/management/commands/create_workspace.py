from django.core.management.base import BaseCommand, CommandError

from crm.errors import DomainError
from crm.services.workspaces import user_get_or_create, workspace_create


class Command(BaseCommand):
    help = "Create a workspace and its owner (prints a generated password for a new owner)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="URL name of the workspace, e.g. acme")
        parser.add_argument("--owner", required=True, help="Owner's email")
        parser.add_argument("--name", default="", help="Display name (default: the slug)")
        parser.add_argument("--password", default=None, help="Owner's password (new users only)")

    def handle(self, *args, slug, owner, name, password, **options):
        try:
            user, generated = user_get_or_create(email=owner, password=password)
            workspace = workspace_create(name=name or slug, slug=slug, owner=user)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Created workspace '{workspace.slug}' owned by {user.email}")
        if generated:
            self.stdout.write(f"Password for {user.email}: {generated}")
