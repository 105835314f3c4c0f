"""Clean text for matching: one canonical spelling of letters, quotes and dashes.

Articles come with smart quotes, non-breaking spaces, control characters and
look-alike letters from other scripts (a Cyrillic "Ӧ" in a Turkish name).
Rules match on the folded text; evidence always quotes the original.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

from bosch_kg.extract.config import Lexicon

_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": " - ",
        "\u2014": " - ",
        "\u2015": " - ",
        "\u2212": "-",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\ufe0f": None,
    }
)


def _latin(char: str) -> str:
    """The Latin letter a non-Latin look-alike stands for, or the letter itself."""
    if char.isascii() or not char.isalpha():
        return char
    if unicodedata.name(char, "").startswith("LATIN"):
        return char
    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if glyph["n"].startswith("LATIN") and len(glyph["c"]) == 1:
                return glyph["c"]
    return char


class _Letters(dict[int, str]):
    """A `str.translate` table filled on first use: control characters to spaces,
    look-alike letters to Latin (one C-level pass instead of a Python call per character)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = " " if unicodedata.category(char) in ("Cc", "Cf") else _latin(char)
        return self[code]


_LETTERS = _Letters()


def _latin_letters(text: str) -> str:
    """Look-alike letters to Latin, control characters to spaces; on the decomposed text,
    so an accented look-alike (a Cyrillic "Ӧ") becomes the accented Latin letter ("Ö")."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_LETTERS))


@lru_cache(maxsize=1024)  # byline, spam and heading tests fold the same lines
def fold(text: str) -> str:
    """NFKC, look-alike letters to Latin, ASCII quotes and dashes, no control characters."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    return " ".join(_latin_letters(text.replace("--", " - ")).split())


@lru_cache(maxsize=1 << 16)  # names recur in thousands of claims
def fold_lookalikes(text: str) -> str:
    """A name's letters as the rules read them (NFKC, look-alike letters to Latin), its
    punctuation and spacing kept: the graph folds labels and searched names so too."""
    return _latin_letters(unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """A comparison key: folded, accents and punctuation dropped, case-free."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", fold(text)) if unicodedata.category(c) != "Mn"
    )
    words = "".join(c if c.isalnum() or c.isspace() else " " for c in plain.casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def is_spam(folded: str, lexicon: Lexicon) -> bool:
    """True for ad, promo, comment-form and share-button lines (given folded)."""
    return any(pattern.search(folded) for pattern in lexicon.spam)
