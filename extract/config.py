"""Load the lexicon and the rules (TOML data files) and check them before use.

Rules and vocabulary live in data files so a person can extend them without
touching code; a mistake in them must surface as one clear error naming the
file and the line, not as a KeyError deep inside an extractor.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bosch_kg.errors import InputError
from bosch_kg.extract.claims import CHARACTER_RELATIONS, CLAIM_KINDS, JOBS

HERE = Path(__file__).resolve().parent
LEXICON_PATH = HERE / "lexicon.toml"
RULES_PATH = HERE / "rules.toml"

#: The claim kinds a rule may emit, plus internal ones the pipeline consumes itself.
RULE_EMITS = frozenset(CLAIM_KINDS) | {"mention", "not_in_franchise", "team", "namesake"}


def _line_of(text: str, needle: str) -> int | None:
    """The first line of `text` that mentions `needle` (for error messages)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise InputError(
            path, f"invalid TOML: {error}", line=int(match[1]) if match else None
        ) from None


def _strings(path: Path, text: str, where: str, value: Any) -> tuple[str, ...]:
    """A list of non-empty strings, or an InputError pointing at `where`."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(
            path, f"{where} must be a list of non-empty strings", _line_of(text, where)
        )
    return tuple(value)


def _mapping(
    path: Path, text: str, table: str, data: dict[str, Any], allowed: tuple[str, ...] | None
) -> dict[str, str]:
    """Invert a `{target: [phrases]}` table into `{phrase: target}`, checking the targets."""
    out: dict[str, str] = {}
    for target, phrases in data.get(table, {}).items():
        if allowed is not None and target not in allowed:
            raise InputError(
                path,
                f"[{table}] {target!r} is not one of {', '.join(allowed)}",
                _line_of(text, target),
            )
        for phrase in _strings(path, text, f"{target}", phrases):
            out[phrase.lower()] = target
    if not out:
        raise InputError(path, f"missing table [{table}]")
    return out


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process, used as a cache key
class Lexicon:
    """Domain vocabulary: networks, job and relation words, cue phrases, spam."""

    networks: dict[str, str]  # alias -> canonical network name
    jobs: dict[str, str]  # cue phrase (lower case) -> one of JOBS
    ignored_jobs: tuple[str, ...]
    job_work: dict[str, str]  # "writing" -> "writer"
    relations: dict[str, str]  # relation word (lower case) -> one of CHARACTER_RELATIONS
    honorifics: tuple[str, ...]
    abbreviations: tuple[str, ...]
    particles: tuple[str, ...]
    title_connectors: tuple[str, ...]
    not_names: frozenset[str]
    film_cues: tuple[str, ...]
    tv_cues: tuple[str, ...]
    universe_nouns: tuple[str, ...]
    universe_media: tuple[str, ...]
    modifier_suffixes: tuple[str, ...]
    company_words: frozenset[str]
    numbers: dict[str, int]
    spam: tuple[re.Pattern[str], ...]
    review_strong: tuple[str, ...]
    review_weak: tuple[str, ...]
    review_weak_needed: int
    verdict_answers: tuple[str, ...]
    verdict_words: tuple[str, ...]
    rating_symbols: tuple[str, ...]
    team_cues: tuple[str, ...]
    similar_headings: tuple[str, ...]


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and check the lexicon once per process."""
    data, text = _read_toml(path)
    networks: dict[str, str] = {}
    for entry in data.get("network", []):
        name = entry.get("name")
        if not isinstance(name, str) or set(entry) - {"name", "aliases"}:
            raise InputError(
                path, "each [[network]] needs name and aliases only", _line_of(text, str(name))
            )
        for alias in _strings(path, text, f"aliases of {name}", entry.get("aliases", [])) + (name,):
            networks[alias] = name
    spam = []
    for pattern in _strings(path, text, "line_patterns", data.get("spam", {}).get("line_patterns")):
        try:
            spam.append(re.compile(pattern, re.IGNORECASE))
        except re.error as error:
            raise InputError(
                path, f"bad spam pattern {pattern!r}: {error}", _line_of(text, pattern)
            ) from None
    numbers = data.get("numbers", {})
    if not numbers or not all(isinstance(v, int) and v > 0 for v in numbers.values()):
        raise InputError(
            path, "[numbers] must map words to positive integers", _line_of(text, "[numbers]")
        )
    names, works, review = data.get("names", {}), data.get("works", {}), data.get("review", {})
    weak_needed = review.get("weak_needed")
    if not isinstance(weak_needed, int):
        raise InputError(
            path, "[review] weak_needed must be an integer", _line_of(text, "weak_needed")
        )

    def strings(table: dict[str, Any], key: str) -> tuple[str, ...]:
        return _strings(path, text, key, table.get(key))

    return Lexicon(
        networks=networks,
        jobs=_mapping(path, text, "jobs", data, JOBS),
        ignored_jobs=strings(data.get("ignored_jobs", {}), "phrases"),
        job_work=_mapping(path, text, "job_work", data, JOBS),
        relations=_mapping(path, text, "relations", data, CHARACTER_RELATIONS),
        honorifics=strings(names, "honorifics"),
        abbreviations=strings(names, "abbreviations"),
        particles=strings(names, "particles"),
        title_connectors=strings(names, "title_connectors"),
        not_names=frozenset(strings(names, "not_names")),
        film_cues=strings(works, "film_cues"),
        tv_cues=strings(works, "tv_cues"),
        universe_nouns=strings(works, "universe_nouns"),
        universe_media=strings(works, "universe_media"),
        modifier_suffixes=strings(works, "modifier_suffixes"),
        company_words=frozenset(strings(works, "company_words")),
        numbers={word.lower(): int(n) for word, n in numbers.items()},
        spam=tuple(spam),
        review_strong=strings(review, "strong_cues"),
        review_weak=strings(review, "weak_cues"),
        review_weak_needed=weak_needed,
        verdict_answers=strings(review, "verdict_answers"),
        verdict_words=strings(review, "verdict_words"),
        rating_symbols=strings(review, "rating_symbols"),
        team_cues=strings(data.get("team", {}), "cues"),
        similar_headings=strings(data.get("similar", {}), "section_headings"),
    )


