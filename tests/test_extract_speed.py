"""The extractor's shortcuts skip only work that could find nothing.

The sentence index keeps a pattern away from sentences that lack text it needs, a
`known` slot is compiled with only the series a sentence names, and alternations
carry a first-letter lookahead: each must leave every match as the plain regex finds it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bosch_kg.extract.config import load_lexicon, load_rules
from bosch_kg.extract.matcher import SentenceIndex, compile_template, required_text, slot_types
from bosch_kg.extract.names import alternation, name_patterns
from bosch_kg.extract.read import read_document
from bosch_kg.extract.sentences import Sentence, split

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted(
    [
        *ROOT.glob("seeds/*.txt"),
        *ROOT.glob("tests/articles/dev/*"),
        *ROOT.glob("tests/articles/own/*"),
    ]
)
#: Text made to sit on the edges: words inside words, accents, underscores, other cases.
HOSTILE = [
    "Season two: her son's grandson, the reason, a person, Sonny and son_in_law.",
    "Harry's ex-wife Eleanor Wish, his half-sister and his mom (momentous) are here.",
    "ÉLODIE's MOTHER, the Détective, and Renée Ballard's partner join the team.",
    "The EXECUTIVE PRODUCER is Michael Connelly; the showrunner was Tom Bernardo.",
    "It streams on PRIME VIDEO, on amazon prime video and on Netflix's service.",
    "Bosch: Legacy season 3 premiered on March 27, 2025 with ten episodes.",
    "BOSCH: LEGACY stars Titus Welliver, and ÉLITE star Ester Expósito joins Élite's cast.",
    "★★★½☆ (3.5 out of 5) - Rating: ⭐⭐⭐⭐ 4/5, and \u2665\u2665\u2665 (3/5)",
    "Our rating: ★★★½☆",
    "The ſhowrunner of Élite is the EXECUTIVE PRODUCER; \u212aelvin İs a DİRECTOR of Bosch.",
]


def _sentences() -> list[Sentence]:
    lexicon = load_lexicon()
    found = [s for path in ARTICLES for s in split(read_document(path), lexicon)[0]]
    return found + [Sentence(t, 0, len(t), t, 0, True, False, -1) for t in HOSTILE]


@pytest.fixture(scope="module")
def sentences() -> list[Sentence]:
    return _sentences()


def test_the_sentence_index_never_drops_a_sentence_a_pattern_matches(
    sentences: list[Sentence],
) -> None:
    lexicon = load_lexicon()
    index = SentenceIndex(sentences)
    for known in ((), ("Bosch", "Bosch: Legacy", "Ballard", "Élite", "The Lincoln Lawyer")):
        types = slot_types(lexicon, known)
        for rule in load_rules():
            for template in rule.patterns:
                pattern = compile_template(template, types, rule.id)
                candidates = index.candidates(required_text(template, rule.id, lexicon))
                for i, sentence in enumerate(sentences):
                    if pattern.search(sentence.text):
                        assert i in candidates, (rule.id, template, sentence.text)


def test_a_known_slot_with_only_the_series_a_sentence_names_matches_the_same(
    sentences: list[Sentence],
) -> None:
    lexicon = load_lexicon()
    known = (
        "Ballard",
        "Bosch",
        "Bosch: Legacy",
        "Dept. Q",
        "Élite",
        "The Lincoln Lawyer",
        "Legacy",
    )
    full = slot_types(lexicon, known)
    naming = SentenceIndex(sentences).naming(known)
    for rule in load_rules():
        for template in (t for t in rule.patterns if "known" in t):
            everything = compile_template(template, full, rule.id)
            for i, sentence in enumerate(sentences):
                only = compile_template(template, slot_types(lexicon, naming[i]), rule.id)
                expected = [(m.span(), m.groupdict()) for m in everything.finditer(sentence.text)]
                assert [(m.span(), m.groupdict()) for m in only.finditer(sentence.text)] == expected


@pytest.mark.parametrize("word", ["son", "ex-wife", "mom", "Son", "_in", "É", "2025"])
def test_whole_words_are_found_where_the_regex_finds_them(word: str) -> None:
    texts = [*HOSTILE, "son", "sons", "son-", "-son", "x_son", "Élodie É É2", "2025x 2025"]
    sentences = [Sentence(t, 0, len(t), t, 0, True, False, -1) for t in texts]
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    expected = {i for i, t in enumerate(texts) if pattern.search(t)}
    assert SentenceIndex(sentences).holding(word, whole_word=True) == expected


def test_an_alternation_with_its_lookahead_matches_as_the_bare_one() -> None:
    words = ["Det", "det.", "DCI", "Apple TV+", "été", "Kelvin", "st", "(x)"]
    texts = [*HOSTILE, "DET. det ÉTÉ été \u212aelvin ſt Apple TV+ (x) dci"]
    bare = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    for flags in (0, re.IGNORECASE):
        for text in texts:
            assert re.findall(alternation(words), text, flags) == re.findall(bare, text, flags)


def test_names_with_their_first_character_lookahead_match_as_without(
    sentences: list[Sentence],
) -> None:
    names = name_patterns(load_lexicon())
    for pattern in (names.person, names.title):
        bare = re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern))
        assert bare.pattern != pattern
        compiled = re.compile(pattern)
        for sentence in sentences:
            found = [m.span() for m in compiled.finditer(sentence.text)]
            assert found == [m.span() for m in bare.finditer(sentence.text)], sentence.text
