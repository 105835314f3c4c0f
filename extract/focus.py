"""What an article is about: its headline series, main series, lead, section topics.

Claims without an explicit series are about the sentence's subject series, the
section's topic or the article's main series; pronouns and possessives with no
name point at the lead.  Everything here is decided from the article alone.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from bosch_kg.extract.clean import key
from bosch_kg.extract.config import Lexicon
from bosch_kg.extract.dates import YEARS_RUN
from bosch_kg.extract.matcher import SentenceIndex
from bosch_kg.extract.names import clean_title, inside_name, name_patterns
from bosch_kg.extract.resolve import Names, known_series_pattern
from bosch_kg.extract.sentences import Sentence


def title_series(title: str, lexicon: Lexicon, colon: set[str]) -> str | None:
    """The series a headline is about: '"Ballard": ...', 'Bosch - Season 6 review'.

    `colon` holds titles with a colon seen in the text, so "Bosch: Legacy Sets ..." is
    about "Bosch: Legacy", not "Bosch".
    """
    names = name_patterns(lexicon)
    like = _LIKE.search(title)
    if like:  # "10 Shows Like Harbour Watch to Watch Next": the list is about Harbour Watch
        title = _LIKE_END.split(title[like.end() :])[0]
    for known in sorted(colon, key=len, reverse=True):
        if re.match(rf"[\"']?{re.escape(known)}(?![\w])", title, re.IGNORECASE):
            return known
    quoted = re.match(r"""^["']([^"']+)["']""", title) or re.search(
        r"""(?<![\w])["']([A-Z][^"']+)["'](?![\w])""", title
    )
    if quoted:
        candidate = quoted[1]
    else:
        candidate = title.split(" - ")[0]
        head, colon, tail = candidate.partition(": ")
        if colon and head in lexicon.not_names:  # a label: "TV: The Harbour - Season 3"
            candidate = tail
        elif colon and len(tail.split()) > 1:
            candidate = head
    candidate = re.sub(r"\s*\([^)]*\)\s*$", "", candidate).strip()
    candidate = re.sub(
        r"\s+(?:(?:TV Series |(?:Series|Season|Episode) \w+ |Series |Finale |Premiere )?"
        r"(?:Review|Recap|Preview)|(?:(?:Season|Series) \w+ )?(?:Cast(?: and Characters)?|"
        r"Ending Explained|Trailer|Release Date))$",
        "",
        candidate,
        flags=re.IGNORECASE,
    )
    words = candidate.split()
    if not words or len(words) > 5 or words[0] in lexicon.not_names - {"The", "A"}:
        return None
    if candidate in lexicon.networks or not re.fullmatch(names.title, candidate):
        return None
    return candidate


#: "Shows Like X", "Series Similar to X", "If You Like X" in a headline
_LIKE = re.compile(
    r"\b(?:(?:Shows|Series|Dramas|Thrillers|Procedurals|Mysteries)(?: Like| Similar [Tt]o)"
    r"|If You (?:Like|Love|Loved|Liked|Enjoyed))\s+",
    re.IGNORECASE,
)
#: where the series named after "Shows Like" ends: "X to Watch Next", "X If You Miss Y"
_LIKE_END = re.compile(
    r"\s+(?=(?:to|if|for|you|that|when|while|after|and|or|on|in|right)\b)|[:?!]", re.IGNORECASE
)


def named_in_body(title: str, sentences: list[Sentence]) -> bool:
    """Whether the text below the headline names the title.

    A one-word headline ("Schedule") is a series only if the article names it again.
    """
    pattern = re.compile(rf"(?<![\w]){re.escape(title)}(?![\w])", re.IGNORECASE)
    return any(pattern.search(s.text) for s in sentences if not (s.heading and s.line == 0))


def colon_titles(sentences: list[Sentence], lexicon: Lexicon) -> set[str]:
    """Titles with a colon ("Bosch: Legacy") written in running text."""
    found = set()
    pattern = re.compile(
        r"(?:(?<=\b[a-z]{2} )|(?<=\b[a-z]{3} )|(?<=\b[a-z]{4} )|(?<=, )|(?<=[\"']))"
        r"([A-Z][\w'-]*(?: [A-Z][\w'-]*)?: [A-Z][\w'-]*)(?=[\s,.;:!?)'\"]|$)(?! [A-Z])"
    )
    for sentence in (s for s in sentences if ": " in s.text):  # a match needs ": "
        for match in pattern.finditer(sentence.text):
            title = clean_title(match[1], lexicon)
            if ":" in title and not any(w.strip(":") in lexicon.not_names for w in title.split()):
                found.add(title)
    return found


def section_topics(sentences: list[Sentence], lexicon: Lexicon) -> dict[int, str]:
    """Headings that name the work their section is about: "Bosch (2015)", "8. Bodies".

    A heading that gives a title's years, or numbers it as an entry of a list, names
    a work even when its section opens without the name ("8. Bodies (2023)" over
    "Four detectives, four time periods, ..."); any other title-cased heading only
    when the section's first sentence names it too.
    """
    topics: dict[int, str] = {}
    names = name_patterns(lexicon)
    for i, sentence in enumerate(sentences):
        if not sentence.heading or not sentence.first:
            continue
        topic = _topic_of(sentence.text)
        following = next((s for s in sentences[i + 1 :] if not s.heading), None)
        if not (
            following
            and following.section == sentence.line
            and re.fullmatch(names.title, topic)
            and topic not in lexicon.not_names
        ):
            continue
        entry = _YEARS.search(sentence.text) or _ENUMERATION.match(sentence.text)
        if entry or re.search(rf"(?<![\w]){re.escape(topic)}(?![\w])", following.text):
            topics[sentence.line] = topic
    return topics


_ENUMERATION = re.compile(r"^(?:#?\d{1,3}[.):]?|[IVX]+\.)\s+")
_YEARS = re.compile(rf"\s*{YEARS_RUN}\s*$")


def _topic_of(heading: str) -> str:
    """'10. Harbour Watch (2009-2013)' -> 'Harbour Watch': no list number, no bracket."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", _ENUMERATION.sub("", heading)).strip()


