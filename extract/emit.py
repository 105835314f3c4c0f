"""Turn rule hits into claims: resolve each role to an entity and build the claim.

`matcher` finds; this module decides what a hit states.  Which series a
claim is about comes from the hit itself, else the sentence's subject, else
the section's topic, else the article's main series.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from bosch_kg.extract.claims import Claim, Entity, Evidence
from bosch_kg.extract.clean import key
from bosch_kg.extract.config import Lexicon
from bosch_kg.extract.dates import parse_date
from bosch_kg.extract.matcher import Hit
from bosch_kg.extract.names import clean_name, clean_title, inside_name, name_patterns
from bosch_kg.extract.resolve import PRONOUNS, Names, known_series_pattern, person_shaped
from bosch_kg.extract.sentences import Sentence

#: A series name used as a modifier ("this Bosch spinoff") is not the clause's subject.
_MODIFIER = re.compile(r"(?:'s)? (?:spin-?off|universe|franchise|series|show|fans|novels|books)\b")
_SPLIT_JOBS = re.compile(r"/|, | and | & ")
_SHOWS_NOUN = re.compile(r"^(?:the |a )?(?:TV |television |streaming )?(?:shows?|series|dramas?) ")
_ACRONYM = re.compile(r"[A-Z]{2,}")
_POSSESSOR = re.compile(r"([A-Z][\w.-]*(?: [A-Z][\w.-]*)*)'s\b")


@dataclass
class Article:
    """Everything emission needs to know about the article being read."""

    id: str
    lexicon: Lexicon
    names: Names
    sentences: list[Sentence]
    main: str | None
    lead: str | None
    topics: dict[int, str]  # heading line -> series the section is about
    subjects: dict[int, str] = field(default_factory=dict)  # sentence start -> subject series
    franchise: str | None = None  # the one universe the article names, for "the universe"
    not_in_franchise: set[str] = field(default_factory=set)

    @cached_property
    def known(self) -> re.Pattern[str] | None:
        """Finds the article's series in text (built once the names are known)."""
        return known_series_pattern(sorted(self.names.series))

    def evidence(self, hit: Hit) -> Evidence:
        s = hit.sentence
        return Evidence(self.id, s.raw, s.start, s.end, hit.rule.id)

    def series_of(self, hit: Hit, nearest: bool = False) -> str | None:
        """The series a hit is about.

        With `nearest`, a series named earlier in the same clause counts first
        ("Even though Bosch has wrapped seven seasons on Prime Video").
        """
        if "series" in hit.groups:
            return self.names.canonical_series(hit.groups["series"])
        if nearest and self.known:
            clause = re.split(r"[,;:]| - ", hit.sentence.text[max(0, hit.start - 200) : hit.start])
            found = [
                m
                for m in self.known.finditer(clause[-1])
                if not inside_name(clause[-1], m.start())
                and not _MODIFIER.match(clause[-1], m.end())
            ]
            if found:
                return self.names.canonical_series(found[-1][0])
        return (
            self.subjects.get(hit.sentence.start)
            or self.topics.get(hit.sentence.section)
            or self.main
        )

    def qualifier(self, hit: Hit) -> str | None:
        """A series named right before the hit qualifies it ("Harbour Watch EP Jo Reyes")."""
        if not self.known:
            return None
        found = re.search(rf"{self.known.pattern} $", hit.sentence.text[: hit.start])
        return self.names.canonical_series(found[0].strip()) if found else None

    def other_series_named(self, sentence: Sentence, series: str | None) -> bool:
        """Whether the sentence names a series other than `series` (outside longer names)."""
        for match in self.known.finditer(sentence.text) if self.known else ():
            if inside_name(sentence.text, match.start()):
                continue
            if key(self.names.canonical_series(match[0]) or "") != key(series or ""):
                return True
        return False

    def previous_actor(self, sentence: Sentence) -> str | None:
        """The actor a sentence-opening pronoun stands for: the last one named just before."""
        before = [s for s in self.sentences if s.start < sentence.start and not s.heading]
        for earlier in reversed(before[-2:]):
            named = [
                (earlier.text.rfind(w), actor)
                for actor in self.names.actors
                for w in (actor, actor.split()[-1])
                if re.search(rf"\b{re.escape(w)}\b", earlier.text)
            ]
            if named:
                return max(named)[1]
        return None

    def persons(self, text: str | None, *, actor: bool = False) -> list[str]:
        if not text:
            return []
        pattern = re.compile(name_patterns(self.lexicon).person)
        found = (self.names.person(m[0], actor=actor) for m in pattern.finditer(_unbracket(text)))
        return list(dict.fromkeys(p for p in found if p))

    def series_list(self, text: str | None) -> list[str]:
        if not text:
            return []
        pattern = re.compile(name_patterns(self.lexicon).title)
        found = (self.names.canonical_series(m[0]) for m in pattern.finditer(_unbracket(text)))
        return list(dict.fromkeys(s for s in found if s))

    def owner(self, hit: Hit, text: str) -> str | None:
        """The character a possessive points to.

        A pronoun stands for the last possessor named before it in the sentence ("Mara's
        clerk Sam and her driver Lena": Mara), else the nearest character named before,
        else the lead, but only in a sentence about the article's main series.
        """
        named = self.owner_named(hit.sentence.text[: hit.start], text)
        return named or (self.lead if self.series_of(hit) == self.main else None)

    def owner_named(self, earlier: str, text: str) -> str | None:
        """The character a name's possessive or a pronoun after `earlier` points to, if named."""
        if text.lower() not in PRONOUNS:
            return self.names.character(text)
        possessors = [m for m in _POSSESSOR.finditer(earlier) if self.names.character(m[1])]
        if possessors:
            return self.names.character(possessors[-1][1])
        named = [c for c in self.names.characters if c.split()[-1] in earlier]
        if named:
            return self.names.character(max(named, key=lambda c: earlier.rfind(c.split()[-1])))
        return None

    def characters(self, text: str) -> list[str]:
        """The characters a list names ("A, clerk B (actor) and C")."""
        pattern = re.compile(name_patterns(self.lexicon).person)
        found = (self.names.character(m[0]) for m in pattern.finditer(_unbracket(text)))
        return list(dict.fromkeys(c for c in found if c))


