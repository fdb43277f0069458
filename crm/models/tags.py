from django.db import models
from django.db.models.functions import Lower

from crm.models.workspaces import Workspace


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)
    color = models.CharField(max_length=20, default="slate")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("workspace", Lower("name"), name="tag_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class LeadTag(models.Model):
    lead = models.ForeignKey("crm.Lead", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "lead"], name="leadtag_unique")]

    def __str__(self) -> str:
        return f"{self.lead_id} in {self.tag_id}"
