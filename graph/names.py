"""Entity resolution across articles: which names are one thing, and what to call it.

Articles spell names differently (Renée/Renee, Samira/Zamira, a Cyrillic Ӧ for
a Latin Ö).  Names of one class are merged when their folded keys are equal,
or when they differ by one letter in one word and share a series; the
spelling most articles use becomes the label, the others alternative labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache

from rapidfuzz.distance import Levenshtein

from bosch_kg.extract.claims import Claim, Entity

#: Letters from other scripts that look like Latin ones (Unicode confusables, the common part).
_LOOKALIKES = str.maketrans(
    "АВЕЗІЈКМНОРСТУХЅаеіјорсухѕӦӧӒӓӰӱΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοι",
    "ABE3IJKMHOPCTYXSaeijopcyxsÖöÄäŸÿABEZHIKMNOPTYXaoi",
)

#: Words that do not tell two franchises apart ("the Bosch universe" = "Bosch franchise").
_FRANCHISE_FILLER = {"the", "universe", "franchise", "world", "saga", "tv", "cinematic"}


@cache  # names recur in thousands of claims
def fold_lookalikes(text: str) -> str:
    """Replace look-alike letters from other scripts by the Latin letters they imitate."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).translate(_LOOKALIKES))


@cache  # a name recurs in thousands of claims; folding it is the costly part of assembly
def name_key(entity: Entity) -> str:
    """A key equal for spellings that differ only in case, accents, punctuation or script."""
    text = unicodedata.normalize("NFKD", fold_lookalikes(entity.name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[a-z0-9]+", text.replace("&", " and "))
    if entity.kind == "Franchise":
        words = [w for w in words if w not in _FRANCHISE_FILLER] or words
    return " ".join(words)


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


def _series_context(claims: Iterable[Claim]) -> dict[tuple[str, str], set[str]]:
    """For each (kind, key), the keys of the series it is named with."""
    context: dict[tuple[str, str], set[str]] = defaultdict(set)
    for claim in claims:
        if claim.series is None:
            continue
        series = name_key(claim.series)
        for entity in (claim.subject, claim.object):
            if entity is not None and entity.kind in ("Person", "Character"):
                context[(entity.kind, name_key(entity))].add(series)
    return context


class Resolver:
    """Maps every entity of a claim set to one canonical key and its labels."""

    def __init__(self, claims: list[Claim]) -> None:
        articles: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for claim in claims:
            for entity in (claim.subject, claim.object, claim.series):
                if entity is not None:
                    spelled = articles[(entity.kind, name_key(entity))]
                    spelled[fold_lookalikes(entity.name)].add(claim.evidence.article)
        self._spellings = {k: set(spelled) for k, spelled in articles.items()}
        self._naming: dict[Entity, tuple[str, str, str]] = {}
        self._canonical = _merge_near_spellings(articles, _series_context(claims))
        counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for (kind, key), spelled in articles.items():
            target = (kind, self._canonical.get((kind, key), key))
            for name, arts in spelled.items():
                counts[target][_unshout(name, spelled)] += len(arts)
        #: labels of each cluster, preferred first: most articles, then the fuller
        #: spelling (accents kept), then A-Z
        self.labels = {
            target: sorted(c, key=lambda n, c=c: (-c[n], -len(n.encode()), n))
            for target, c in counts.items()
        }

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
    articles: dict[tuple[str, str], dict[str, set[str]]],
    context: dict[tuple[str, str], set[str]],
) -> dict[tuple[str, str], str]:
    """Point the rarer of two near-identical names that share a series at the other."""
    canonical: dict[tuple[str, str], str] = {}
    for kind in ("Person", "Character"):
        weight = {
            key: sum(len(a) for a in spelled.values())
            for (k, key), spelled in articles.items()
            if k == kind
        }
        keys = sorted(weight, key=lambda k: (-weight[k], k))
        for i, strong in enumerate(keys):
            if (kind, strong) in canonical:
                continue
            for weak in keys[i + 1 :]:
                shared = context.get((kind, strong), set()) & context.get((kind, weak), set())
                if (kind, weak) not in canonical and shared and _one_letter_apart(strong, weak):
                    canonical[(kind, weak)] = strong
    return canonical