def heading_note(heading: str) -> tuple[str | None, str | None]:
    """The network and first year a heading's bracket gives: 'Harbour Watch (2009-2013)' ->
    (None, '2009'), 'Dock Nine (Hulu, 2021- )' -> ('Hulu', '2021')."""
    found = _YEARS.search(heading)
    return (found[1], found[2]) if found else (None, None)


def main_series(
    title: str | None, names: Names, sentences: list[Sentence], url: str | None = None
) -> str | None:
    """The headline's series, else the one the page's address names, else the most named.

    An address ("/csi-vegas-series-order") names the page's subject; of two series it
    names, the longer is the one meant ("CSI: Vegas", not "CSI"); a series the address
    calls a spin-off's parent ("/harbour-spinoff-...") is not the subject.
    """
    if title:
        return names.canonical_series(title)
    pattern = known_series_pattern(sorted(names.series))
    if not pattern:
        return None
    counts: Counter[str] = Counter()
    for sentence in sentences:
        for match in pattern.finditer(sentence.text):
            if not inside_name(sentence.text, match.start()):
                counts[names.canonical_series(match[0]) or ""] += 1
    counts.pop("", None)
    for word in names.lexicon.not_names & set(counts):  # "FBI": mostly the agency, not the show
        counts[word] = 0
    slug = f"-{_slug(urlsplit(url).path)}-" if url else ""
    in_address = [
        s for s in counts if _slug(s) and f"-{_slug(s)}-" in slug and not _parent_in(slug, s)
    ]
    if in_address:
        return max(in_address, key=lambda s: (len(_slug(s)), counts[s]))
    return counts.most_common(1)[0][0] if counts else None


def _parent_in(slug: str, series: str) -> bool:
    """Whether an address names the series as a spin-off's parent ("/harbour-spinoff-cast",
    "/harbour-second-spin-off")."""
    return bool(re.search(rf"-{re.escape(_slug(series))}-(?:[a-z]+-)?spin-?off-", slug))


