from django.db import models
from django.db.models.functions import Lower

from crm.models.workspaces import Workspace


class ListKind(models.TextChoices):
    PROSPECTING = "prospecting", "Prospecting"
    DREAM_100 = "dream_100", "Dream 100"
    TARGET_ACCOUNTS = "target_accounts", "Target accounts"
    INFLUENCERS = "influencers", "Influencers"
    CUSTOMERS = "customers", "Customers"
    OTHER = "other", "Other"


# Sizes the selling methods behind these kinds call for; a new list of the kind starts with it.
DEFAULT_SIZE_LIMITS = {ListKind.DREAM_100: 100, ListKind.TARGET_ACCOUNTS: 40}


class LeadList(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="lead_lists")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=ListKind.choices, default=ListKind.PROSPECTING)
    size_limit = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("workspace", Lower("name"), name="leadlist_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ListMembership(models.Model):
    # Indexed by listmembership_unique, which starts with it.
    lead_list = models.ForeignKey(
        LeadList, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    lead = models.ForeignKey("crm.Lead", on_delete=models.CASCADE, related_name="memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lead_list", "lead"], name="listmembership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lead_id} in {self.lead_list_id}"
