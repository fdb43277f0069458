"""The facts a draft may use, numbered: the lead, its company and its recent posts.

Each source is one short fact; the model must cite the ids of the ones it used, and a draft
citing none (or an id that was not given) is refused. Only facts beyond the lead's name and
company are "usable": without one there is nothing specific to say, so no call is made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from crm.models import Lead
from outreach.hooks import recent_posts
from pipelines.models import PipelineEntry

POSTS = 3
POST_CHARS = 600


@dataclass(frozen=True)
class Source:
    id: int
    kind: str  # lead, company, post
    text: str
    usable: bool = True  # False for the name and company alone: not enough to personalize

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _location(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def lead_sources(lead: Lead) -> list[Source]:
    """Numbered sources for one lead (its company and posts included), in a stable order."""
    facts: list[tuple[str, str, bool]] = []
    if lead.full_name:
        facts.append(("lead", f"The lead's name is {lead.full_name}.", False))
    if lead.title:
        facts.append(("lead", f"{lead.full_name or 'The lead'} works as {lead.title}.", True))
    company = lead.company
    if company is not None:
        facts.append(("lead", f"The lead works at {company.name}.", False))
        if company.industry:
            facts.append(("company", f"{company.name} is in {company.industry}.", True))
        if company.size:
            facts.append(("company", f"{company.name} has {company.size} employees.", True))
        where = _location(company.city, company.region, company.country)
        if where:
            facts.append(("company", f"{company.name} is based in {where}.", True))
        if company.technologies:
            tech = ", ".join(str(t) for t in company.technologies[:10])
            facts.append(("company", f"{company.name} uses {tech}.", True))
    entry = (
        PipelineEntry.objects.filter(lead=lead, pipeline__is_default=True)
        .select_related("stage")
        .first()
    )
    if entry is not None:
        facts.append(("lead", f"The lead is at the stage {entry.stage.name!r}.", False))
    for post in recent_posts(lead, POSTS):
        when = post.posted_at.date().isoformat() if post.posted_at else "recently"
        text = " ".join(post.text.split())[:POST_CHARS]
        facts.append(("post", f"On {when} the lead posted on {post.network}: {text}", True))
    return [Source(id=n, kind=k, text=t, usable=u) for n, (k, t, u) in enumerate(facts, 1)]


def has_usable(sources: list[Source]) -> bool:
    return any(s.usable for s in sources)