@dataclass(frozen=True, eq=False)
class Rule:
    """One extraction rule: a pattern template and the claim kinds it emits."""

    id: str
    emit: tuple[str, ...]
    patterns: tuple[str, ...]
    job: str | None = None  # fixed job for credit rules whose pattern names none
    relation: str | None = None  # fixed relation for relation rules
    headings: bool = False  # also apply to heading lines
    forbid: str | None = None  # regex: the rule does not fire in a sentence matching it
    weak: bool = False  # a weak cast cue: its actor must not be someone named only as crew
    title_role: bool = False  # the part played is the series' title character
    either_way: bool = False  # "A (B)": a rank in the brackets makes B the character


def needs_known(pattern: str) -> bool:
    """Whether a pattern has a slot that only matches series already known in the article."""
    return bool(re.search(r"\{\w+:known(?:_list)?\}", pattern))


RULE_KEYS = {
    "id",
    "emit",
    "pattern",
    "job",
    "relation",
    "headings",
    "forbid",
    "weak",
    "title_role",
    "either_way",
}


@cache
def load_rules(path: Path = RULES_PATH) -> tuple[Rule, ...]:
    """Read and check the rules once per process; templates are checked when compiled."""
    data, text = _read_toml(path)
    rules = []
    seen: set[str] = set()
    for entry in data.get("rule", []):
        rule_id = entry.get("id")
        line = _line_of(text, f'"{rule_id}"')
        if not isinstance(rule_id, str) or rule_id in seen:
            raise InputError(path, f"rule id {rule_id!r} missing or repeated", line)
        seen.add(rule_id)
        if unknown := set(entry) - RULE_KEYS:
            raise InputError(path, f"rule {rule_id}: unknown keys {sorted(unknown)}", line)
        emit = entry.get("emit")
        emit = [emit] if isinstance(emit, str) else emit
        if not emit or any(kind not in RULE_EMITS for kind in emit):
            raise InputError(
                path, f"rule {rule_id}: emit must name claim kinds, got {emit!r}", line
            )
        pattern = entry.get("pattern")
        patterns = (pattern,) if isinstance(pattern, str) else pattern
        _strings(path, text, f"pattern of {rule_id}", list(patterns or []))
        if entry.get("job") not in (None, *JOBS):
            raise InputError(path, f"rule {rule_id}: job must be one of {JOBS}", line)
        if entry.get("relation") not in (None, *CHARACTER_RELATIONS):
            raise InputError(path, f"rule {rule_id}: unknown relation", line)
        rules.append(
            Rule(
                id=rule_id,
                emit=tuple(emit),
                patterns=tuple(patterns),
                job=entry.get("job"),
                relation=entry.get("relation"),
                headings=bool(entry.get("headings", False)),
                forbid=entry.get("forbid"),
                weak=bool(entry.get("weak", False)),
                title_role=bool(entry.get("title_role", False)),
                either_way=bool(entry.get("either_way", False)),
            )
        )
    if not rules:
        raise InputError(path, "no [[rule]] entries")
    return tuple(rules)
