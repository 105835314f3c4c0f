"""Who the short names of an article stand for, and which names are series.

Articles name a person in full once and then by surname ("Lynch"), a single
letter ("Q") or first name ("Renée"); a series by part of its title
("Legacy"); a character by surname ("Ballard").  Resolution happens inside one
article only; merging spellings across articles is the graph's job.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bosch_kg.extract.clean import key
from bosch_kg.extract.config import Lexicon
from bosch_kg.extract.matcher import Hit
from bosch_kg.extract.names import (
    alternation,
    before_modifier,
    clean_name,
    clean_title,
    name_patterns,
    opener_removed,
)
from bosch_kg.extract.sentences import Sentence

#: Which entity kind each rule role names.
PERSON_ROLES = ("actor", "actors", "people", "more", "who")
ACTOR_ROLES = ("actor", "actors")
CHARACTER_ROLES = ("char", "other", "owner")  # "chars": a list, resolved by emission
SERIES_ROLES = ("series", "parents", "others", "members", "also", "listed", "shows", "targets")
PRONOUNS = ("her", "his", "their")
#: A job's abbreviation before a character's full name ("PA Jo Reyes") is no part of it.
_TITLE_ACRONYM = re.compile(r"^[A-Z]{2,4} (?=[A-Z][a-z]+ [A-Z])")
#: Between the names of a list: "A, B and C", "A, and B"
_LIST_ITEM = re.compile(r", (?:and )?| and ")
NOT_IN_PERSON_NAMES = frozenset({"TV", "Show", "Series", "Season", "Episode"})


#: Two or three capitalised words and nothing else: a series so named is named after its
#: title character ("Will Trent", "Harry Wild"), not "The Night Agent" or "Line of Duty".
_PERSON_SHAPED = re.compile(r"(?!(?:The|A|An) )[A-Z][\w'.-]+(?: [A-Z][\w'.-]+){1,2}")


def person_shaped(name: str) -> bool:
    """Whether a multi-word name could be a person's: "Will Trent", not "Line of Duty"."""
    return bool(_PERSON_SHAPED.fullmatch(name))


