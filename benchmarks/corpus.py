"""A synthetic corpus of articles about invented series, for the benchmark.

Reviews, casting news and renewal notes, written from templates phrased like
the seed articles so the real extractor finds their facts. Its sentences are
shorter and more regular than real prose, so they cost less to extract: the
benchmark's default corpus is realtext.py's, this one is `--corpus templates`.  The invented
world grows with the corpus (about one series per ten articles, a cast of
actors and characters for each), so names recur across articles and the
graph grows as a real one would.  The same N and seed give the same files.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIRST = (
    "Adrian Bella Carmen Dorian Elena Felix Greta Hector Iris Jonah Kira Lionel Mara Nolan "
    "Odile Petra Quentin Rosa Silas Talia Ulric Vera Wade Xenia Yara Zane Marisol Caspian"
).split()
LAST = (
    "Abernathy Blackwood Castellano Delacroix Everhart Fairbanks Galloway Holloway Ingram "
    "Jarrow Kesterton Lindqvist Montague Northcott Okonkwo Pemberton Quarrington Ravensworth "
    "Sandoval Thistlewood Underhill Vasquez Whitlock Yardley Zelinski Ashcombe Brightwater"
).split()
PLACE = (
    "Harbor Canyon Meridian Ashgrove Ironside Saltmarsh Redwater Hollow Lantern Granite "
    "Sierra Cobalt Ember Marlow Quarry Bayside"
).split()
NOUN = "Files Blue Division Watch Street Protocol Shift Ledger Verdict Precinct".split()
NETWORKS = ("Prime Video", "Netflix", "Hulu", "Peacock", "Freevee", "Apple TV+")
RELATIONS = ("grandmother", "sister", "brother", "mentor", "partner")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
FILLER = (
    "The pacing rewards patience, and the writing trusts its audience to keep up with the "
    "procedural detail without a recap every few minutes. ",
    "Much of the season is shot at night, and the photography makes the city look both "
    "tired and beautiful, which suits the tone of the stories it tells. ",
    "Several episodes linger on small moments between cases, and those quiet scenes end up "
    "being the ones that stay with you after the credits roll. ",
    "There are a few clumsy stretches in the middle of the season, where a subplot about "
    "internal politics goes on longer than it should. ",
    "The music is restrained and never tells you what to feel, which is rarer than it "
    "should be in a crime drama of this kind. ",
    "By the final episodes the threads come together in a way that feels earned rather "
    "than engineered for a cliffhanger. ",
)


@dataclass(frozen=True)
class Series:
    title: str
    network: str
    premiered: str
    episodes: int
    creators: tuple[str, str]
    cast: tuple[tuple[str, str], ...]  # (actor, character)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def invent_world(articles: int, seed: int = 7) -> list[Series]:
    """The invented series: about one per ten articles, each with a cast of twelve."""
    rng = random.Random(seed)
    titles: set[str] = set()
    while len(titles) < max(5, articles // 10):
        if len(titles) < len(PLACE) * len(NOUN):
            titles.add(f"{rng.choice(PLACE)} {rng.choice(NOUN)}")
        else:  # every two-word title is taken (N above 1,600): two places and a noun
            titles.add(f"{rng.choice(PLACE)} {rng.choice(PLACE)} {rng.choice(NOUN)}")
    world = []
    for title in sorted(titles):
        cast = tuple((_person(rng), _person(rng)) for _ in range(12))
        date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2014, 2025)}"
        world.append(
            Series(
                title,
                rng.choice(NETWORKS),
                date,
                rng.randint(6, 12),
                (_person(rng), _person(rng)),
                cast,
            )
        )
    return world


def _filler(rng: random.Random, sentences: int) -> str:
    return "".join(rng.choice(FILLER) for _ in range(2 * sentences)).strip()


def review(rng: random.Random, series: Series, world: list[Series]) -> str:
    """A review: byline, premiere, network, creators, cast, relations, comparisons, rating."""
    cast = rng.sample(series.cast, 8)
    others = rng.sample([s.title for s in world if s is not series], 3)
    (a1, c1), (a2, c2), (a3, c3) = cast[:3]
    lines = [
        f"{series.title} Review: A Crime Drama That Earns Its Darkness",
        "",
        _person(rng),
        "",
        f"{series.title} premiered {series.premiered} on {series.network}. "
        f"The series comes from creators {series.creators[0]} and {series.creators[1]}. "
        f"{_filler(rng, 3)}",
        "",
        f"{a1} stars as Detective {c1}. {a2} plays {c2}, and {a3} plays {c3}. {_filler(rng, 3)}",
        "",
        f"{c3} is {c1}'s {rng.choice(RELATIONS)}. {_filler(rng, 2)}",
        "",
        "The cast also includes "
        + ", ".join(f"{a} as {c}" for a, c in cast[3:7])
        + f", and {cast[7][0]} as {cast[7][1]}. {_filler(rng, 3)}",
        "",
        f"The season has {series.episodes} episodes. "
        f"If you're a fan of shows like {others[0]}, {others[1]} or {others[2]}, "
        f"this one is for you. {_filler(rng, 4)}",
        "",
        f"Rating: {rng.randint(2, 5)}/5",
        f"Verdict: {rng.choice(('Stream It!', 'Skip It!'))}",
    ]
    return "\n".join(lines) + "\n"


def casting_news(rng: random.Random, series: Series, world: list[Series]) -> str:
    """Casting news: new actors join a series as named characters."""
    joined = rng.sample(series.cast, 6)
    lines = [f"{series.title} Adds Six to Its Cast for Season Two", ""]
    for actor, character in joined:
        lines.append(f"{actor} is set to join {series.title} as {character}. {_filler(rng, 2)}")
        lines.append("")
    lines.append(
        f"{series.title} streams on {series.network}. It premiered {series.premiered}. "
        f"{_filler(rng, 4)}"
    )
    return "\n".join(lines) + "\n"


def renewal(rng: random.Random, series: Series, world: list[Series]) -> str:
    """A renewal note: network, episodes, showrunner, returning cast."""
    (a1, c1), (a2, c2), (a3, c3) = rng.sample(series.cast, 3)
    lines = [
        f"{series.network} Renews {series.title} for Another Season",
        "",
        f"{series.network} has renewed {series.title}, which premiered {series.premiered}. "
        f"The new season will have {series.episodes} episodes. {_filler(rng, 3)}",
        "",
        f"Showrunner {series.creators[0]} returns. {a1} returns as {c1}, "
        f"{a2} as {c2} and {a3} as {c3}. {_filler(rng, 4)}",
        "",
        _filler(rng, 6),
    ]
    return "\n".join(lines) + "\n"


KINDS = (review, review, casting_news, renewal)


def article(number: int, world: list[Series], seed: int = 7) -> str:
    """The text of article `number`: its kind and series follow from the number and seed."""
    rng = random.Random(seed * 1_000_003 + number)
    return rng.choice(KINDS)(rng, rng.choice(world), world)


def write_articles(folder: Path, article: Callable[[int], str], articles: int) -> list[Path]:
    """Write article(0) ... article(articles - 1) into `folder` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(articles):
        path = folder / f"a{number:06d}.txt"
        path.write_text(article(number), encoding="utf-8")
        paths.append(path)
    return paths


def write_corpus(folder: Path, articles: int, seed: int = 7) -> list[Path]:
    """Write `articles` template article files into `folder` and return their paths."""
    return TemplateCorpus(articles, seed).write(folder, articles)


class TemplateCorpus:
    """The template corpus for N articles, as the benchmark uses a corpus."""

    label = "templates"

    def __init__(self, articles: int, seed: int = 7) -> None:
        self.world, self.seed = invent_world(articles, seed), seed

    def article(self, number: int) -> str:
        return article(number, self.world, self.seed)

    def write(self, folder: Path, articles: int) -> list[Path]:
        return write_articles(folder, self.article, articles)

    def most_named(self, kind: str) -> str:
        """A series (kind Series) or an actor (Person) the corpus names, for bound queries."""
        return self.world[0].title if kind == "Series" else self.world[0].cast[0][0]
