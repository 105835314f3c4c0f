"""The rule engine: compile rule templates to regular expressions and find hits.

A template is a regular expression with typed slots, `{actor:person}` or
`{parents:series_list}`; the slot's role names the capture group and its type
picks the pattern.  This module only *finds*; `emit` decides what a hit means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bosch_kg.errors import InputError
from bosch_kg.extract.config import RULES_PATH, Lexicon, Rule, needs_known
from bosch_kg.extract.dates import DATE_PATTERN
from bosch_kg.extract.names import alternation, name_patterns
from bosch_kg.extract.sentences import Sentence

_SLOT = re.compile(r"\{(\w*):(\w+)\}")  # {role:type}; {:type} matches without capturing
#: `{end}`: a name ends here (punctuation, a lower-case word, a bracket or the end).
_END_MACRO = r"(?=[,.;:!?)\"]|'(?!s\b)|$| [a-z(-])"
_NOT_WORDS = (
    "and|or|plus|with|as|in|on|for|from|by|to|at|while|who|which|that|is|are|was|has|opposite"
    "|stars|starring|features|featuring|follows"
)


_INSIDE_NAME = re.compile(r"(?<![.!?:] )(?<!^)\b[A-Z][\w.+-]*(?:'[a-rt-z]\w*)? $")


@dataclass(frozen=True)
class Hit:
    """A rule matched a sentence; `groups` maps each filled role to its text."""

    rule: Rule
    sentence: Sentence
    groups: dict[str, str]
    start: int  # span of the match in the folded sentence text
    end: int


def _list_of(item: str, not_prefix: str, words: int = 3, tail: str = "") -> str:
    """A list "A, B, and C" of items, each maybe led by a few lower-case words."""
    prefix = rf"(?:\b{not_prefix}[a-z][\w-]* ){{0,{words}}}"
    one = rf"{prefix}(?:{item})(?: \([^)]*\))?{tail}"
    return rf"{one}(?:(?:, (?:and |or |plus |& )?| (?:and|or|plus|&) ){one})*"


def slot_types(lexicon: Lexicon, known: tuple[str, ...]) -> dict[str, str]:
    """The pattern for each slot type, given the series already known in the article."""
    names = name_patterns(lexicon)
    known_alt = rf"(?i:{alternation(known)})(?![\w])" if known else r"(?!x)x"
    series = names.title  # known names only where a rule asks for them (`known`)
    jobs = alternation([*lexicon.jobs, *lexicon.ignored_jobs])
    job = rf"(?i:(?:co-)?(?:{jobs}))"
    nouns = [j for j in lexicon.jobs if not j.endswith((" by", "ed", "wrote", "penned"))]
    numbers = alternation(list(lexicon.numbers))
    universe = alternation(lexicon.universe_nouns)
    job_words = {  # job nouns ("executive producer Y") end a list item; "by", "of" do not
        w
        for phrase in [*lexicon.jobs, *lexicon.ignored_jobs]
        if not phrase.endswith(" by")
        for w in phrase.split()
        if w
        not in (
            "of",
            "the",
            "for",
            "director",
            "series",
            "line",
            "art",
            "music",
            "developed",
            "author",
            "novel",
        )
    }
    not_prefix = rf"(?!(?:{_NOT_WORDS}|{alternation(sorted(job_words))})\b)"
    series_tail = r"(?: (?:characters|series|shows|franchise))?"
    return {
        "person": names.person,
        "persons": _list_of(names.person, not_prefix),
        "character": names.character,
        "title": names.title,
        "series": series,
        "series_list": _list_of(series, not_prefix, 5, series_tail),
        "known": rf"(?<![\w]){known_alt}",
        "known_list": _list_of(rf"(?<![\w]){known_alt}", not_prefix, 5, series_tail),
        "network": rf"(?:{alternation(list(lexicon.networks))})(?![\w])",
        "date": DATE_PATTERN,
        "count": rf"(?:\d+|(?i:{numbers}))",
        "job": job,
        "jobs": rf"{job}(?:(?:/|, | and | & ){job})*",
        "job_noun": rf"(?i:(?:co-)?(?:{alternation(nouns)}))",
        "work": alternation(list(lexicon.job_work)),
        "rel": rf"\b(?:{alternation(list(lexicon.relations))})\b",
        "word": rf"(?!(?:{alternation(list(lexicon.relations))})\b)[a-z][\w-]*",
        "owner": rf"(?:{names.person}'s|[Hh]er|[Hh]is|[Tt]heir)",
        "franchise": rf'(?:"?{names.title}"? |[A-Z]+ )?(?:{universe})',
        "number": r"\d+(?:\.\d+)?",
        "symbols": rf"(?:{alternation(lexicon.rating_symbols)})+",
        "text": r"[^\n]+?",
    }


def compile_template(template: str, types: dict[str, str], rule_id: str) -> re.Pattern[str]:
    """Replace each `{role:type}` slot with a named group of that type's pattern."""

    def slot(match: re.Match[str]) -> str:
        role, kind = match.groups()
        if kind not in types:
            raise InputError(RULES_PATH, f"rule {rule_id}: unknown slot type {kind!r}")
        return f"(?P<{role}>{types[kind]})" if role else f"(?:{types[kind]})"

    try:
        return re.compile(_SLOT.sub(slot, template).replace("{end}", _END_MACRO))
    except re.error as error:
        raise InputError(RULES_PATH, f"rule {rule_id}: bad pattern: {error}") from None


@cache
def _compiled(
    template: str, types_key: tuple[tuple[str, str], ...], rule_id: str
) -> re.Pattern[str]:
    return compile_template(template, dict(types_key), rule_id)


def _types_used(template: str, types: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Only the slot types a template uses: its compiled form is shared by every article
    that agrees on them (only `known` slots depend on the article)."""
    used = {kind for _, kind in _SLOT.findall(template)}
    return tuple(sorted((k, v) for k, v in types.items() if k in used))


def find_hits(
    rules: Iterable[Rule],
    sentences: list[Sentence],
    lexicon: Lexicon,
    known: tuple[str, ...] | None,
) -> list[Hit]:
    """Every match of the rules' patterns in every sentence.

    With `known` None, only patterns that do not depend on the article's known series
    run; otherwise only those that do, with `known` as the article's series.
    """
    types = slot_types(lexicon, known or ())
    hits = []
    for rule in rules:
        templates = [p for p in rule.patterns if needs_known(p) == (known is not None)]
        patterns = [_compiled(t, _types_used(t, types), rule.id) for t in templates]
        forbid = re.compile(rule.forbid) if rule.forbid else None
        for sentence in sentences:
            if sentence.heading and not rule.headings:
                continue
            if forbid and forbid.search(sentence.text):
                continue
            for pattern in patterns:
                for match in pattern.finditer(sentence.text):
                    if match[0][:1].isupper() and _INSIDE_NAME.search(
                        sentence.text, 0, match.start()
                    ):
                        continue  # the match starts inside a longer name
                    groups = {k: v for k, v in match.groupdict().items() if v}
                    hits.append(Hit(rule, sentence, groups, match.start(), match.end()))
    return hits
