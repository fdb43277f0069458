from django.db import models
from django.db.models.functions import Lower

from crm.models.workspaces import Workspace


class Company(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(max_length=200)
    # Normalized bare domain ("acme.com"); derived from a website or a work email, never free mail.
    domain = models.CharField(max_length=253, null=True, blank=True)
    website = models.CharField(max_length=500, blank=True)
    industry = models.CharField(max_length=120, blank=True)
    size = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    technologies = models.JSONField(default=list, blank=True)
    linkedin_url = models.CharField(max_length=300, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "domain"],
                condition=models.Q(domain__isnull=False),
                name="company_unique_domain",
            )
        ]
        indexes = [models.Index("workspace", Lower("name"), name="company_ws_name")]

    def __str__(self) -> str:
        return self.name
