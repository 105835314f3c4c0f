"""Entity resolution across articles: which names are one thing, and what to call it.

Articles spell names differently (Renée/Renee, Samira/Zamira, a Cyrillic Ӧ for
a Latin Ö: look-alike letters are folded as the extractors fold them, by
extract/clean.py).  Names of one class are merged when their folded keys are equal,
or when they differ by one letter in one word and share a series; the
spelling most articles use becomes the label, the others alternative labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bosch_kg.extract.claims import Claim, Entity
from bosch_kg.extract.clean import fold_lookalikes

#: Words that do not tell two franchises apart ("the Bosch universe" = "Bosch franchise").
_FRANCHISE_FILLER = {"the", "universe", "franchise", "world", "saga", "tv", "cinematic"}


@cache  # a name recurs in thousands of claims; folding it is the costly part of assembly
def name_key(entity: Entity) -> str:
    """A key equal for spellings that differ only in case, accents, punctuation or script."""
    text = unicodedata.normalize("NFKD", fold_lookalikes(entity.name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[a-z0-9]+", text.replace("&", " and "))
    if entity.kind == "Franchise":
        words = [w for w in words if w not in _FRANCHISE_FILLER] or words
    return " ".join(words)


def search_key(text: str) -> str:
    """A name folded for search: case, accents, punctuation and look-alike letters ignored."""
    return name_key(Entity("Character", text))


def nearest_names(name: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names most like `name`, best first, for a hint when it names nothing."""
    return [found for found, _, _ in process.extract(name, names, scorer=fuzz.WRatio, limit=limit)]


def slug(key: str) -> str:
    """The IRI-safe form of a name key."""
    return key.replace(" ", "-") or "unnamed"


def _one_letter_apart(a: str, b: str) -> bool:
    """Same words but one, which differs by a single letter (Samira/Zamira Parker)."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    diffs = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return (
        len(diffs) == 1
        and min(len(diffs[0][0]), len(diffs[0][1])) >= 4
        and Levenshtein.distance(*diffs[0]) == 1
    )


def _unshout(name: str, spellings: Iterable[str]) -> str:
    """An all-capitals spelling ("BOSCH: LEGACY") counts as another article's mixed-case one."""
    if not name.isupper():
        return name
    same = [n for n in spellings if n.casefold() == name.casefold() and not n.isupper()]
    return min(same) if same else name


#: (kind, name key): a cluster of spellings before near ones are merged.
NameKey = tuple[str, str]


@dataclass(frozen=True)
class Mentions:
    """What one article tells the resolver: the names it uses and the series it names
    people and characters with.  A build keeps these per article, so it can resolve
    names across every article without reading their claims again."""

    entities: frozenset[Entity]
    #: (person or character, series) pairs named in one claim
    contexts: frozenset[tuple[Entity, Entity]]

    @classmethod
    def of(cls, claims: Iterable[Claim]) -> Mentions:
        entities, contexts = set(), set()
        for claim in claims:
            for entity in (claim.subject, claim.object, claim.series):
                if entity is not None:
                    entities.add(entity)
                    if claim.series is not None and entity.kind in ("Person", "Character"):
                        contexts.add((entity, claim.series))
        return cls(frozenset(entities), frozenset(contexts))


@dataclass
class NameCounts:
    """Names across articles: how many articles use each spelling of each cluster, and the
    series each person or character is named with.  All the resolver needs."""

    spellings: dict[NameKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    context: dict[NameKey, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, mentions: Mentions) -> None:
        """Count one article's mentions (a spelling once per article)."""
        spelled = {(e.kind, name_key(e), fold_lookalikes(e.name)) for e in mentions.entities}
        for kind, key, name in spelled:
            self.spellings[(kind, key)][name] += 1
        for entity, series in mentions.contexts:
            self.context[(entity.kind, name_key(entity))].add(name_key(series))


class Resolver:
    """Maps every entity of a claim set to one canonical key and its labels."""

    def __init__(self, names: NameCounts) -> None:
        self._spellings = {k: set(spelled) for k, spelled in names.spellings.items()}
        self._naming: dict[Entity, tuple[str, str, str]] = {}
        self._canonical = _merge_near_spellings(names.spellings, names.context)
        counts: dict[NameKey, Counter[str]] = defaultdict(Counter)
        for (kind, key), spelled in names.spellings.items():
            target = (kind, self._canonical.get((kind, key), key))
            for name, articles in spelled.items():
                counts[target][_unshout(name, spelled)] += articles
        #: labels of each cluster, preferred first: most articles, then the fuller
        #: spelling (accents kept), then A-Z
        self.labels = {
            target: sorted(c, key=lambda n, c=c: (-c[n], -len(n.encode()), n))
            for target, c in counts.items()
        }

    @classmethod
    def of(cls, claims: Iterable[Iterable[Claim]]) -> Resolver:
        """The resolver of some articles' claims (one iterable of claims per article)."""
        names = NameCounts()
        for article in claims:
            names.add(Mentions.of(article))
        return cls(names)

    def key(self, entity: Entity) -> str:
        """The canonical key of an entity (after merging near spellings)."""
        key = name_key(entity)
        return self._canonical.get((entity.kind, key), key)

    def spelling(self, entity: Entity) -> str:
        """The entity's name as a label: look-alike letters folded, capitals unshouted."""
        name = fold_lookalikes(entity.name)
        return _unshout(name, self._spellings[(entity.kind, name_key(entity))])

    def label(self, entity: Entity) -> str:
        """The preferred label of the entity's cluster."""
        return self.labels[(entity.kind, self.key(entity))][0]

    def naming(self, entity: Entity) -> tuple[str, str, str]:
        """All the graph takes from the resolver about an entity: key, spelling, label."""
        found = self._naming.get(entity)
        if found is None:
            found = (self.key(entity), self.spelling(entity), self.label(entity))
            self._naming[entity] = found
        return found


def _merge_near_spellings(
    spellings: dict[NameKey, Counter[str]], context: dict[NameKey, set[str]]
) -> dict[NameKey, str]:
    """Point the rarer of two near-identical names that share a series at the other.

    Only names that are the same but for one word are compared (found through
    each name's forms with one word left out), so the work grows with the
    number of names, not with its square.
    """
    canonical: dict[NameKey, str] = {}
    for kind in ("Person", "Character"):
        weight = {key: sum(c.values()) for (k, key), c in spellings.items() if k == kind}
        keys = sorted(weight, key=lambda k: (-weight[k], k))
        rank = {key: i for i, key in enumerate(keys)}
        alike: dict[tuple[int, tuple[str, ...]], list[str]] = defaultdict(list)
        for key in keys:
            for form in _one_word_out(key):
                alike[form].append(key)
        for strong in keys:
            if (kind, strong) in canonical:
                continue
            series = context.get((kind, strong), set())
            near = {
                weak
                for form in _one_word_out(strong)
                for weak in alike[form]
                if rank[weak] > rank[strong]
            }
            for weak in sorted(near, key=rank.__getitem__):
                if (
                    (kind, weak) not in canonical
                    and series & context.get((kind, weak), set())
                    and _one_letter_apart(strong, weak)
                ):
                    canonical[(kind, weak)] = strong
    return canonical


def _one_word_out(key: str) -> list[tuple[int, tuple[str, ...]]]:
    """A name of two words or more with each word in turn left out (and where it was)."""
    words = tuple(key.split())
    if len(words) < 2:
        return []
    return [(i, words[:i] + words[i + 1 :]) for i in range(len(words))]
