"""Every lead's social_handles and LinkedIn URL become its profile identities."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

from crm.normalize import InvalidValue
from integrations.feed.handles import handle_normalize, network_for_key

BATCH = 2000


def identities_from_leads(apps, schema_editor):
    Lead = apps.get_model("crm", "Lead")
    SocialIdentity = apps.get_model("feed", "SocialIdentity")
    now = timezone.now()
    leads = (
        Lead.objects.filter(Q(linkedin_url__isnull=False) | ~Q(social_handles={}))
        .values_list("pk", "workspace_id", "linkedin_url", "social_handles")
        .order_by("pk")
    )
    rows = []
    for pk, workspace_id, linkedin_url, handles in leads.iterator(chunk_size=BATCH):
        given = [("linkedin", linkedin_url)] if linkedin_url else []
        for key, raw in (handles or {}).items():
            network = network_for_key(str(key))
            if network and network != "linkedin" and raw:
                given.append((network, str(raw)))
        for network, raw in given:
            try:
                handle = handle_normalize(network, raw)
            except InvalidValue:
                continue  # a malformed handle stays in social_handles, as before
            rows.append(
                SocialIdentity(
                    workspace_id=workspace_id,
                    lead_id=pk,
                    network=handle.network,
                    value=handle.value,
                    resolved_url=handle.feed_url,
                    from_profile=True,
                    next_check_at=None if network == "linkedin" else now,
                )
            )
        if len(rows) >= BATCH:
            SocialIdentity.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    SocialIdentity.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("feed", "0001_initial")]

    operations = [migrations.RunPython(identities_from_leads, migrations.RunPython.noop)]