def _unbracket(text: str) -> str:
    """A list without its brackets, but "A (and B)" is "A and B"."""
    return re.sub(r"\([^)]*\)", "", re.sub(r"\((and|or) ([^)]*)\)", r"\1 \2", text))


def _claim(kind: str, subject: Entity, ev: Evidence, **rest: Entity | str | None) -> Claim:
    return Claim(kind=kind, subject=subject, evidence=ev, **rest)  # type: ignore[arg-type]


def _series(name: str | None) -> Entity | None:
    return Entity("Series", name) if name else None


def claims_from(hit: Hit, article: Article) -> Iterator[Claim]:
    """The claims one hit states (none when a role does not resolve)."""
    for kind in hit.rule.emit:
        yield from _EMITTERS[kind](hit, article)


def _plays(hit: Hit, a: Article) -> Iterator[Claim]:
    ev, g = a.evidence(hit), hit.groups
    if "rest" in g:
        yield from _roles(hit, a)
        return
    actors = a.persons(g.get("actor") or g.get("actors") or g.get("who"), actor=True)
    if hit.rule.weak:
        actors = [p for p in actors if p in a.names.actors or p not in a.names.crew]
    if "pronoun" in g:  # "She previously starred in A and B (opposite C)", "her role as C in A"
        subject = a.previous_actor(hit.sentence)
        char = a.names.character(g["char"]) if "char" in g else None
        part = Entity("Character", char) if char else None
        for show in a.series_list(g["shows"]) if subject else ():
            for actor in [subject, *actors]:
                person = Entity("Person", actor)
                yield _claim("plays", person, ev, object=part, series=_series(show))
        return
    if "shows" in g:
        for actor in actors:
            if actor in a.names.actors:
                for show in a.series_list(g["shows"]):
                    yield _claim("plays", Entity("Person", actor), ev, series=_series(show))
        return
    series = a.series_of(hit)
    if not series:
        return
    if "chars" in g:  # "A and B as C and D": two lists of one length pair up in order
        chars = [a.names.character(c) for c in a.persons(g["chars"])]
        paired = len(actors) > 1 and len(chars) == len(actors)
        for actor, char in zip(actors, chars, strict=True) if paired else ():
            obj = Entity("Character", char) if char else None
            yield _claim("plays", Entity("Person", actor), ev, object=obj, series=_series(series))
        return
    char = a.names.character(g["char"]) if "char" in g else None
    if hit.rule.title_role:
        char = series
    if char and " " in char and a.names.is_series(char) and not person_shaped(char):
        return
    for actor in actors:
        obj = Entity("Character", char) if char and len(actors) == 1 else None
        yield _claim("plays", Entity("Person", actor), ev, object=obj, series=_series(series))


