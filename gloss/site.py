"""The site model: the pages in the order readers see them, and the topic and
people indexes that cross transcripts."""

from __future__ import annotations

import datetime as dt

from .model import Page, Site, SiteModel


def order(page: Page) -> tuple[int, int, str]:
    date = page.meta.date or dt.date.min
    return (0 if page.meta.date else 1, -date.toordinal(), page.title.lower())


def make_site(pages: list[Page], site: Site) -> SiteModel:
    """Order pages (newest first) and index topics and people across transcripts."""
    ordered = sorted(pages, key=order)
    model = SiteModel(ordered, site.people, site.topics)
    model.topic_passages = {tid: [] for tid in site.topics}
    for page in ordered:
        for tid, passages in page.topics.items():
            model.topic_passages[tid].extend(passages)
        for s in page.speakers:
            if s.person:
                model.person_pages.setdefault(s.person, []).append(page)
        for quote in page.highlights:
            for s in quote.speakers:
                if s.person:
                    model.person_quotes.setdefault(s.person, []).append(quote)
    return model
