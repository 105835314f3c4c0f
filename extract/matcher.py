"""The rule engine: compile rule templates to regular expressions and find hits.

A template is a regular expression with typed slots, `{actor:person}` or
`{parents:series_list}`; the slot's role names the capture group and its type
picks the pattern.  This module only *finds*; `emit` decides what a hit means.
"""

from __future__ import annotations

import re
import re._compiler as sre_compile  # compiles a parsed pattern: see `_compiled`
import re._parser as sre_parse  # the stdlib's own regex parser: finds a pattern's literals
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import takewhile

import ahocorasick

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
    "|stars|starring|features|featuring|follows|alongside|including|like|such"
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


_SERIES_TAIL = r"(?: (?:characters|series|shows|franchise))?"


@cache
def _not_prefix(lexicon: Lexicon) -> str:
    """What may not lead a list item: list words, and job nouns ("executive producer Y")."""
    job_words = {  # job nouns end a list item; "by", "of" do not
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
    return rf"(?!(?:{_NOT_WORDS}|{alternation(sorted(job_words))})\b)"


@cache
def _lexicon_types(lexicon: Lexicon) -> dict[str, str]:
    """The slot patterns that depend on the lexicon only, built once per process."""
    names = name_patterns(lexicon)
    series = names.title  # known names only where a rule asks for them (`known`)
    jobs = alternation([*lexicon.jobs, *lexicon.ignored_jobs])
    job = rf"(?i:(?:co-)?(?:{jobs}))"
    nouns = [j for j in lexicon.jobs if not j.endswith((" by", "ed", "wrote", "penned"))]
    numbers = alternation(list(lexicon.numbers))
    universe = alternation(lexicon.universe_nouns)
    medium = alternation(lexicon.universe_media)  # "the Harbour television franchise"
    not_prefix = _not_prefix(lexicon)
    return {
        "person": names.person,
        "persons": _list_of(names.person, not_prefix),
        "character": names.character,
        "ranked": names.ranked,
        "title": names.title,
        "series": series,
        "series_list": _list_of(series, not_prefix, 5, _SERIES_TAIL),
        "network": rf"(?:{alternation(list(lexicon.networks))})(?![\w])",
        "date": DATE_PATTERN,
        "count": rf"(?:\d+|(?i:{numbers}))",
        "job": job,
        "jobs": rf"{job}(?:(?:/|, | and | & ){job})*",
        "job_noun": rf"(?i:(?:co-)?(?:{alternation(nouns)}))",
        "work": alternation(list(lexicon.job_work)),
        "rel": rf"\b{_list_of_relations(lexicon)}\b",
        "word": rf"(?!(?:{alternation(list(lexicon.relations))})\b)[a-z][\w-]*",
        "owner": rf"(?:{names.person}'s|[Hh]er|[Hh]is|[Tt]heir)",
        "franchise": rf'(?:"?{names.title}"? (?:{medium} )?|[A-Z]+ )?(?:{universe})',
        "number": r"\d+(?:\.\d+)?",
        "symbols": rf"(?:{alternation(lexicon.rating_symbols)})+",
        "text": r"[^\n]+?",
        "verdict_word": rf"(?i:{alternation(lexicon.verdict_words)})\b",
    }


def _list_of_relations(lexicon: Lexicon) -> str:
    """One relation word, or several of one person: "associate/ex-wife", "clerk and wife"."""
    one = rf"(?:{alternation(list(lexicon.relations))})"
    return rf"{one}(?:(?:/| and (?:[a-z][\w-]* )?){one})*"


def _any_case(known: tuple[str, ...]) -> str:
    """The known series as one group, any case: what a `known` slot matches."""
    return rf"(?i:{alternation(known)})"


def slot_types(lexicon: Lexicon, known: tuple[str, ...]) -> dict[str, str]:
    """The pattern for each slot type, given the series already known in the article."""
    known_alt = rf"{_any_case(known)}(?![\w])" if known else r"(?!)"
    return {
        **_lexicon_types(lexicon),
        "known": rf"(?<![\w]){known_alt}",
        "known_list": _list_of(rf"(?<![\w]){known_alt}", _not_prefix(lexicon), 5, _SERIES_TAIL),
    }


def _expand(
    template: str, rule_id: str, types: dict[str, str], slot: Callable[[str, str], str]
) -> str:
    """The template with `{end}` spelled out and each `{role:type}` slot as `slot(role, type)`."""

    def one(match: re.Match[str]) -> str:
        role, kind = match.groups()
        if kind not in types:
            raise InputError(RULES_PATH, f"rule {rule_id}: unknown slot type {kind!r}")
        return slot(role, kind)

    return _SLOT.sub(one, template).replace("{end}", _END_MACRO)


def _bad_pattern(rule_id: str, error: re.error) -> InputError:
    return InputError(RULES_PATH, f"rule {rule_id}: bad pattern: {error}")


def _with_groups(template: str, types: dict[str, str], rule_id: str) -> str:
    """The template with each `{role:type}` slot a named group of that type's pattern."""
    return _expand(
        template,
        rule_id,
        types,
        lambda role, kind: f"(?P<{role}>{types[kind]})" if role else f"(?:{types[kind]})",
    )


def compile_template(template: str, types: dict[str, str], rule_id: str) -> re.Pattern[str]:
    """Replace each `{role:type}` slot with a named group of that type's pattern."""
    try:
        return re.compile(_with_groups(template, types, rule_id))
    except re.error as error:
        raise _bad_pattern(rule_id, error) from None


#: Patterns with `known` slots differ per series: a bounded cache keeps workers' memory flat.
COMPILED_CACHE = 2048

#: Text a match must contain: each clause lists literals of which a match contains at least
#: one; a literal is `(text, ignore_case, whole_word)`, whole_word when `\b` stands on both sides.
Literal = tuple[str, bool, bool]
Required = tuple[tuple[Literal, ...], ...]


@lru_cache(maxsize=COMPILED_CACHE)
def _compiled(
    template: str, rule_id: str, lexicon: Lexicon, known: tuple[str, ...]
) -> re.Pattern[str]:
    """The template compiled for the series; with some, from its parse with a placeholder.

    re's compiler is Python, and parsing is most of its work: a template with a `known`
    slot is parsed once, with `_PLACEHOLDER` for the series, and each set of series only
    parses their group and puts it where the placeholder's stands.  The parse of a group
    does not depend on what is around it, so the tree is the one the whole pattern parses to.
    """
    if not known:
        return compile_template(template, slot_types(lexicon, known), rule_id)
    tree, path = _placeholder_tree(template, rule_id, lexicon)
    group = sre_parse.parse(_any_case(known))[0][1][-1]  # inside the one (?i:...) group
    return sre_compile.compile(_filled(tree, path, group))


#: Stands for the known series in a template's parse: a private-use character no rule holds.
_PLACEHOLDER = "\ue000"
_HOLE = (sre_parse.LITERAL, ord(_PLACEHOLDER))


def _is_hole(node: sre_parse.SubPattern) -> bool:
    """Whether `node` is a placeholder group's content: the lookahead, then the placeholder."""
    return len(node.data) == 2 and node.data[1] == _HOLE


@cache
def _placeholder_tree(
    template: str, rule_id: str, lexicon: Lexicon
) -> tuple[sre_parse.SubPattern, frozenset[int]]:
    """The template parsed with `_PLACEHOLDER` as its known series, and the ids of the
    subpatterns from the root down to each placeholder group's content (its "holes")."""
    pattern = _with_groups(template, slot_types(lexicon, (_PLACEHOLDER,)), rule_id)
    try:
        tree = sre_parse.parse(pattern)
    except re.error as error:
        raise _bad_pattern(rule_id, error) from None
    path: set[int] = set()
    _find_holes(tree, path)
    return tree, frozenset(path)


def _find_holes(node: object, path: set[int]) -> bool:
    """Whether `node` holds a placeholder group; adds the subpatterns on the way to `path`."""
    if isinstance(node, sre_parse.SubPattern):
        found = _is_hole(node) or any([_find_holes(item, path) for item in node.data])
    elif isinstance(node, tuple | list):
        found = any([_find_holes(item, path) for item in node])
    else:
        return False
    if found and isinstance(node, sre_parse.SubPattern):
        path.add(id(node))
    return found


def _filled(node: object, path: frozenset[int], group: sre_parse.SubPattern) -> object:
    """A copy of the parsed `node` with `group` for each placeholder group's content.

    Only subpatterns on `path` are copied (a copy computes its width anew); the rest is shared.
    """
    if isinstance(node, sre_parse.SubPattern):
        if id(node) not in path:
            return node
        if _is_hole(node):
            return group
        return sre_parse.SubPattern(node.state, [_filled(item, path, group) for item in node.data])
    if isinstance(node, tuple | list):
        return type(node)(_filled(item, path, group) for item in node)
    return node


@cache
def required_text(template: str, rule_id: str, lexicon: Lexicon) -> Required:
    """Literal text every match of a template must contain, so a sentence without it is
    never searched (nor the template compiled).

    Only literals outside optional parts count; a pattern case-insensitive as a whole
    gets no requirement and is always run.  The template is parsed with each slot as an
    empty group, whose literals come from its type's pattern, parsed once: parsing the
    whole pattern costs as much as compiling it.  `known` slots require nothing.
    """
    types = slot_types(lexicon, ())
    slots: dict[str, str] = {}  # group name -> slot type

    def group(role: str, kind: str) -> str:
        name = role or f"_slot{len(slots)}"
        slots[name] = kind
        return f"(?P<{name}>)"

    try:
        parsed = sre_parse.parse(_expand(template, rule_id, types, group))
    except re.error as error:
        raise _bad_pattern(rule_id, error) from None
    if parsed.state.flags & re.IGNORECASE:
        return ()
    patterns = {parsed.state.groupdict[name]: types[kind] for name, kind in slots.items()}
    clauses = dict.fromkeys(_required(parsed, False, patterns))
    return tuple(sorted(clauses, key=len))  # one-literal clauses are the cheapest to rule out


def _strength(clause: tuple[Literal, ...]) -> int:
    return min(len(text) for text, _, _ in clause)


@cache
def _slot_required(pattern: str, ignore_case: bool) -> tuple[tuple[Literal, ...], ...]:
    """Required literals of a slot type's pattern, parsed once per process."""
    return tuple(_required(sre_parse.parse(pattern), ignore_case, {}))


def _required(
    items: sre_parse.SubPattern | list, ignore_case: bool, slots: dict[int, str]
) -> list[tuple[Literal, ...]]:
    """Required literals of a parsed sequence: runs of plain characters, groups, branches.

    `slots` maps the groups that stand for slots to their type's pattern.  A
    case-insensitive literal counts only when it is ASCII: `SentenceIndex` can then
    test it on lower-cased text exactly as the regex engine would.
    """
    found: list[tuple[Literal, ...]] = []
    run = ""
    items = [*items, (None, None)]
    for at, (op, arg) in enumerate(items):
        if op is sre_parse.LITERAL:
            run += chr(arg)
            continue
        if len(run) > 1 and (not ignore_case or run.isascii()):  # a lone letter is everywhere
            found.append(((run.lower() if ignore_case else run, ignore_case, False),))
        before, run = run, ""
        if op is sre_parse.SUBPATTERN:
            group, add, remove, sub = arg
            case = bool((ignore_case or add & re.I) and not remove & re.I)
            if group in slots:
                found += _slot_required(slots[group], case)
            else:
                found += _required(sub, case, slots)
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and arg[0] >= 1:
            found += _required(arg[2], ignore_case, slots)
        elif op is sre_parse.IN and not ignore_case and (symbols := _symbols(arg)):
            found.append(symbols)
        elif op is sre_parse.BRANCH:
            if words := _whole_words(items, at, ignore_case):
                found.append(words)
            elif spelled := _spelled_out(before, arg[1], items[at + 1 :], ignore_case):
                found.append(spelled)
            elif all(options := [_required(branch, ignore_case, slots) for branch in arg[1]]):
                strongest = (max(option, key=_strength) for option in options)
                found.append(_clause({literal for clause in strongest for literal in clause}))
    return found


def _symbols(members: list) -> tuple[Literal, ...] | None:
    """A set of rare characters (`[★⭐]`: non-ASCII, not letters or digits) as literals;
    a set with a common character or a range says too little to be worth a lookup."""
    chars = [chr(arg) for op, arg in members if op is sre_parse.LITERAL]
    if len(chars) < len(members) or any(c.isascii() or c.isalnum() for c in chars):
        return None
    return tuple(sorted((c, False, False) for c in chars))


def _plain(items: sre_parse.SubPattern | list) -> str | None:
    """The text of a sequence of plain characters (None when it holds anything else)."""
    if all(op is sre_parse.LITERAL for op, _ in items):
        return "".join(chr(c) for _, c in items)
    return None


def _spelled_out(
    before: str, branches: list, after: list, ignore_case: bool
) -> tuple[Literal, ...] | None:
    """A branch of plain alternatives with the plain text on both sides of it:
    `, (?:the|a|an) ` needs ", the ", ", a " or ", an ", each rarer than its word alone."""
    texts = [_plain(branch) for branch in branches]
    if None in texts:
        return None
    tail = _plain(list(takewhile(lambda item: item[0] is sre_parse.LITERAL, after))) or ""
    spelled = {f"{before}{text}{tail}" for text in texts}
    if min(map(len, spelled)) < 2:  # a lone letter is everywhere
        return None
    if ignore_case and not all(text.isascii() for text in spelled):
        return None
    return _clause({(t.lower() if ignore_case else t, ignore_case, False) for t in spelled})


def _whole_words(items: list, at: int, ignore_case: bool) -> tuple[Literal, ...] | None:
    """A branch of plain words between two `\\b` (a relation word), as whole-word literals."""
    branches = items[at][1][1]
    words = ["".join(chr(c) for op, c in b if op is sre_parse.LITERAL) for b in branches]
    if not (
        _boundary_beside(items, at, -1)
        and _boundary_beside(items, at, 1)
        and all(len(word) == len(b) for word, b in zip(words, branches, strict=True))
        and (not ignore_case or all(word.isascii() for word in words))
    ):
        return None
    return tuple(sorted({(w.lower() if ignore_case else w, ignore_case, True) for w in words}))


def _clause(literals: set[Literal]) -> tuple[Literal, ...]:
    """Literals of which a match holds one, less those that contain another plain one:
    a sentence that holds "HBO Max" holds "Max", so "HBO Max" adds no sentence."""
    return tuple(
        sorted(
            (text, ignore_case, whole_word)
            for text, ignore_case, whole_word in literals
            if whole_word
            or not any(
                other in text and other != text and case == ignore_case and not whole
                for other, case, whole in literals
            )
        )
    )


_BOUNDARY = (sre_parse.AT, sre_parse.AT_BOUNDARY)


def _boundary_beside(items: list, at: int, step: int) -> bool:
    """Whether a `\\b` stands next to `items[at]` (before with step -1), past lookarounds."""
    at += step
    while 0 <= at < len(items) and items[at][0] in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
        at += step
    return 0 <= at < len(items) and items[at] == _BOUNDARY


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what re calls \w in str patterns


def _boundary(text: str, at: int) -> bool:
    """re's `\\b` at an offset: a word character on exactly one side."""
    return (at > 0 and _is_word(text[at - 1])) != (at < len(text) and _is_word(text[at]))


#: A non-ASCII letter that re, ignoring case, matches to an ASCII one ("ſ" to "s", the
#: Kelvin sign to "k", "İ" to "i"; "İ" is also the one letter lower() makes two).
_FOLDS = re.compile(r"(?![\x00-\x7f])(?i:[a-z])")
_NONE: frozenset[int] = frozenset()


@dataclass(frozen=True, eq=False)
class LiteralSearch:
    """Every literal the rules require, ready to be found in one pass (Aho-Corasick):
    an automaton for the case-sensitive ones and one for those looked up in lower case."""

    literals: frozenset[Literal]
    #: (ignore_case, automaton); each text found maps to its length and its literals: the one
    #: found anywhere, and the whole-word one if a rule requires it (else None)
    automata: tuple[tuple[bool, ahocorasick.Automaton], ...]


@cache
def literal_search(rules: tuple[Rule, ...], lexicon: Lexicon) -> LiteralSearch:
    """The literals of every template of `rules`, built once per process."""
    literals = frozenset(
        literal
        for rule in rules
        for template in rule.patterns
        for clause in required_text(template, rule.id, lexicon)
        for literal in clause
    )
    automata = []
    for ignore_case in (False, True):
        automaton = ahocorasick.Automaton()
        texts = {text for text, case, _ in literals if case == ignore_case and text}
        if not texts:
            continue  # an automaton with no words cannot search
        for text in texts:
            whole = (text, ignore_case, True)
            found = (len(text), (text, ignore_case, False), whole if whole in literals else None)
            automaton.add_word(text, found)
        automaton.make_automaton()
        automata.append((ignore_case, automaton))
    return LiteralSearch(literals, tuple(automata))


class SentenceIndex:
    """An article's sentences, with which of them hold which text, each text looked up once.

    Built once per article and shared by both passes of `find_hits`.
    """

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        texts = [s.text for s in sentences]
        self.text = "\n".join(texts)
        # re matches an ASCII literal case-insensitively exactly where lower() shows it,
        # unless the text holds a non-ASCII letter re takes for an ASCII one (`_FOLDS`):
        # such text may hold a match lower() hides, so it is always a candidate.
        self.unsure = frozenset(
            i for i, t in enumerate(texts) if not t.isascii() and _FOLDS.search(t)
        )
        self.lowered = "\n".join(t if i in self.unsure else t.lower() for i, t in enumerate(texts))
        self.starts = [0]  # where each sentence starts in `text`, and where the next would
        for t in texts:
            self.starts.append(self.starts[-1] + len(t) + 1)
        self.every = frozenset(range(len(texts)))
        self.by_clause: dict[tuple[Literal, ...], frozenset[int]] = {}
        self.by_literal: dict[Literal, frozenset[int]] = {}
        self._searched: set[LiteralSearch] = set()

    def look_up(self, search: LiteralSearch) -> None:
        """Find where each of `search`'s literals stands, all in one pass over the text (and
        one over the lower-cased text): a `str.find` per literal scanned the whole article
        each time (synthetic articles: extraction 3.76 -> 3.23 ms an article)."""
        if search in self._searched:
            return
        self._searched.add(search)
        found: defaultdict[Literal, set[int]] = defaultdict(set)
        starts = self.starts
        for ignore_case, automaton in search.automata:
            haystack = self.lowered if ignore_case else self.text
            for end, (length, anywhere, whole_word) in automaton.iter(haystack):
                at = end + 1 - length
                index = bisect_right(starts, at) - 1
                found[anywhere].add(index)
                if whole_word and _boundary(haystack, at) and _boundary(haystack, end + 1):
                    found[whole_word].add(index)
        for literal in search.literals:
            held = frozenset(found.get(literal, ()))
            self.by_literal[literal] = self.unsure | held if literal[1] else held

    def candidates(self, required: Required) -> frozenset[int]:
        """The sentences (by index) that hold every clause of `required`."""
        found = self.every
        for clause in required:
            held = self.by_clause.get(clause)
            if held is None:
                held = self.by_clause[clause] = frozenset().union(*map(self._with, clause))
            found &= held
            if not found:
                break
        return found

    def naming(self, known: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
        """For each sentence, the known series it may name (any case), in their order in `known`.

        A `known` slot compiled with only these finds exactly what it finds with all of
        them, since the others cannot match in the sentence; so a compiled pattern serves
        every article that names the same series.
        """
        holders = {
            # the lower-case test is exact for ASCII only (see `_with`): others name any sentence
            name: self._with((name.lower(), True, False)) if name.isascii() else self.every
            for name in known
        }
        return {i: tuple(n for n in known if i in holders[n]) for i in self.every}

    def holding(self, text: str, *, whole_word: bool = False) -> frozenset[int]:
        """The sentences that hold `text` (as `\\btext\\b` would find it, with `whole_word`)."""
        return self._with((text, False, whole_word))

    def _with(self, literal: Literal) -> frozenset[int]:
        found = self.by_literal.get(literal)
        if found is None:
            text, ignore_case, whole_word = literal
            if ignore_case:
                found = self.unsure | self._holding(self.lowered, text, whole_word)
            else:
                found = self._holding(self.text, text, whole_word)
            self.by_literal[literal] = found
        return found

    def _holding(self, haystack: str, literal: str, whole_word: bool) -> frozenset[int]:
        """The sentences where `literal` stands in `haystack` (`text` or `lowered`).

        After a hit the search goes on at the next sentence, so a literal costs one
        search per sentence that holds it, plus one.
        """
        at = haystack.find(literal)
        if at == -1:  # most literals: one search, nothing to build
            return _NONE
        found = set()
        while at != -1:
            if whole_word and not (
                _boundary(haystack, at) and _boundary(haystack, at + len(literal))
            ):
                at = haystack.find(literal, at + 1)
                continue
            index = bisect_right(self.starts, at) - 1
            found.add(index)
            at = haystack.find(literal, self.starts[index + 1])
        return frozenset(found)


@cache
def _templates(rule: Rule, with_known: bool) -> tuple[str, ...]:
    """A rule's patterns with (or without) `known` slots."""
    return tuple(p for p in rule.patterns if needs_known(p) == with_known)


def _named_in(
    named: dict[int, tuple[str, ...]], sentences: frozenset[int], known: tuple[str, ...]
) -> tuple[str, ...]:
    """The known series any of `sentences` may name, in their order in `known`.

    A `known` slot compiled with these finds in each of the sentences exactly what it
    finds with only the series that sentence names (see `SentenceIndex.naming`), so a
    template compiles once for the article rather than once per set of series named.
    """
    if not named:
        return ()
    found = set().union(*(named[i] for i in sentences))
    return tuple(name for name in known if name in found)


def find_hits(
    rules: Iterable[Rule],
    index: SentenceIndex,
    lexicon: Lexicon,
    known: tuple[str, ...] | None,
) -> list[Hit]:
    """Every match of the rules' patterns in every sentence.

    With `known` None, only patterns that do not depend on the article's known series
    run; otherwise only those that do, with `known` as the article's series.
    """
    rules = tuple(rules)
    index.look_up(literal_search(rules, lexicon))
    sentences = index.sentences
    named = index.naming(known) if known else {}  # sentence -> the known series it names
    hits = []
    for rule in rules:
        live = [
            (template, candidates, _named_in(named, candidates, known or ()))
            for template in _templates(rule, known is not None)
            if (candidates := index.candidates(required_text(template, rule.id, lexicon)))
        ]
        if not live:
            continue
        forbid = re.compile(rule.forbid) if rule.forbid else None
        for i in sorted(frozenset().union(*(candidates for _, candidates, _ in live))):
            sentence = sentences[i]
            if sentence.heading and not rule.headings:
                continue
            if forbid and forbid.search(sentence.text):
                continue
            for template, candidates, series in live:
                if i not in candidates:
                    continue
                pattern = _compiled(template, rule.id, lexicon, series)
                for match in pattern.finditer(sentence.text):
                    if match[0][:1].isupper() and _INSIDE_NAME.search(
                        sentence.text, max(0, match.start() - 60), match.start()
                    ):
                        continue  # the match starts inside a longer name
                    groups = {k: v for k, v in match.groupdict().items() if v}
                    hits.append(Hit(rule, sentence, groups, match.start(), match.end()))
    return hits
