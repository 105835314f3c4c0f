"""A benchmark corpus of real prose: the project's own articles with every name replaced.

The template corpus (corpus.py) costs what its short, regular sentences cost; real articles
are longer, messier and hit many more rules. So this corpus is made of the real articles
(seeds/ and tests/articles/), copied as often as N needs, each copy with the names of its
people, characters and series replaced by invented ones: the same prose, other names.

Article `i` is source `i % S` in universe `i // S` (S sources). A universe renames every name
word the same way in all its articles, so a name recurs across them as in the real set, and
each universe is a new world of its own, as the template corpus grows one. The name words are
the words of the names the extractor finds (persons, characters, series) that are never
written in lower case in the articles' prose and are no word of the lexicon: "Lincoln" in
"The Lincoln Lawyer" is a name, "Lawyer" is language and stays. A word keeps its case
shape (Bosch, BOSCH, bosch in a URL's slug), and words are matched by the extractor's
comparison key (clean.key: "renee" in a slug is "Renée", a Cyrillic "Ӧnem" is "Önem").
The same sources, N and seed give the same files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from math import prod
from pathlib import Path

from corpus import write_articles

from bosch_kg.extract.clean import key
from bosch_kg.extract.config import LEXICON_PATH
from bosch_kg.extract.pipeline import extract_article

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"((?:[^\W\d_]|[\u0300-\u036f])+)")  # letters, and accents set apart
URL = re.compile(r"\S+://\S+|^url:.*$", re.MULTILINE)
NAMED = frozenset({"Person", "Character", "Series"})
#: An invented word alternates these letters, consonant first, as long as the word it
#: replaces: 18**3 * 5**3 = 729,000 words of six letters, 68,600 of five, 8,100 of four.
CONSONANTS, VOWELS = "bcdfghjklmnprstvwz", "aeiou"
SCATTER = 7_919  # a prime to every count of words: neighbouring numbers get unalike words


def sources() -> list[Path]:
    """The real articles the corpus is made of: the seeds and every test article."""
    return sorted((ROOT / "seeds").glob("*.txt")) + sorted(
        (ROOT / "tests" / "articles").rglob("*.txt")
    )


def _lexicon_words() -> set[str]:
    words: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            words.update(key(w) for w in WORD.findall(value))
        elif isinstance(value, dict):
            for name, item in value.items():
                walk(name)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8")))
    return words


@dataclass(frozen=True)
class Source:
    """One real article, cut into words and what lies between them."""

    parts: tuple[str, ...]  # re.split(WORD, text): odd indexes are words
    names: tuple[tuple[int, int], ...]  # (index into parts, name number) of each name word


class RealTextCorpus:
    """The real articles, renamed per universe; article(i) is the text of article i."""

    label = "real text"

    def __init__(self, paths: list[Path] | None = None, seed: int = 7) -> None:
        paths = paths or sources()
        texts = [p.read_text(encoding="utf-8") for p in paths]
        claims = [extract_article(p) for p in paths]
        prose = {key(w) for t in texts for w in WORD.findall(URL.sub(" ", t)) if w.islower()}
        excluded = prose | _lexicon_words()
        found = {
            key(word)
            for article in claims
            for claim in article.claims
            for entity in (claim.subject, claim.object, claim.series)
            if entity is not None and entity.kind in NAMED
            for word in WORD.findall(entity.name)
            if word[0].isupper() and len(word) > 1
        }
        self.words = sorted(found - excluded - {""})  # "The" has no key
        self._number = {word: i for i, word in enumerate(self.words)}
        self._excluded = excluded | found
        lengths = [len(word) for word in self.words]
        self._shapes = [(n, lengths[:i].count(n), lengths.count(n)) for i, n in enumerate(lengths)]
        self.sources = [self._cut(text) for text in texts]
        self.claims = [len(a.claims) for a in claims]
        self.seed = seed
        self._subjects = [(c.subject.kind, c.subject.name) for a in claims for c in a.claims]

    def _cut(self, text: str) -> Source:
        parts = tuple(WORD.split(text))
        names = tuple(
            (i, self._number[key(parts[i])])
            for i in range(1, len(parts), 2)
            if key(parts[i]) in self._number
        )
        return Source(parts, names)

    def invented(self, name: int, universe: int) -> str:
        """The invented word for name word `name` in `universe`, as long as the name word
        (the extractor weighs the length of names), no word of the prose or the lexicon.

        The words of one length are numbered across universes, so each pair gets its own
        word until that length runs out of them: a short name (four letters or fewer)
        recurs after some hundred universes, as first names do.
        """
        length, rank, peers = self._shapes[name]
        alphabets = [CONSONANTS if i % 2 == 0 else VOWELS for i in range(length)]
        words = prod(len(a) for a in alphabets)
        serial = (universe * peers + rank + self.seed) * SCATTER
        while True:
            letters, digits = [], serial % words
            for alphabet in alphabets:
                letters.append(alphabet[digits % len(alphabet)])
                digits //= len(alphabet)
            word = "".join(letters).capitalize()
            if key(word) not in self._excluded:
                return word
            serial += 1

    def article(self, number: int) -> str:
        """The text of article `number`: source number % S, renamed for universe number // S."""
        source = self.sources[number % len(self.sources)]
        return self._render(source, number // len(self.sources))

    def _render(self, source: Source, universe: int) -> str:
        parts = list(source.parts)
        for index, name in source.names:
            word, new = parts[index], self.invented(name, universe)
            parts[index] = new.upper() if word.isupper() else new.lower() if word.islower() else new
        return "".join(parts)

    def most_named(self, kind: str) -> str:
        """The name of `kind` (Series, Person) most claims have as subject, as universe 0
        spells it: a name the bound queries can ask for."""
        names = [name for k, name in self._subjects if k == kind]
        return self.rename(max(sorted(set(names)), key=names.count))

    def rename(self, text: str, universe: int = 0) -> str:
        """Any text, with the sources' name words as `universe` spells them."""
        return self._render(self._cut(text), universe)

    def write(self, folder: Path, articles: int) -> list[Path]:
        return write_articles(folder, self.article, articles)