def _roles(hit: Hit, a: Article) -> Iterator[Claim]:
    """'X is known for roles in A, as B in C': earlier shows, with a part where named."""
    actors = a.persons(hit.groups["actor"], actor=True)
    rest = hit.groups["rest"]
    title = name_patterns(a.lexicon).title
    cue = re.search(r"\b(?:such as|including|like)\b|\broles? (?:in|on)\b", rest)
    season = re.search(rf"\bSeason \d+ of ({title})", rest)
    if cue:  # "A, B, Lost and Law and Order": only the last item's first "and" splits
        items = re.split(r",\s*(?:and\s+)?", rest[cue.end() :].strip(" .?!"))
        items[-1:] = re.split(r"\s+(?:and|or)\s+", items[-1], maxsplit=1)
    elif season:
        items = [season[1]]
    else:
        return
    for actor in actors:
        for item in items:
            part = re.match(r"(?:and )?as (.+?) in (.+)$", item.strip())
            char, show = (part[1], part[2]) if part else (None, item)
            show = re.sub(r"^.*?'s ", "", show.strip())
            show = _SHOWS_NOUN.sub("", show)  # "the TV shows Harbour Watch"
            show = re.sub(r"\s+Season \d+$", "", show)
            if not re.fullmatch(rf"{title}(?: and {title})*", show):  # "Law and Order"
                continue
            series = a.names.canonical_series(show)
            if not series:
                continue
            obj = Entity("Character", clean_name(char, a.lexicon)) if char else None
            yield _claim(
                "plays",
                Entity("Person", actor),
                a.evidence(hit),
                object=obj,
                series=_series(series),
            )


def _character(hit: Hit, a: Article) -> Iterator[Claim]:
    char, series = a.names.character(hit.groups["char"]), a.series_of(hit)
    if "series" not in hit.groups and a.other_series_named(hit.sentence, series):
        return  # "Dept. Q features Inspector Morck": whose character is not ours to guess
    if char and series and not a.names.is_series(char) and char not in a.names.actors:
        yield _claim(
            "character", Entity("Character", char), a.evidence(hit), series=_series(series)
        )


def _relation(hit: Hit, a: Article) -> Iterator[Claim]:
    g = hit.groups
    char = a.names.character(g["char"])
    target = g.get("owner") or g.get("other")
    if not (char and target):
        return
    for relation in [hit.rule.relation] if hit.rule.relation else _relations(g.get("rel", ""), a):
        yield from _related(char, a.owner(hit, target), relation, hit, a)


def _relations(words: str, a: Article) -> list[str]:
    """The relations a list of relation words names: "associate/ex-wife", "clerk and wife"."""
    found = (
        a.lexicon.relations.get(w.strip().lower())
        or a.lexicon.relations.get(w.strip().lower().split(" ", 1)[-1])
        for w in re.split(r"/| and ", words)
    )
    return list(dict.fromkeys(r for r in found if r))


def _related(char: str, other: str | None, relation: str, hit: Hit, a: Article) -> Iterator[Claim]:
    """A relation claim between two different characters."""
    if other and key(other) != key(char):
        yield _claim(
            "relation",
            Entity("Character", char),
            a.evidence(hit),
            object=Entity("Character", other),
            value=relation,
        )


