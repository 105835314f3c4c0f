"""The rule engine: compile rule templates to regular expressions and find hits.

A template is a regular expression with typed slots, `{actor:person}` or
`{parents:series_list}`; the slot's role names the capture group and its type
picks the pattern.  This module only *finds*; `emit` decides what a hit means.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # the stdlib's own regex parser: finds a pattern's literals
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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


#: Patterns with `known` slots differ per article: a bounded cache keeps workers' memory flat.
COMPILED_CACHE = 2048

#: A pattern's required text: each tuple holds strings of which a match contains at least one.
Required = tuple[tuple[str, ...], ...]


@lru_cache(maxsize=COMPILED_CACHE)
def _compiled(
    template: str, types_key: tuple[tuple[str, str], ...], rule_id: str
) -> tuple[re.Pattern[str], Required]:
    pattern = compile_template(template, dict(types_key), rule_id)
    return pattern, required_text(pattern)


def required_text(pattern: re.Pattern[str]) -> Required:
    """Literal text every match must contain, so a sentence without it is never searched.

    Only case-sensitive literals outside optional parts count; a pattern with
    none (or case-insensitive as a whole) gets no requirement and is always run.
    """
    if pattern.flags & re.IGNORECASE:
        return ()
    return tuple(_required(sre_parse.parse(pattern.pattern, pattern.flags)))


#: Shorter literals (a space, a comma) are in almost every sentence: not worth a check.
_MIN_REQUIRED = 3


def _required(items: sre_parse.SubPattern | list) -> list[tuple[str, ...]]:
    """Required literals of a parsed sequence: runs of plain characters, groups, branches."""
    found: list[tuple[str, ...]] = []
    run = ""
    for op, arg in list(items) + [(None, None)]:
        if op is sre_parse.LITERAL:
            run += chr(arg)
            continue
        if len(run) >= _MIN_REQUIRED:
            found.append((run,))
        run = ""
        if op is sre_parse.SUBPATTERN and not arg[1] & re.IGNORECASE:
            found += _required(arg[3])
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and arg[0] >= 1:
            found += _required(arg[2])
        elif op is sre_parse.BRANCH:
            options = [_required(branch) for branch in arg[1]]
            if all(options):
                found.append(tuple(sorted({text for option in options for text in option[0]})))
    return found


def _may_match(required: Required, text: str) -> bool:
    return all(any(literal in text for literal in options) for options in required)


def _types_used(template: str, types: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Only the slot types a template uses: its compiled form is shared by every article
    that agrees on them (only `known` slots depend on the article)."""
    used = {kind for _, kind in _SLOT.findall(template)}
    return tuple(sorted((k, v) for k, v in types.items() if k in used))


def _live_patterns(
    templates: list[str],
    types: dict[str, str],
    base: dict[str, str],
    sentences: list[Sentence],
    rule_id: str,
) -> list[tuple[re.Pattern[str], Required]]:
    """The compiled templates that may match some sentence.

    What a template requires outside its `known` slots is read from its form
    with no known series (`base`), compiled once for all articles; a template no sentence
    can satisfy is not compiled for this article's series at all.
    """
    live = []
    for template in templates:
        _, required = _compiled(template, _types_used(template, base), rule_id)
        if any(_may_match(required, sentence.text) for sentence in sentences):
            live.append(_compiled(template, _types_used(template, types), rule_id))
    return live


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
    base = types if known is None else slot_types(lexicon, ())
    hits = []
    for rule in rules:
        templates = [p for p in rule.patterns if needs_known(p) == (known is not None)]
        compiled = _live_patterns(templates, types, base, sentences, rule.id)
        forbid = re.compile(rule.forbid) if rule.forbid else None
        for sentence in sentences:
            if sentence.heading and not rule.headings:
                continue
            if forbid and forbid.search(sentence.text):
                continue
            for pattern, required in compiled:
                if not _may_match(required, sentence.text):
                    continue
                for match in pattern.finditer(sentence.text):
                    if match[0][:1].isupper() and _INSIDE_NAME.search(
                        sentence.text, max(0, match.start() - 60), match.start()
                    ):
                        continue  # the match starts inside a longer name
                    groups = {k: v for k, v in match.groupdict().items() if v}
                    hits.append(Hit(rule, sentence, groups, match.start(), match.end()))
    return hits
