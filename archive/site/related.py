"""Related texts: for each text, a few others that share its authors, tags or source.

Scoring: a shared author counts 3, a shared tag 2, the same source 1; a text must score at least
MINIMUM (a source alone is not enough), the versions of its own work are left out (the page
lists them apart), and of another work only its best version is kept. Within each author, tag
and source only the NEAREST texts nearest in date on either side are looked at, so a tag of
thousands of texts costs no more than a small one. The SHOWN best are kept, by score, then
nearness in date, then the site's order (newest first, then title): the same texts give the
same lists.

The lists depend on each text's URL, date, work, authors, tags and source alone: a build keeps
them with that digest, and a rebuild whose texts changed only in other ways (their words) takes
them as they were.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from archive.base.records import digest_text
from archive.site.model import Site, Text

WEIGHTS = {"authors": 3, "tags": 2, "sources": 1}
NEAREST = 6  # texts looked at on each side of a text, in each of its groups
SHOWN = 4
MINIMUM = 2

RelatedUrls = dict[str, tuple[str, ...]]  # a text's URL -> the URLs of its related texts, best first


def features_key(texts: Sequence[Text]) -> str:
    """A digest of all the lists are made from."""
    return digest_text("".join([text.article.relation_key for text in texts]))


def related_urls(site: Site) -> RelatedUrls:
    """Every text's related texts, by URL (a text with none is absent)."""
    scores: dict[int, Counter[int]] = defaultdict(Counter)
    index = {id(text): n for n, text in enumerate(site.texts)}
    for kind, weight in WEIGHTS.items():
        for term in getattr(site, kind).terms:
            members = [index[id(t)] for t in term.texts]  # newest first
            if len(members) < 2:
                continue
            for position, member in enumerate(members):
                # Counted weight times over (the text itself too, dropped below): Counter's
                # update counts a list in C, a tenth of the time of a loop here.
                scores[member].update(members[max(0, position - NEAREST) : position + NEAREST + 1] * weight)
    for member, counted in scores.items():
        del counted[member]
    days = [text.article.date.toordinal() for text in site.texts]
    works = [text.article.work for text in site.texts]
    found = {}
    for member, counted in scores.items():
        day, work = days[member], works[member]
        ranked = sorted(
            (-score, abs(days[other] - day), other)
            for other, score in counted.items()
            if score >= MINIMUM and not (work and works[other] == work)
        )
        chosen = one_version_each(ranked, works)
        if chosen:
            found[site.texts[member].url] = tuple(site.texts[other].url for other in chosen)
    return found


def one_version_each(ranked: list[tuple[int, int, int]], works: list[str | None]) -> list[int]:
    """The best SHOWN, a work's best version only (its page lists the others)."""
    chosen: list[int] = []
    seen: set[str] = set()
    for _, _, other in ranked:
        work = works[other]
        if work in seen:
            continue
        if work:
            seen.add(work)
        chosen.append(other)
        if len(chosen) == SHOWN:
            break
    return chosen


def related_texts(site: Site, found: RelatedUrls) -> dict[str, tuple[Text, ...]]:
    """The related texts themselves, by the URL of the text they are related to."""
    by_url = {text.url: text for text in site.texts}
    return {url: tuple(by_url[other] for other in others) for url, others in found.items()}
