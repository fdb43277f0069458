"""factory_boy factories for test data, written straight to the ORM (fast, explicit)."""

from __future__ import annotations

import factory

from crm.models import Company, Lead, LeadList, Tag, Task
from crm.normalize import search_text


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    domain = factory.Sequence(lambda n: f"company{n}.test")


FIRST_NAMES = ("Amara", "Bjorn", "Chidi", "Dagny", "Eero", "Farah", "Goran", "Hana", "Ilse")
LAST_NAMES = ("Okafor", "Lindqvist", "Nakamura", "Petrov", "Quispe", "Svensson", "Tanaka")


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    # Names from fixed lists, not Faker: a random "Rivera" would match a search test's "Rivera".
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: LAST_NAMES[n % len(LAST_NAMES)])
    email = factory.Sequence(lambda n: f"lead{n}@prospect{n % 7}.test")
    title = "Head of Sales"
    country = "France"
    search_text = factory.LazyAttribute(
        lambda o: search_text(o.first_name, o.last_name, o.email, o.title)
    )


class LeadListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadList

    name = factory.Sequence(lambda n: f"List {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag-{n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Follow up {n}")
