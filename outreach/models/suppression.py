from django.db import models

from crm.models import Workspace


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    HARD_BOUNCE = "hard_bounce", "Hard bounce"
    COMPLAINT = "complaint", "Complaint"
    MANUAL = "manual", "Manual"


class Suppression(models.Model):
    """An address (``jane@acme.com``) or a whole domain (``acme.com``) never to be emailed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="suppressions")
    # Lower-case; a value without "@" is a domain and covers every address at it.
    value = models.CharField(max_length=254)
    reason = models.CharField(max_length=14, choices=SuppressionReason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "value"], name="suppression_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.reason})"

    @property
    def is_domain(self) -> bool:
        return "@" not in self.value
