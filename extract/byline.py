"""Who wrote an article, when the front matter does not say: the byline in the text.

Bylines come as a short name line under the headline, "Review by X",
"X // Film Critic", "By X", or a closing bio ("X (@handle) is a Chicago-based
writer").
"""

from __future__ import annotations

import re

from bosch_kg.extract.clean import fold
from bosch_kg.extract.config import Lexicon
from bosch_kg.extract.names import clean_name, name_patterns

_HEAD_LINES = 5  # a name line counts as a byline only this close to the top


def find_author(lines: list[str], lexicon: Lexicon) -> str | None:
    """The author's name from the body's lines (raw text), or None."""
    person = name_patterns(lexicon).person
    folded = [fold(line) for line in lines if line.strip()]
    labelled = [
        rf"^(?:Review |Written |Words |Posted |Reviewed )?[Bb]y ({person})$",
        rf"^({person}) (?://|\|) ",
        rf"^Author: ({person})$",
        rf"^({person})(?: \(@[\w.]+\))? is an? (?:[\w-]+ ){{0,3}}(?:writer|critic|journalist|"
        rf"editor|contributor|reporter)\b",
    ]
    for pattern in labelled:
        for line in folded:
            match = re.match(pattern, line)
            if match:
                return clean_name(match[1], lexicon)
    for line in folded[1:_HEAD_LINES]:
        words = line.split()
        if (
            re.fullmatch(person, line)
            and 2 <= len(words) <= 3
            and not any(w in lexicon.not_names or w in lexicon.networks for w in words)
        ):
            return line
    return None
