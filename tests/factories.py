"""Small records for tests: sources and texts made in memory."""

from __future__ import annotations

import datetime

from archive.base.records import Article, Source
from archive.site.markdown import render_body
from archive.site.model import Text

SOURCE = Source("gazette", "Gazette", None, "ru", None, "A paper.")
OTHER = Source("other", "Other", None, "en", None, "Another.")


def text(slug: str, date: str, **fields: object) -> Text:
    values: dict[str, object] = {"authors": ("Xi Jinping",), "language": "en"}
    values.update(fields)
    article = Article(
        path=f"{slug}.md",
        slug=slug,
        title=slug.title(),
        date=datetime.date.fromisoformat(date),
        source=SOURCE,
        body="Text.",
        body_line=5,
        **values,  # type: ignore[arg-type]
    )
    return Text(article, render_body(article.body))
