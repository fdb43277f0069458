"""Thin Celery tasks of the feed: a refresh pass over due sources, and retention."""

from __future__ import annotations

from celery import shared_task

from integrations.feed.refresh import refresh_sources
from integrations.feed.services.posts import posts_prune


@shared_task(name="feed.refresh_due_sources", ignore_result=True)
def refresh_due_sources() -> None:
    refresh_sources()


@shared_task(name="feed.prune_old_posts", ignore_result=True)
def prune_old_posts() -> None:
    posts_prune()
