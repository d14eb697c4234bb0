"""Headlines written in title case, re-cased for the parser.

"Russia Bombs Syrian Rebel Positions Near Aleppo": with every word capitalised the tagger
reads the whole line as one name and finds no verb, so a headline coded on its own (a feed's
title through `eventwire code`, a lead in title case) gives no event. Before parsing, such a
line gets its common words in lower case — the lexicon's trigger words and their forms,
sector nouns, function words — while names keep their capitals: "Russia bombs Syrian rebel
positions near Aleppo". Only the parser's copy changes, letter for letter (the same length,
so every offset holds); the sentence stored with the row is the text as written.

A line is title case when it has at least `MIN_CONTENT_WORDS` words that are not function
words and at least `TITLE_SHARE` of them start with a capital. Acronyms ("EU", "U.S.") and
a word that opens a person's name the dictionaries know ("Ban Ki-moon Visits Seoul") keep
their capitals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

MIN_CONTENT_WORDS = 4
TITLE_SHARE = 0.8

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")

SMALL_WORDS = frozenset(
    "a an the and or but nor for of to in on at by from with as into onto over under near after "
    "before amid against about via per than up down off out upon".split()
)
"""Function words title case may leave in lower case ("Lifts Travel Ban *to* Lebanon")."""


class TitleRecaser:
    """Re-cases title-case lines (see the module doc).

    `common_words`: lower-case words that are not names (trigger forms, sector nouns, function
    words). `opens_person_name`: whether a capitalised word and the words after it name a
    person the dictionaries know ("Ban Ki-moon").
    """

    def __init__(self, common_words: Iterable[str], opens_person_name: Callable[[str], bool]) -> None:
        self.common_words = frozenset(w.lower() for w in common_words)
        self.opens_person_name = opens_person_name

    def recase(self, text: str) -> str:
        """`text` with its common words in lower case where it is a title-case line; else as is."""
        words = list(_WORD.finditer(text))
        if not is_title_case([w.group() for w in words]):
            return text
        letters = list(text)
        for position, match in enumerate(words):
            word = match.group()
            if not _capitalised(word) or word.lower() not in self.common_words:
                continue
            following = " ".join(w.group() for w in words[position : position + 2])
            named_next = position + 1 < len(words) and _capitalised(words[position + 1].group())
            if named_next and self.opens_person_name(following):
                continue
            lowered = word.lower()
            if len(lowered) != len(word):
                continue  # a letter whose lower case is longer would move every offset
            letters[match.start() : match.end()] = lowered
        return "".join(letters)


def is_title_case(words: list[str]) -> bool:
    """Whether most words that are not function words start with a capital (see the module doc)."""
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    if len(content) < MIN_CONTENT_WORDS:
        return False
    capitals = sum(1 for w in content if w[0].isupper())
    return capitals >= TITLE_SHARE * len(content)


def _capitalised(word: str) -> bool:
    """A word written with a capital and then lower case ("Bombs"), not an acronym ("EU")."""
    return word[0].isupper() and any(c.islower() for c in word[1:])
