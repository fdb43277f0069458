from django.db import models


class QuotaScope(models.TextChoices):
    MAILBOX = "mailbox", "Mailbox"
    DOMAIN = "domain", "Sending domain"


class DailyQuota(models.Model):
    """Units reserved on one day by a mailbox or a sending domain.

    Only ``outreach.caps.quota_reserve`` writes ``used``, with one conditional UPDATE, so no
    number of workers can push it past the cap.
    """

    scope = models.CharField(max_length=8, choices=QuotaScope.choices)
    owner_id = models.BigIntegerField()  # the mailbox's or the domain's id
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "owner_id", "day"], name="quota_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.owner_id} on {self.day}: {self.used}"
