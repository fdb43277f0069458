import datetime as dt

from django.db import models

from crm.models import Workspace


class DomainState(models.TextChoices):
    WARMING = "warming", "Warming up"
    READY = "ready", "Ready"
    PAUSED = "paused", "Paused"


class SendingDomain(models.Model):
    """A domain cold email goes out from. Its age starts the warm-up; its cap spans mailboxes."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="sending_domains"
    )
    domain = models.CharField(max_length=253)
    # Midnight here resets the domain's daily count, whatever the mailboxes' own time zones.
    timezone = models.CharField(max_length=64, default="UTC")
    added_on = models.DateField()
    warmup_days = models.PositiveSmallIntegerField(default=14)
    daily_cap = models.PositiveIntegerField(default=30)
    # Only "paused" is set by hand or by the deliverability checks; warming vs ready follows
    # from the dates (see ``state_on``), the stored value is refreshed for lists and filters.
    state = models.CharField(
        max_length=10, choices=DomainState.choices, default=DomainState.WARMING
    )
    paused_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "domain"], name="sendingdomain_unique")
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def warm_on(self) -> dt.date:
        """The first day its mailboxes may send sequence email."""
        return self.added_on + dt.timedelta(days=self.warmup_days)

    def warmup_days_left(self, today: dt.date) -> int:
        return max(0, (self.warm_on - today).days)

    def state_on(self, today: dt.date) -> str:
        if self.state == DomainState.PAUSED:
            return DomainState.PAUSED
        return DomainState.READY if today >= self.warm_on else DomainState.WARMING