def _team(hit: Hit, a: Article) -> Iterator[Claim]:
    """Every character a team list names is on the owner's team (an unnamed one: see `owner`)."""
    owner = a.owner(hit, hit.groups.get("owner", "their"))
    for member in a.characters(hit.groups["team"]):
        if " " in member or member in a.names.characters:  # a lone "Ted" no rule typed: no
            yield from _related(member, owner, "team member of", hit, a)


def _jobs(hit: Hit, a: Article) -> list[str]:
    if hit.rule.job:
        return [hit.rule.job]
    if "work" in hit.groups:
        return [a.lexicon.job_work[hit.groups["work"].lower()]]
    jobs = []
    for phrase in _SPLIT_JOBS.split(hit.groups.get("job", "").lower()):
        phrase = phrase.strip()
        job = a.lexicon.jobs.get(phrase) or a.lexicon.jobs.get(phrase.removeprefix("co-"))
        if job:
            jobs.append(job)
    return jobs


def _credit(hit: Hit, a: Article) -> Iterator[Claim]:
    g = hit.groups
    people = a.persons(g.get("people"))
    if _singular_title(hit):  # "showrunner A, B and C": the job is A's alone
        people = people[:1]
    people += a.persons(g.get("more"))
    targets = a.series_list(g.get("targets")) or [a.qualifier(hit) or a.series_of(hit)]
    for job in _jobs(hit, a):
        for person in dict.fromkeys(people):
            for series in targets:
                if series:
                    yield _claim(
                        "credit",
                        Entity("Person", person),
                        a.evidence(hit),
                        series=_series(series),
                        value=job,
                    )


def _singular_title(hit: Hit) -> bool:
    """Whether singular job nouns stand as a title right before the names ("showrunner A",
    "EP and showrunner A")."""
    job, people = hit.groups.get("job", ""), hit.groups.get("people", "")
    if not job or any(p.endswith(("s", " by", "ed")) for p in _SPLIT_JOBS.split(job)):
        return False
    return f"{job} {people}" in hit.sentence.text[hit.start : hit.end]


def _network(hit: Hit, a: Article) -> Iterator[Claim]:
    targets = a.series_list(hit.groups.get("targets")) or [a.series_of(hit, nearest=True)]
    for series in targets if "network" in hit.groups else ():
        network = a.lexicon.networks[hit.groups["network"]]
        if series:
            yield _claim(
                "network",
                Entity("Series", series),
                a.evidence(hit),
                object=Entity("Network", network),
            )


def _premiered(hit: Hit, a: Article) -> Iterator[Claim]:
    series, when = a.series_of(hit, nearest=True), parse_date(hit.groups["date"])
    if series and when:
        yield _claim("premiered", Entity("Series", series), a.evidence(hit), value=when)


def _episodes(hit: Hit, a: Article) -> Iterator[Claim]:
    raw = hit.groups["count"].lower()
    count = int(raw) if raw.isdigit() else a.lexicon.numbers.get(raw, 0)
    series = a.series_of(hit, nearest=True)
    if series and 0 < count < 1000:
        yield _claim("episodes", Entity("Series", series), a.evidence(hit), value=str(count))


def _spinoff(hit: Hit, a: Article) -> Iterator[Claim]:
    child = a.series_of(hit)
    for parent in a.series_list(hit.groups["parents"]):
        if child and key(parent) != key(child):
            yield _claim(
                "spinoff", Entity("Series", child), a.evidence(hit), object=Entity("Series", parent)
            )


def franchise_name(text: str, lexicon: Lexicon) -> str | None:
    """'the "Bosch" universe' -> 'Bosch universe'; an unnamed 'TV universe' -> None."""
    words = clean_title(text.replace('"', "").replace("'", ""), lexicon).split()
    name = [w for w in words[:-1] if w not in lexicon.universe_media]
    while name and _opens_no_name(name[0], lexicon):  # "In the Harbour universe"
        name = name[1:]
    return " ".join([*name, words[-1].lower()]) if name else None


