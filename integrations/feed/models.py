"""Where a person's (or a company's) posts come from, and the posts themselves."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from crm.models import Company, Lead, Workspace


class Network(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    X = "x", "X"
    RSS = "rss", "RSS / Atom"
    YOUTUBE = "youtube", "YouTube"
    SUBSTACK = "substack", "Substack"
    MEDIUM = "medium", "Medium"
    HN = "hn", "Hacker News"
    WEBSITE = "website", "Website"


# LinkedIn has no open read API: its posts are pushed (API, CSV, pasted), never fetched.
PUSH_ONLY_NETWORKS = frozenset({Network.LINKEDIN})


class SocialIdentity(models.Model):
    """One handle or URL of a lead or a company on one network, with its fetch state.

    ``from_profile`` marks the identities mirrored from the lead's ``social_handles`` and
    LinkedIn URL (kept in step by the lead subscriber); others were added as sources.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, null=True, blank=True, related_name="social_identities"
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, null=True, blank=True, related_name="social_identities"
    )
    network = models.CharField(max_length=16, choices=Network.choices)
    # Canonical handle or URL (integrations.feed.handles).
    value = models.CharField(max_length=1000)
    from_profile = models.BooleanField(default=False)
    # Bluesky DID, Mastodon or X account id; resolved_url: the feed URL or the Mastodon host.
    resolved_id = models.CharField(max_length=200, blank=True)
    resolved_url = models.CharField(max_length=1000, blank=True)
    # Conditional GET validators of the last answer, and the newest id seen (Mastodon since_id).
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    cursor = models.CharField(max_length=100, blank=True)
    enabled = models.BooleanField(default=True)
    # NULL: never polled (LinkedIn). A new source is due at once.
    next_check_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Set after POST_SOURCE_MAX_FAILURES failures in a row or a permanent error (a handle that
    # does not resolve): not polled again until someone retries it.
    needs_attention = models.CharField(max_length=500, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "social identities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False) | models.Q(company__isnull=False),
                name="identity_has_owner",
            ),
            models.UniqueConstraint(
                fields=["lead", "network", "value"],
                condition=models.Q(lead__isnull=False),
                name="identity_unique_per_lead",
            ),
            models.UniqueConstraint(
                fields=["company", "network", "value"],
                condition=models.Q(lead__isnull=True),
                name="identity_unique_per_company",
            ),
        ]
        indexes = [
            # The scheduler's "what is due" walk: only sources it may poll are in the index.
            models.Index(
                fields=["next_check_at", "id"],
                condition=models.Q(enabled=True, needs_attention="", next_check_at__isnull=False),
                name="identity_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}:{self.value}"

    @property
    def owner_label(self) -> str:
        return "lead" if self.lead_id else "company"


class Post(models.Model):
    """A public post of a lead or a company, fetched or pushed; text sanitized before storing.

    ``lead`` is NULL for a company's own posts (its news feed); a lead's post also carries the
    lead's company. Deduplicated per workspace by network and external id (the URL when the
    source gives no id).
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    identity = models.ForeignKey(
        SocialIdentity, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    network = models.CharField(max_length=16, choices=Network.choices)
    external_id = models.CharField(max_length=500)
    url = models.CharField(max_length=1000)
    title = models.CharField(max_length=500, blank=True)
    # Plain text (tags stripped by nh3, entities decoded): templates escape it like any text.
    text = models.TextField(blank=True)
    # The same content as HTML reduced by nh3 to a safe subset (links, paragraphs, emphasis).
    html = models.TextField(blank=True)
    posted_at = models.DateTimeField()
    fetched_at = models.DateTimeField(auto_now_add=True)
    pushed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "external_id"], name="post_unique_external_id"
            ),
        ]
        indexes = [
            # Feed pages: newest first, keyset on (posted_at, id).
            models.Index(fields=["workspace", "-posted_at", "-id"], name="post_ws_posted"),
            # Companies' own posts newest first (the feed's lead filters read them apart).
            models.Index(
                fields=["workspace", "-posted_at", "-id"],
                condition=models.Q(lead__isnull=True),
                name="post_ws_company_news",
            ),
            models.Index(fields=["lead", "-posted_at"], name="post_lead_posted"),
            models.Index(fields=["company", "-posted_at"], name="post_company_posted"),
            # A pushed post is found again by its URL (200 with the existing post).
            models.Index(fields=["workspace", "url"], name="post_ws_url"),
            # Retention: the oldest posts go first.
            models.Index(fields=["posted_at"], name="post_posted"),
        ]

    def __str__(self) -> str:
        return self.url


class XReadUsage(models.Model):
    """Posts and users read from X's paid API this month, against X_MONTHLY_READ_BUDGET."""

    month = models.DateField(unique=True)
    reads = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.reads}"


# Engagements, daily goals and the feed's settings live in their own module.
from integrations.feed.engagement_models import DailyGoal, Engagement, FeedSettings  # noqa: E402, F401
