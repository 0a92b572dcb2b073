#!/usr/bin/env python3
"""A deterministic synthetic corpus in the archive's format, for timing builds.

    python3 bench/make_corpus.py --articles 1000 --out /tmp/corpus

writes OUT/content/{site.yaml,sources.yaml,articles/<year>/<slug>.md}. The same --articles and
--seed give the same bytes; the words are pseudo-random, the structure (headings, lists,
quotes, links, footnotes, many tags and names) is what a build pays for.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "people",
    "state",
    "party",
    "class",
    "workers",
    "labour",
    "capital",
    "power",
    "political",
    "economic",
    "social",
    "national",
    "government",
    "struggle",
    "movement",
    "revolution",
    "development",
    "policy",
    "history",
    "masses",
    "peasants",
    "industry",
    "production",
    "market",
    "trade",
    "war",
    "peace",
    "country",
    "international",
    "conference",
    "congress",
    "committee",
    "union",
    "strike",
    "wages",
    "land",
    "reform",
    "democracy",
    "freedom",
    "rights",
    "law",
    "constitution",
    "parliament",
    "election",
    "council",
    "cooperation",
    "relations",
    "security",
    "sovereignty",
    "crisis",
    "progress",
    "principle",
    "theory",
    "practice",
    "experience",
    "majority",
    "population",
    "cities",
    "villages",
    "region",
    "republic",
    "nation",
    "solidarity",
    "unity",
    "front",
    "alliance",
    "agreement",
    "treaty",
    "negotiations",
    "proposal",
    "resolution",
]
NAMES = [
    "Ana",
    "Boris",
    "Chen",
    "Dilnoza",
    "Émile",
    "Farid",
    "Greta",
    "Hiroshi",
    "Irina",
    "José",
    "Kwame",
    "Leila",
    "Miroslav",
    "Nadia",
]
SURNAMES = [
    "Abramov",
    "Bauer",
    "Castro",
    "Dimitrov",
    "Eriksen",
    "Fang",
    "Gómez",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kovač",
    "Lindqvist",
]
LANGUAGES = ["zh", "ru", "ar", "fa", "de", "fr", "es", "pt", "ja", "ko", "tr", "uk", "bg", "pl", "it"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def body(rng: random.Random) -> str:
    blocks, notes = [], []
    for i in range(rng.randint(8, 22)):
        if i and rng.random() < 0.2:
            blocks.append("## " + " ".join(rng.choices(WORDS, k=3)).capitalize())
        text = " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))
        if rng.random() < 0.3:
            text = text.replace(" the ", " *the* ", 1)
        if rng.random() < 0.2:
            text += f" See [the report](https://example.org/{rng.randint(1, 9999)})."
        if rng.random() < 0.25:
            notes.append(sentence(rng))
            text += f"[^{len(notes)}]"
        blocks.append(text)
        if rng.random() < 0.08:
            blocks.append("> " + sentence(rng) + f"\n>\n> — {person(rng)}")
        if rng.random() < 0.08:
            blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))))
    blocks += [f"[^{n}]: {note}" for n, note in enumerate(notes, 1)]
    return "\n\n".join(blocks) + "\n"


def article(seed: int, index: int, tags: list[str], sources: list[str]) -> tuple[str, str]:
    rng = random.Random(f"{seed}:{index}")
    year = rng.randint(1950, 2024)
    title = " ".join(rng.choices(WORDS, k=rng.randint(4, 9))).capitalize()
    chosen = sorted(
        set(rng.choices(tags, weights=[1 / (r + 1) for r in range(len(tags))], k=rng.randint(1, 5)))
    )
    front = [
        "---",
        f'title: "{title}"',
        f"date: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"source: {rng.choice(sources)}",
        f'authors: ["{person(rng)}"]',
        f'translators: ["{person(rng)}"]' if rng.random() < 0.7 else "translators: []",
        "language: en",
        f"original_language: {rng.choice(LANGUAGES)}",
        f"tags: [{', '.join(chosen)}]",
        "---",
        "",
    ]
    return f"{year}/text-{index}", "\n".join(front) + body(rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    content = args.out / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "articles").mkdir(parents=True)
    (content / "site.yaml").write_text(
        f"title: Benchmark archive ({args.articles} texts)\nlanguage: en\nbase_url: https://example.org/\n"
    )
    sources = [f"source-{n}" for n in range(40)]
    (content / "sources.yaml").write_text(
        "".join(
            f"{key}:\n  name: Source {n}\n  language: en\n  description: A publication.\n"
            for n, key in enumerate(sources)
        )
    )
    tags = [f"tag-{n}" for n in range(300)]
    for index in range(args.articles):
        name, text = article(args.seed, index, tags, sources)
        path = content / "articles" / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
