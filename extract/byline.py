"""Who wrote an article, when the front matter does not say: the byline in the text.

Bylines come as a short name line under the headline, "Review by X",
"X // Film Critic", "By X", or a closing bio ("X (@handle) is a Chicago-based
writer").
"""

from __future__ import annotations

import re
from functools import cache

from bosch_kg.extract.clean import fold
from bosch_kg.extract.config import Lexicon
from bosch_kg.extract.names import clean_name, name_patterns

_HEAD_LINES = 5  # a name line counts as a byline only this close to the top


@cache
def _patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """A name line, and the labelled bylines, compiled once per process."""
    person = name_patterns(lexicon).person
    labelled = (
        rf"^(?:Review |Written |Words |Posted |Reviewed )?[Bb]y ({person})$",
        rf"^({person}) (?://|\|) ",
        rf"^Author: ({person})$",
        rf"^({person})(?: \(@[\w.]+\))? is an? (?:[\w-]+ ){{0,3}}(?:writer|critic|journalist|"
        rf"editor|contributor|reporter)\b",
    )
    return re.compile(person), tuple(re.compile(pattern) for pattern in labelled)


def find_author(lines: list[str], lexicon: Lexicon) -> str | None:
    """The author's name from the body's lines (raw text), or None."""
    person, labelled = _patterns(lexicon)
    folded = [fold(line) for line in lines if line.strip()]
    for pattern in labelled:
        for line in folded:
            match = pattern.match(line)
            if match:
                return clean_name(match[1], lexicon)
    for line in folded[1:_HEAD_LINES]:
        words = line.split()
        if (
            person.fullmatch(line)
            and 2 <= len(words) <= 3
            and not any(w in lexicon.not_names or w in lexicon.networks for w in words)
        ):
            return line
    return None
