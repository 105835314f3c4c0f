"""What a name looks like in English text, as regular expressions built from the lexicon.

Names are found by shape (capitalised words, initials, particles, quoted
nicknames), never by listing them: the extractors must work on articles about
people nobody wrote down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from bosch_kg.extract.config import Lexicon

UP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_WORD_CHARS = r"(?:[\w+&-]|'(?=\w)(?!s\b))"
_CAP = rf"[{UP}]{_WORD_CHARS}*"
_INITIALS = rf"(?:[{UP}]\.)+"
_NICK = r'"[^"\s][^"]{0,20}"'  # 'Dennis "Cisco" Wojciechowski'
#: inside a name only, single quotes too: "Mathew 'Dot,' Cottan"
_INNER_NICK = rf"""(?:{_NICK}|'[A-Z][\w.-]{{0,20}},?'(?= [A-Z]))"""
_TITLE_STOPS = r"(?!(?:Season|Seasons|Episode|Episodes|Part|Vol)\b)"


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """The words as regex alternatives, longest first.

    A lookahead on their first letters lets the engine pass a position with one test
    instead of trying every word there (it matches exactly the same).
    """
    if not words:
        return ""
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    longest_first = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return f"(?=[{firsts}])(?:{longest_first})"


@dataclass(frozen=True)
class NamePatterns:
    """Regular expressions for the kinds of names rules refer to."""

    person: str  # "John Carroll Lynch", "Stephen A. Chang", 'Dennis "Cisco" Wojciechowski'
    character: str  # a person-shaped name, with an optional rank in front
    ranked: str  # a person-shaped name after a rank: "DCS Patricia Carmichael"
    title: str  # a title: "Sons of Anarchy", "Dept. Q", "Bosch: Legacy", '"Ballard"'


@cache
def name_patterns(lexicon: Lexicon) -> NamePatterns:
    """Compile-ready pattern strings (no groups) for names."""
    abbr = rf"(?:{alternation(lexicon.abbreviations)})\."
    # A name's possible first characters, as a lookahead: a search passes every other
    # position with one test instead of trying each alternative of the pattern there.
    firsts = rf"{UP}{''.join(sorted({re.escape(a[0]) for a in lexicon.abbreviations}))}"
    token = rf"(?:{abbr}|{_INITIALS}|{_CAP})"
    particle = rf"(?:{alternation(lexicon.particles)})"
    joint = rf"(?: ?{_INNER_NICK} ?| (?:{particle} )?)"
    # at most six tokens: no runaway matching; a name that opens with an article
    # ("The Good Wife") is a title, never a person
    person = rf"(?=[\"{firsts}])(?!(?:The|A|An) )(?:{_NICK} ?)?{token}(?:{joint}{token}){{0,5}}"
    honorific = rf"(?:{alternation(lexicon.honorifics)})"
    rank = rf"(?:(?:[A-Z]{{2,}} |[A-Z][a-z]+ ){{0,2}}(?i:{honorific}) )"
    character = rf'"?{rank}?{person}"?'
    ranked = rf'"?{rank}{person}"?'
    t_token = rf"{_TITLE_STOPS}(?:{abbr}|{_INITIALS}|{_CAP}(?:'s(?= [{UP}]))?)"
    joins = "|".join(f" {re.escape(c)} " for c in lexicon.title_connectors)
    inner = rf"(?:The |A )?{t_token}(?:(?:{joins}| )(?!and\b){t_token}){{0,7}}"
    # a subtitle: "Legacy", "Most Wanted", "For the Defense" (at most three words)
    sub = rf"{t_token}(?:(?:{joins}| ){t_token}){{0,2}}"
    colon = rf"(?:: {sub}(?=[ ,.;:!?)'\"]|$)(?! [{UP}]))?"
    title = rf"(?=[\"'{firsts}])(?:\"{inner}{colon}\"|'{inner}{colon}'|{inner}{colon})"
    return NamePatterns(person=person, character=character, ranked=ranked, title=title)


@lru_cache(maxsize=1 << 14)  # the same names come back in every hit and mention
def clean_name(name: str, lexicon: Lexicon, *, honorifics: bool = True) -> str:
    """A name without quotes, nicknames, rank, possessive or sentence-opening words."""
    name = _title_modifiers(lexicon).sub("", name)  # "Jo Doe-starring Mara Quill"
    without = " ".join(re.sub(_INNER_NICK, " ", name).split())
    name = without if without.strip(" .,;:'\"") else name
    name = re.sub(r"'s$", "", name.strip(" \"'.,;:"))
    words = name.split()
    if honorifics:  # "LA Police detective Harry Bosch" -> "Harry Bosch"
        ranks = {h.casefold() for h in lexicon.honorifics if " " not in h}
        cut = [i for i, w in enumerate(words[:-1]) if w.casefold() in ranks]
        words = words[cut[-1] + 1 :] if cut else words
    while words and words[0] in lexicon.not_names:
        words = words[1:]
    return " ".join(_capitals_fixed(words)).strip(" \"'")


def _capitals_fixed(words: list[str]) -> list[str]:
    """A name in capitals ends where the capitals do: 'CARL MORCK Detective' -> 'Carl Morck'."""
    caps = [len(w) > 1 and w.isupper() for w in words]
    if len(words) < 2 or not (caps[0] and caps[1]):
        return words
    run = caps.index(False) if False in caps else len(words)
    return [w.capitalize() for w in words[:run]]


def clean_title(title: str, lexicon: Lexicon) -> str:
    """A title without quotes, possessive, a dangling article or the modifiers before it.

    Modifiers: a network's possessive ("Netflix's The Harbour"), a name glued to a
    modifier suffix ("Mara Quill-starring The Harbour"). A company ("Harbour Studios") is
    no title. A sentence-opening word before "The" ("In The Harbour", but "Under the Banner
    of Heaven") is left to the article's other mentions (`Names.canonical_series`).
    """
    title = re.sub(r"'s$", "", title.strip(" \"'.,;:"))
    title = _title_modifiers(lexicon).sub("", title)
    words = title.split()
    if words and words[-1] in ("The", "A"):
        words = words[:-1]
    if words and words[-1] in lexicon.company_words:
        return ""
    return " ".join(words).strip(" \"'")


@cache
def _title_modifiers(lexicon: Lexicon) -> re.Pattern[str]:
    networks = alternation([n for n in lexicon.networks if n[0].isupper()])
    suffixes = alternation(lexicon.modifier_suffixes)
    return re.compile(rf"^(?:(?:{networks})'s |.*?-(?i:{suffixes}) )+")


def before_modifier(name: str, lexicon: Lexicon) -> str:
    """'Jo Doe-starring The Harbour' -> 'Jo Doe': the name a modifier suffix is glued to."""
    return _modifier_and_after(lexicon).sub("", name)


@cache
def _modifier_and_after(lexicon: Lexicon) -> re.Pattern[str]:
    return re.compile(rf"-(?i:{alternation(lexicon.modifier_suffixes)})\b.*$")


def opener_removed(title: str, lexicon: Lexicon) -> str | None:
    """'In The Harbour' -> 'The Harbour': the title without a capitalised opening word."""
    first, _, rest = title.partition(" ")
    if first in lexicon.not_names and first not in ("The", "A", "An") and rest[:1].isupper():
        return rest
    return None


def inside_name(text: str, start: int) -> bool:
    """Whether what starts at `start` continues a capitalised name ("Renée Ballard")."""
    return bool(re.search(r"[A-Z][\w.]* $", text[max(0, start - 40) : start]))
