"""The demo workspace `make run` opens on: realistic leads, companies, lists, tags, notes, tasks.

Built through the same services as real data (so it also exercises them), deterministic (a seeded
random), and loaded once: a second run finds the workspace and leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from django.db import transaction
from django.utils import timezone

from crm.actors import Actor
from crm.models import Workspace
from crm.services.activities import note_add
from crm.services.custom_fields import custom_field_define
from crm.services.leads import lead_create
from crm.services.lists import list_add_leads, list_create
from crm.services.tags import leads_tag, tag_get_or_create
from crm.services.tasks import task_create
from crm.services.workspaces import membership_add, user_get_or_create, workspace_create
from pipelines.services import pipeline_settings_update

DEMO_SLUG = "demo"
DEMO_EMAIL = "demo@kindling.local"
DEMO_PASSWORD = "kindling-demo"
# A European team: deals, payments and the ARR field are in euros.
DEMO_CURRENCY = "EUR"

FIRST = [
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Lucas",
    "Mia",
    "Leo",
    "Zoe",
    "Hugo",
    "Chloe",
    "Arthur",
    "Lea",
    "Louis",
    "Sofia",
    "Jules",
    "Ines",
    "Gabriel",
    "Nina",
    "Adam",
    "Sarah",
    "Raphael",
    "Alice",
    "Ethan",
    "Maya",
    "Tom",
    "Clara",
    "Paul",
    "Julia",
    "Max",
    "Anna",
    "Felix",
    "Priya",
    "Arjun",
    "Yuki",
    "Kenji",
    "Mateo",
    "Lucia",
    "Diego",
    "Camila",
    "Oskar",
    "Freya",
    "Lars",
    "Astrid",
    "Jonas",
    "Elif",
    "Mehmet",
    "Amara",
    "Kwame",
    "Zanele",
    "Siobhan",
    "Declan",
    "Aoife",
    "Björn",
    "Zoë",
    "Renée",
    "José",
    "Ana",
    "Chiara",
    "Marco",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Schmidt",
    "Müller",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Rossi",
    "Russo",
    "Ferrari",
    "Garcia",
    "Martínez",
    "López",
    "González",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Nguyen",
    "Tran",
    "Kim",
    "Park",
    "Tanaka",
    "Sato",
    "Kowalski",
    "Nowak",
    "Andersson",
    "Johansson",
    "Hansen",
    "Nielsen",
    "Jensen",
    "O'Brien",
    "Murphy",
    "Kelly",
    "Okafor",
    "Mensah",
    "Patel",
    "Sharma",
    "Singh",
    "Cohen",
    "Levi",
    "Novak",
    "Horvat",
    "Papadopoulos",
    "Yilmaz",
    "Demir",
    "da",
    "Silva",
    "Santos",
    "Costa",
]
TITLES = (
    "Head of Sales",
    "VP Sales",
    "Founder & CEO",
    "Co-founder",
    "Head of Growth",
    "Marketing Director",
    "SDR Manager",
    "Revenue Operations Lead",
    "CTO",
    "Account Executive",
    "Chief Revenue Officer",
    "Head of Partnerships",
    "COO",
)
COMPANIES = (
    ("Northwind Analytics", "northwind-analytics.io", "Software", "51-200", "France"),
    ("Brightpath Logistics", "brightpath.co", "Logistics", "201-500", "Germany"),
    ("Lumen Health", "lumenhealth.com", "Healthcare", "11-50", "United Kingdom"),
    ("Cobalt Robotics Lab", "cobaltlab.ai", "Robotics", "51-200", "United States"),
    ("Fjord Payments", "fjordpay.no", "Fintech", "51-200", "Norway"),
    ("Atelier Verde", "atelierverde.it", "Retail", "11-50", "Italy"),
    ("Kestrel Security", "kestrelsec.com", "Cybersecurity", "201-500", "United States"),
    ("Maple & Pine Studio", "mapleandpine.ca", "Design", "2-10", "Canada"),
    ("Solstice Energy", "solstice-energy.es", "Energy", "501-1000", "Spain"),
    ("Quantum Ledger", "quantumledger.io", "Fintech", "11-50", "Netherlands"),
    ("Harbor Recruiting", "harborrecruit.com", "Staffing", "51-200", "Ireland"),
    ("Tidewater Foods", "tidewaterfoods.com", "Food & Beverage", "1001-5000", "United States"),
    ("Nimbus Cloudworks", "nimbuscloud.dev", "Software", "201-500", "Sweden"),
    ("Orchid Biotech", "orchidbio.ch", "Biotech", "51-200", "Switzerland"),
    ("Pioneer Freight", "pioneerfreight.pl", "Logistics", "201-500", "Poland"),
    ("Sakura Mobility", "sakuramobility.jp", "Automotive", "501-1000", "Japan"),
    ("Granite Legal", "granitelegal.com", "Legal", "11-50", "United Kingdom"),
    ("Helix Learning", "helixlearning.org", "Education", "51-200", "France"),
    ("Vanta Outdoor", "vantaoutdoor.com", "Retail", "201-500", "United States"),
    ("Aurora Media", "auroramedia.fr", "Media", "11-50", "France"),
    ("Copperleaf CRM", "copperleaf.app", "Software", "11-50", "Germany"),
    ("Bluewave Marine", "bluewave.gr", "Shipping", "51-200", "Greece"),
    ("Redwood Capital", "redwoodcap.com", "Finance", "11-50", "United States"),
    ("Zephyr Drones", "zephyrdrones.com", "Aerospace", "51-200", "Australia"),
    ("Mosaic Health Partners", "mosaichp.com", "Healthcare", "201-500", "United States"),
    ("Lattice Data", "latticedata.io", "Software", "51-200", "Denmark"),
    ("Ember Coffee Co", "embercoffee.com", "Food & Beverage", "11-50", "Australia"),
    ("Ironclad Manufacturing", "ironcladmfg.com", "Manufacturing", "1001-5000", "Germany"),
    ("Prism Insights", "prisminsights.co", "Market Research", "11-50", "Portugal"),
    ("Tandem HR", "tandemhr.io", "HR Tech", "51-200", "Belgium"),
)
CITIES = {
    "France": ("Paris", "Europe/Paris"),
    "Germany": ("Berlin", "Europe/Berlin"),
    "United Kingdom": ("London", "Europe/London"),
    "United States": ("New York", "America/New_York"),
    "Norway": ("Oslo", "Europe/Oslo"),
    "Italy": ("Milan", "Europe/Rome"),
    "Canada": ("Toronto", "America/Toronto"),
    "Spain": ("Madrid", "Europe/Madrid"),
    "Netherlands": ("Amsterdam", "Europe/Amsterdam"),
    "Ireland": ("Dublin", "Europe/Dublin"),
    "Sweden": ("Stockholm", "Europe/Stockholm"),
    "Switzerland": ("Zurich", "Europe/Zurich"),
    "Poland": ("Warsaw", "Europe/Warsaw"),
    "Japan": ("Tokyo", "Asia/Tokyo"),
    "Greece": ("Athens", "Europe/Athens"),
    "Australia": ("Sydney", "Australia/Sydney"),
    "Denmark": ("Copenhagen", "Europe/Copenhagen"),
    "Portugal": ("Lisbon", "Europe/Lisbon"),
    "Belgium": ("Brussels", "Europe/Brussels"),
}
NOTES = (
    "Posted about scaling their SDR team — good hook for a first message.",
    "Met at SaaStr, interested in multi-domain sending. Follow up after their Q3 planning.",
    "Replied to my comment on their hiring post. Warm — suggest a call.",
    "Uses a spreadsheet for prospecting today; pain: duplicates across reps.",
    "Asked for pricing for 5 seats. Send the one-pager.",
    "Quarterly catch-up: happy with results, open to introducing two peers.",
    "Liked our post on cold email deliverability.",
)
SOURCES = ("Apollo export", "Sales Navigator", "LinkedIn", "Referral", "Website form")
TAGS = (
    ("hot", "red"),
    ("decision-maker", "violet"),
    ("webinar-2026", "teal"),
    ("needs-nurture", "amber"),
)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower().replace(" ", "-") if c.isalnum() or c == "-")


def demo_load(*, leads: int = 300, seed: int = 42) -> Workspace:
    """Create the demo workspace and its owner (demo@kindling.local); a no-op when it exists."""
    existing = Workspace.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)
    with transaction.atomic():
        owner, _ = user_get_or_create(email=DEMO_EMAIL, password=DEMO_PASSWORD)
        owner.first_name, owner.last_name = "Dana", "Demo"
        owner.save(update_fields=["first_name", "last_name"])
        workspace = workspace_create(name="Demo Sales Team", slug=DEMO_SLUG, owner=owner)
        # Set before any lead is placed, so every deal of the demo is in the same currency.
        pipeline_settings_update(workspace=workspace, data={"default_currency": DEMO_CURRENCY})
        sdr, _ = user_get_or_create(email="sam.sdr@kindling.local", password=DEMO_PASSWORD)
        sdr.first_name, sdr.last_name = "Sam", "Seller"
        sdr.save(update_fields=["first_name", "last_name"])
        membership_add(workspace=workspace, user=sdr, role="member")
        actor = Actor.of_user(owner)
        custom_field_define(
            workspace=workspace,
            key="seniority",
            label="Seniority",
            field_type="choice",
            choices=["C-level", "VP", "Director", "Manager"],
        )
        custom_field_define(
            workspace=workspace, key="arr_eur", label=f"ARR ({DEMO_CURRENCY})", field_type="number"
        )
        created = []
        for i in range(leads):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name, domain, _industry, _size, country = rng.choice(COMPANIES)
            city, tz = CITIES[country]
            handle = f"{_slug(first)}-{_slug(last)}-{i}"
            data = {
                "first_name": first,
                "last_name": last,
                "email": f"{_slug(first)}.{_slug(last)}{i}@{domain}",
                "linkedin_url": f"https://www.linkedin.com/in/{handle}/",
                "title": rng.choice(TITLES),
                "company_name": name,
                "company_website": f"https://www.{domain}",
                "city": city,
                "country": country,
                "timezone": tz,
                "source": rng.choice(SOURCES),
                "owner_id": rng.choice([owner.pk, sdr.pk]),
                "custom_fields": {
                    "seniority": rng.choice(["C-level", "VP", "Director", "Manager"])
                },
            }
            lead, _ = lead_create(workspace=workspace, actor=actor, data=data)
            created.append(lead)
        ids = [lead.pk for lead in created]
        prospects = list_create(workspace=workspace, data={"name": "Q4 prospecting"})
        list_add_leads(lead_list=prospects, lead_ids=ids[:180], actor=actor)
        target = list_create(
            workspace=workspace, data={"name": "Target accounts", "kind": "target_accounts"}
        )
        list_add_leads(lead_list=target, lead_ids=ids[180:220], actor=actor)
        dream = list_create(workspace=workspace, data={"name": "Dream 100", "kind": "dream_100"})
        list_add_leads(lead_list=dream, lead_ids=ids[220:290], actor=actor)
        for name, color in TAGS:
            tag = tag_get_or_create(workspace=workspace, name=name, color=color)
            leads_tag(
                workspace=workspace,
                lead_ids=rng.sample(ids, min(40, len(ids))),
                tag=tag,
                actor=actor,
            )
        now = timezone.now()
        for lead in rng.sample(created, min(60, len(created))):
            note_add(lead=lead, body=rng.choice(NOTES), actor=actor)
        for n, lead in enumerate(rng.sample(created, min(25, len(created)))):
            task_create(
                workspace=workspace,
                actor=actor,
                lead=lead,
                data={
                    "title": f"Follow up with {lead.first_name}",
                    "kind": rng.choice(["follow_up", "engage", "catch_up"]),
                    "due_at": now + dt.timedelta(days=n % 9 - 3),
                },
            )
        # Imported here: the pipelines app is built on this one.
        from pipelines.demo import pipeline_demo_load

        pipeline_demo_load(workspace=workspace, leads=created, actor=actor)
        from outreach.demo import outreach_demo_load

        outreach_demo_load(workspace=workspace, leads=created, actor=actor)
    return workspace