def _opens_no_name(word: str, lexicon: Lexicon) -> bool:
    """An article or a sentence-opening word, but not an acronym ("the FBI universe")."""
    return word in ("the", "a", "an") or (
        word in lexicon.not_names and not _ACRONYM.fullmatch(word)
    )


def _franchise(hit: Hit, a: Article) -> Iterator[Claim]:
    g = hit.groups
    name = franchise_name(g["franchise"], a.lexicon) if "franchise" in g else a.franchise
    listed = a.series_list(g.get("listed"))  # "the Harbour franchise (A, B)": A and B only
    members = listed or [
        a.series_of(hit),
        *a.series_list(g.get("members")),
        *a.series_list(g.get("also")),
    ]
    if name and a.names.is_series(name.rsplit(" ", 1)[0]):  # the Harbour universe holds Harbour
        members.append(a.names.canonical_series(name.rsplit(" ", 1)[0]))
    for series in dict.fromkeys(members):
        if name and series and key(series) not in map(key, a.not_in_franchise):
            yield _claim(
                "franchise",
                Entity("Series", series),
                a.evidence(hit),
                object=Entity("Franchise", name),
            )


def _namesake(hit: Hit, a: Article) -> Iterator[Claim]:
    """A series titled after a franchise belongs to it: "the Harbour franchise" holds
    "Harbour: Nights" (but not a series said to be outside it)."""
    name = franchise_name(hit.groups["franchise"], a.lexicon)
    base = key(name.rsplit(" ", 1)[0]) if name else ""
    for series in sorted(a.names.series) if base else ():
        if ":" not in series or key(series.split(":")[0]) != base:
            continue
        if key(series) not in map(key, a.not_in_franchise) and name:
            yield _claim(
                "franchise",
                Entity("Series", series),
                a.evidence(hit),
                object=Entity("Franchise", name),
            )


def _similar(hit: Hit, a: Article) -> Iterator[Claim]:
    series = a.series_of(hit, nearest=True)  # "..., and X was a substitute for Y"
    for other in a.series_list(hit.groups["others"]):
        if series and key(other) != key(series):
            yield _claim(
                "similar", Entity("Series", series), a.evidence(hit), object=Entity("Series", other)
            )


def _review(a: Article) -> Entity:
    return Entity("Review", a.id)


def _rating(hit: Hit, a: Article) -> Iterator[Claim]:
    """'4.5 out of 5', '8/10' or '★★★☆☆'; symbols alone ('♥♥♥½') state no scale: no rating."""
    g = hit.groups
    if "filled" in g:  # "★★★½☆": filled stars give the rating, all stars the scale
        half = 0.5 if "half" in g else 0
        value, best = len(g["filled"]) + half, len(g["filled"]) + len(g["empty"]) + half * 2
        g = {"value": f"{value:g}", "best": f"{best:g}"}
    yield _claim("rating", _review(a), a.evidence(hit), value=f"{g['value']}/{g['best']}")


def _verdict(hit: Hit, a: Article) -> Iterator[Claim]:
    later = [s for s in a.sentences if s.start > hit.sentence.start]
    if "label" in hit.groups:  # a "Bottom Line" heading: the verdict is the line below
        verdict = later[0].text if later and not later[0].heading else ""
    else:
        verdict = hit.groups["verdict"].strip().removesuffix(".")
    if verdict.endswith("?"):  # "Stream It or Skip It?": the answer follows
        answer = later[0].text if later else ""
        verdict = next((v for v in a.lexicon.verdict_answers if answer.startswith(v)), "")
    if verdict:
        yield _claim("verdict", _review(a), a.evidence(hit), value=verdict)


def _nothing(hit: Hit, a: Article) -> Iterator[Claim]:
    return iter(())


_EMITTERS = {
    "plays": _plays,
    "character": _character,
    "relation": _relation,
    "team": _team,
    "credit": _credit,
    "network": _network,
    "premiered": _premiered,
    "episodes": _episodes,
    "spinoff": _spinoff,
    "franchise": _franchise,
    "similar": _similar,
    "namesake": _namesake,
    "rating": _rating,
    "verdict": _verdict,
    "mention": _nothing,
    "not_in_franchise": _nothing,
}