def _slug(text: str) -> str:
    """Words of a name or an address path, as comparison keys joined by hyphens."""
    return key(text).replace(" ", "-")


def subjects(sentences: list[Sentence], names: Names) -> dict[int, str]:
    """Sentences that open with a series ("Bosch is ...", "Season 2 of Bosch: Legacy ...",
    "In Bosch: Legacy, ...", "Joining A on Bosch is ..."), and the sentences after them in
    the same paragraph that name no series ("Night Ferry was created by Ola Finn. Ada
    Brandt stars as Mara Quill."); one that names another ends the run.

    The article's series pattern (`known_series_pattern`, compiled once for the article
    and shared with `main_series` and emission) finds them: a pattern of its own would
    cost another compile per article.
    """
    known = known_series_pattern(sorted(names.series))
    if not known:
        return {}
    subjects: dict[int, str] = {}
    paragraph, subject = -1, None
    for sentence in sentences:
        text = sentence.text
        if sentence.line != paragraph:
            paragraph, subject = sentence.line, None
        season = _SEASON_OF.match(text) or _FRAME.match(text)
        opening = (season and _opening(known, text, season.end())) or _opening(known, text, 0)
        if opening and (found := names.canonical_series(opening)):
            subjects[sentence.start] = subject = found
        elif known.search(_BRACKETS.sub("", text)):
            subject = None  # a series named elsewhere in a sentence ends the paragraph's
        elif subject:  # a sentence that names no series (brackets aside) stays on it
            subjects[sentence.start] = subject
    return subjects


_SEASON_OF = re.compile(r"[Ss]eason \w+ of ")
_BRACKETS = re.compile(r"\([^)]*\)")
#: An opening adjunct that frames the sentence in a series: "In X, ...", "Joining A on X is ...",
#: "Original X stars A and B".
_FRAME = re.compile(
    r"(?:(?:Over |Back |Meanwhile,? )?(?:In|On|For) |Joining [^,.]{1,40}? (?:on|in) "
    r"|(?:The )?[Oo]riginal )"
)
#: Not "Bosch's", "Bosch (2014)", the head of a colon title ("Bosch: Legacy stars ..."), nor a
#: series that qualifies a role ("Bosch EP", "Bosch star").
_SUBJECT_END = re.compile(
    r"(?![\w':])(?! \()(?! (?:EPs?|showrunners?|stars?|creators?|producers?|writers?|directors?"
    r"|alums?|actors?|actress|cast|fans)\b)"
)


def _opening(known: re.Pattern[str], text: str, at: int) -> str | None:
    """The longest series at `at` that `_SUBJECT_END` may follow, as the text spells it.

    `known` finds the longest series there that no word character follows; when "'" or " ("
    follows it, the text is cut short before its end and the next longest one tried.
    """
    end = len(text)
    while match := known.match(text, at, end):
        if _SUBJECT_END.match(text, match.end()):
            return match[0]
        end = match.end() - 1
    return None


def lead(main: str | None, names: Names, index: SentenceIndex) -> str | None:
    """The lead: the character the series is named after, else the one named most often.

    A character counts in each sentence that names them in full, by first name, or by
    a surname no other character shares; the lead must be named twice and more than
    any rival.
    """
    candidates = [c for c in names.characters if len(c.split()) > 1]
    if main:
        titled = [c for c in candidates if key(main) in key(c).split()]
        if not titled:  # "Ballard" and "Renée Ballard, who ...": a name the text gives only
            titled = [
                m
                for m in names.mentions
                if key(m).split()[-1:] == [key(main)]
                and m not in names.actors
                and m not in names.crew
            ]
        candidates = titled or candidates
    surnames = Counter(c.split()[-1] for c in candidates)

    def score(character: str) -> int:
        words = [character, character.split()[0]]
        if surnames[character.split()[-1]] == 1:
            words.append(character.split()[-1])
        return len(frozenset().union(*(index.holding(w, whole_word=True) for w in words)))

    ranked = sorted(((score(c), c) for c in candidates), reverse=True)
    if not ranked or ranked[0][0] < 2 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]