@dataclass
class Names:
    """Full names seen in the article, by kind, for resolving short forms."""

    lexicon: Lexicon
    persons: Counter[str] = field(default_factory=Counter)
    actors: set[str] = field(default_factory=set)
    characters: Counter[str] = field(default_factory=Counter)
    series: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)  # every full name in the text
    crew: set[str] = field(default_factory=set)  # people named for an off-screen job
    lead: str | None = None  # the lead character, once known

    @classmethod
    def build(
        cls, hits: list[Hit], seeds: set[str], lexicon: Lexicon, mentions: Counter[str]
    ) -> Names:
        """The names the hits type, the full names in the text (`full_names`), the series."""
        names = cls(lexicon, mentions=mentions)
        names.add_hits(hits)
        names.series.update(seeds)
        names.series.update(_series_in(hits, names, lexicon))
        for title in list(names.series):  # "In The Harbour" where "The Harbour" is named
            rest = opener_removed(title, lexicon)
            if rest and names.is_series(rest):
                names.series[rest] += names.series.pop(title)
        return names

    def add_hits(self, hits: list[Hit]) -> None:
        """Collect the full forms every hit names."""
        person = re.compile(name_patterns(self.lexicon).person)
        for hit in hits:
            for role, text in hit.groups.items():
                if role in PERSON_ROLES:
                    for match in person.finditer(re.sub(r"\([^)]*\)", "", text)):
                        name = clean_name(match[0], self.lexicon)
                        if len(name.split()) > 1:
                            self.persons[name] += 1
                            if role in ACTOR_ROLES and not hit.rule.weak:
                                self.actors.add(name)
                            elif role in ("people", "more"):
                                self.crew.add(name)
                elif role in CHARACTER_ROLES and text.lower() not in PRONOUNS:
                    name = clean_name(text, self.lexicon)
                    if name:
                        self.characters[name] += 1
        for actor in self.actors:  # someone cast by a cast rule is a person, not a character
            self.characters.pop(actor, None)

    def person(self, raw: str, *, actor: bool = False) -> str | None:
        """The full name a person's name or short form stands for (None: not a person)."""
        name = clean_name(raw, self.lexicon)
        if not name or name in self.lexicon.networks or self.is_series(name):
            return None
        if any(w in NOT_IN_PERSON_NAMES for w in name.split()) or any(
            alias in name for alias in self.lexicon.networks if " " in alias
        ):
            return None
        if len(name.split()) > 1:
            return None if self.is_character(name) else name
        token = key(name)
        mentioned = [m for m in self.mentions if not self.is_character(m) and not self.is_series(m)]
        for pool in (self.persons, mentioned):
            for position in (-1, 0):
                found = [p for p in pool if key(p).split()[position] == token]
                if actor and len(found) > 1:
                    found = [p for p in found if p in self.actors] or found
                if found:
                    return max(found, key=lambda p: self.persons[p])
        return None

    def character(self, raw: str) -> str | None:
        """The full name a character's name or short form stands for."""
        title = clean_title(raw, self.lexicon)
        if " " in title and self.is_series(title):
            # '"We Own This City"' is no "City"; "Will Trent" is Will Trent, the title character
            ranked = title.split()[0].casefold() in map(str.casefold, self.lexicon.honorifics)
            return title if person_shaped(title) and not ranked else None
        name = _TITLE_ACRONYM.sub("", clean_name(raw, self.lexicon))  # "PA Jo Reyes"
        if not name or name in self.lexicon.networks or key(name) in map(key, self.persons):
            return None
        if len(name.split()) == 1:
            token = key(name)
            if self.is_series(name):  # "Bosch" the title character: only the lead is meant
                return self.lead if self.lead and token in key(self.lead).split() else name
            for pool in (self.characters, self.mentions):
                found = [
                    c
                    for c in pool
                    if len(c.split()) > 1
                    and token in key(c).split()
                    and key(c) not in map(key, self.persons)
                    and not self.is_series(c)
                ]
                if found:
                    return max(found, key=lambda c: pool[c])
        return name

    def is_character(self, name: str) -> bool:
        return len(name.split()) > 1 and key(name) in {key(c) for c in self.characters}

    def is_series(self, name: str) -> bool:
        """Whether the name is a series of the article, or a colon title's subtitle of two
        words or more standing for it ("Organized Crime")."""
        return key(name) in {key(s) for s in spellings(self.series)}

    def canonical_series(self, raw: str) -> str | None:
        """One spelling per series: 'LEGACY' and 'Bosch Legacy' are 'Bosch: Legacy'."""
        title = clean_title(raw, self.lexicon)
        if not title or title in self.lexicon.networks:
            return None
        if title in self.lexicon.not_names and title not in self.series:  # "FBI" of "FBI: X"
            return None
        rest = opener_removed(title, self.lexicon)
        if rest and self.is_series(rest):
            title = rest
        wanted = key(title)
        if not wanted:
            return None
        same = [s for s in self.series if key(s) == wanted]
        if not same:
            same = [s for s in self.series if ":" in s and key(s.split(":")[-1]) == wanted]
        if not same:
            return title
        return max(same, key=lambda s: (not s.isupper(), ":" in s, self.series[s]))


