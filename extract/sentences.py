"""Split an article body into lines, drop spam lines, and cut lines into sentences.

Each sentence keeps its offsets in the original file text, so evidence quotes
the article verbatim (`text[start:end] == raw`).  Web articles put one
paragraph, heading or list item per line, so a sentence never crosses a line.

Our own splitter rather than pysbd: pysbd cuts "Dept. Q" in two and does not
return offsets we could trust; abbreviations live in the lexicon instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bosch_kg.extract.clean import fold, is_spam
from bosch_kg.extract.config import Lexicon
from bosch_kg.extract.dates import YEARS_RUN
from bosch_kg.extract.read import Document

_END = re.compile(r"[.!?]+[\"'\u2019\u201d)\]]*(?=\s+[\"'\u2018\u201c(\[]?[A-Z0-9\u00c0-\u00de])")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article, with where it stands."""

    raw: str  # exactly as in the file
    start: int
    end: int
    text: str  # folded, for matching
    line: int  # index of the line (paragraph) it belongs to
    first: bool  # first sentence of its line
    heading: bool  # the line is a heading
    section: int  # index of the heading line that opens its section (-1: none)


def _is_heading(line: str, lexicon: Lexicon) -> bool:
    """A short title-cased line without a full stop reads as a heading."""
    words = line.split()
    if not words or len(words) > 14 or line.rstrip().endswith((".", ",", ";", ":")):
        return False
    # "Bosch (2015)", "Bosch (2014-2021)", "Bosch (2021-)", "Bosch (Prime Video, 2014-2021)"
    # are headings
    line = re.sub(rf"{YEARS_RUN}$", "", line.rstrip())
    if ", " in line or "(" in line or line.startswith("- "):  # a list or a note, not a heading
        return False
    if ": " in line:  # "Label: value" is a heading only when the value is title-cased too
        words = line.split(": ", 1)[1].split()
    if line.lstrip().startswith(("=", "#")):
        return True
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    if not long_words:
        return False
    capitalised = sum(w[0].isupper() for w in long_words)
    return capitalised / len(long_words) >= 0.6


def _cut(line: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Sentence spans within one line."""
    spans, begin = [], 0
    for match in _END.finditer(line):
        before = line[begin : match.start()].rsplit(maxsplit=1)
        last = before[-1] if before else ""
        after = line[match.end() :].split(maxsplit=1)
        nxt = re.split(r"['\u2019]", after[0].strip("\"'\u2018\u201c(["))[0] if after else ""
        if match.group().startswith(".") and last.rstrip(".") in lexicon.abbreviations:
            continue
        if begin == 0 and re.fullmatch(r"\d{1,3}\.", line[: match.end()].strip()):
            continue  # a list number: "10. Harbour Watch (2021)"
        if re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", last) and nxt not in lexicon.not_names:
            continue  # an initial ("Stephen A. Chang"), not the end of a sentence
        spans.append((begin, match.end()))
        begin = match.end()
        while begin < len(line) and line[begin].isspace():
            begin += 1
    if line[begin:].strip():
        spans.append((begin, len(line.rstrip())))
    return spans


_LABEL = re.compile(r"([A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}): +(?=\S)")


def _speakers(body: str) -> set[str]:
    """The labels of an interview's turns ("Q:", "North:"), in an article with questions
    ("Q:" turns): a question's or answer's letter, or the last word of a name the article
    gives in full ("David J. North").  A field ("Cast:", "Network:") is no one's name, and a
    colon title ("Bosch: Legacy") no interview's turn, so their lines keep their label."""
    labels = {m[1] for m in _LABEL.finditer(body) if m.start() == 0 or body[m.start() - 1] == "\n"}
    if "Q" not in labels:
        return set()
    return {
        label
        for label in labels
        if label in ("Q", "A")
        or re.search(rf"\b[A-Z][\w.'-]+ (?:[A-Z][\w.'-]* )*{re.escape(label)}\b", body)
    }


def split(
    document: Document, lexicon: Lexicon, title: str = ""
) -> tuple[list[Sentence], list[str]]:
    """The article's sentences, and the lines dropped as spam; the title line is a heading."""
    sentences: list[Sentence] = []
    skipped: list[str] = []
    offset = document.body_start
    section = -1
    speakers = _speakers(document.body)
    for index, line in enumerate(document.body.splitlines(keepends=True)):
        line_start, offset = offset, offset + len(line)
        content = line.rstrip("\r\n")
        if not content.strip():
            continue
        folded = fold(content)
        if is_spam(folded, lexicon):
            skipped.append(content.strip())
            continue
        heading = content.strip() == title.strip() or _is_heading(folded, lexicon)
        if heading:
            section = index
        lead = len(content) - len(content.lstrip())
        label = _LABEL.match(content, lead)
        if label and label[1] in speakers:  # "North: Mariel Molino plays ..."
            lead = label.end()
        for n, (a, b) in enumerate(_cut(content[lead:], lexicon)):
            start, end = line_start + lead + a, line_start + lead + b
            raw = document.text[start:end]
            sentences.append(Sentence(raw, start, end, fold(raw), index, n == 0, heading, section))
    return sentences, skipped
