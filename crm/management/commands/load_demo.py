from django.core.management.base import BaseCommand

from crm.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SLUG, demo_load
from crm.models import Workspace


class Command(BaseCommand):
    help = "Load the demo workspace (once): a few hundred leads, companies, lists, notes, tasks."

    def add_arguments(self, parser):
        parser.add_argument("--leads", type=int, default=300)

    def handle(self, *args, leads, **options):
        existed = Workspace.objects.filter(slug=DEMO_SLUG).exists()
        demo_load(leads=leads)
        state = "already loaded" if existed else "loaded"
        self.stdout.write(f"Demo workspace {state}. Log in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
