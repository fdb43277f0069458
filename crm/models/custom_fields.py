from django.db import models

from crm.models.workspaces import Workspace


class CustomFieldType(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice"


class CustomFieldDefinition(models.Model):
    """A workspace's own field on leads or companies; values live in the record's JSON."""

    ENTITIES = (("lead", "Lead"), ("company", "Company"))

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="custom_fields")
    entity = models.CharField(max_length=10, choices=ENTITIES, default="lead")
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=100)
    field_type = models.CharField(
        max_length=10, choices=CustomFieldType.choices, default=CustomFieldType.TEXT
    )
    choices = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "entity", "key"], name="customfield_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.label