def orient(hits: list[Hit], lexicon: Lexicon, mentions: Counter[str]) -> list[Hit]:
    """Read each "A (B)" bracket pair the way its sentence does.

    A pair reads character (actor) unless a rank opens the bracket ("Jo Reyes
    (DI Sam Cole)"), the name outside it is cast by another rule ("Jo Reyes (Sam)" after
    "Jo Reyes stars"), or the bracket holds one word that is no one's surname ("Jo Reyes
    (Sam)"; but "Sam Cole (Reyes)" after "Jo Reyes"): then it is actor (character).
    Where the sentence lists an actor's earlier shows in brackets ("Jo Reyes (Night
    Watch, The Harbour)"), its other pairs are actor (show) too. The pairs of one
    sentence are a parallel list: one turned pair turns them all. An abbreviation in
    brackets ("Harbour Crimes Unit (HCU)") is no pair, nor a credited person's bracket, nor
    the bracket of an actor whose part the sentence states otherwise.
    """
    rank = re.compile(rf"\(?(?:{alternation(lexicon.honorifics)})\.? [A-Z]")
    pairs = [h for h in hits if h.rule.either_way and not h.groups["actor"].isupper()]
    shows = {h.sentence.start: h.rule for h in hits if "," in h.groups.get("shows", "")}
    surnames = {m.split()[-1] for m in mentions}
    turned = {
        h.sentence.start
        for h in pairs
        if rank.match(h.groups["actor"])
        or (" " not in h.groups["actor"].strip() and h.groups["actor"].strip() not in surnames)
    }
    cast = {  # "Cast: A (B), C (D)": each of a cast list's names
        clean_name(name, lexicon)
        for h in hits
        for role in ("actor", "actors")
        if role in h.groups and (not h.rule.either_way or h.sentence.start in turned)
        for name in _LIST_ITEM.split(re.sub(r"\([^)]*\)", "", h.groups[role]))
    }
    turned |= {h.sentence.start for h in pairs if clean_name(h.groups["char"], lexicon) in cast}
    parts = {  # "Sam Vale (Night Ferry) has been tapped to play Ann Moss": the part is stated
        (h.sentence.start, clean_name(h.groups["actor"], lexicon))
        for h in hits
        if not h.rule.either_way and "actor" in h.groups and "char" in h.groups
    }

    crew = {
        (h.sentence.start, clean_name(m, lexicon))
        for h in hits
        for role in ("people", "more")
        for m in _LIST_ITEM.split(re.sub(r"\([^)]*\)", "", h.groups.get(role, "")))
    }

    def read(h: Hit) -> Hit | None:
        if not h.rule.either_way:
            return h
        if h.groups["actor"].isupper():  # "Robbery-Homicide Division (RHD)": an abbreviation
            return None
        if (h.sentence.start, clean_name(h.groups["char"], lexicon)) in crew:
            return None  # "created by Jo Reyes (Night Watch)": crew, not a part
        outside, inside = h.groups["char"], h.groups["actor"]
        if h.sentence.start in shows:
            groups = {"who": outside, "actor": outside, "shows": inside}
            return replace(h, rule=shows[h.sentence.start], groups=groups)
        if (h.sentence.start, clean_name(outside, lexicon)) in parts:
            return None  # the bracket holds something else: an earlier show, a note
        if h.sentence.start in turned:
            return replace(h, groups={**h.groups, "actor": outside, "char": inside})
        return h

    return [r for h in hits if (r := read(h))]


def full_names(sentences: list[Sentence], lexicon: Lexicon) -> Counter[str]:
    """Every multi-word name outside headings, counted, so a short form can find its full form."""
    person = re.compile(name_patterns(lexicon).person)
    found: Counter[str] = Counter()
    for sentence in (s for s in sentences if not s.heading):
        for match in person.finditer(sentence.text):
            name = clean_name(before_modifier(match[0], lexicon), lexicon)  # "A B-starring X"
            if len(name.split()) > 1:
                found[name] += 1
    return found


def _series_in(hits: list[Hit], names: Names, lexicon: Lexicon) -> Counter[str]:
    """Titles the hits put in series roles, minus anything known to be a person.

    A word that is no name elsewhere ("FBI") is a title where it heads a colon title the
    article names ("FBI: Most Wanted") and stands alone in a series role ("CBS' FBI").
    """
    title = re.compile(name_patterns(lexicon).title)
    found: Counter[str] = Counter()
    people = {key(p) for p in names.persons}
    for hit in hits:
        for role in (r for r in SERIES_ROLES if r in hit.groups):
            for match in title.finditer(re.sub(r"\([^)]*\)", "", hit.groups[role])):
                name = clean_title(match[0], lexicon)
                if name and name not in lexicon.networks and key(name) not in people:
                    found[name] += 1
    heads = {name.split(":")[0] for name in found if ":" in name}
    return Counter({n: c for n, c in found.items() if n not in lexicon.not_names or n in heads})


def spellings(series: Iterable[str]) -> list[str]:
    """The article's series as its text may write them: each title, and a colon title's
    subtitle of two words or more ("Organized Crime" for "Law & Order: Organized Crime",
    which `Names.canonical_series` maps back)."""
    titles = set(series)
    subtitles = {t.split(": ", 1)[1] for t in titles if ": " in t}
    return sorted(titles | {s for s in subtitles if " " in s})


def known_series_pattern(series: list[str]) -> re.Pattern[str] | None:
    """A pattern that finds any of the article's series, any case, longest first."""
    every = spellings(series)
    return re.compile(rf"(?<![\w])(?i:{alternation(every)})(?![\w])") if every else None
