"""Split an article's text into paragraphs and sentences before any parsing.

The coder splits sentences itself, with rules, so that it can skip sentences that cannot hold
an event before the parser ever sees them, and so that sentence indexes do not move when the
parser's model changes. Paragraphs are separated by blank lines. Within a paragraph, a sentence
ends at `.`, `!` or `?` (with closing quotes or brackets) followed by space and a capital,
a digit or an opening quote, except after common abbreviations, initials and titles.

Two kinds of paragraph are kept out of coding (they are still segmented, so indexes stay
stable, and their names still feed the article's memory of actors):

- headings: a short paragraph without closing punctuation, most of whose words are
  capitalised (the title line that scraped text often starts with), unless it is the whole
  text (a headline given on its own is what is to be coded);
- page furniture: the comment box, cookie banner, share and subscribe prompts. Once a comment
  section opens ("Post a Comment", "3 Comments", "Leave a reply"), everything after it is
  furniture too: readers' comments are not the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cpl",
        "adm",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "sr",
        "jr",
        "messrs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "no",
        "nos",
        "vol",
        "pp",
        "fig",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "est",
        "approx",
        "vs",
        "etc",
        "al",
        "ave",
        "blvd",
        "ft",
        "mt",
        "u.s",
        "u.n",
        "u.k",
        "e.u",
        "a.m",
        "p.m",
        "i.e",
        "e.g",
    ]
)
_SENTENCE_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_COMMENT_SECTION = re.compile(
    r"^\s*(?:post a comment|leave a (?:comment|reply)|\d+\s+comments?|comments?\s*(?:\(\d+\))?|add a comment|join the (?:conversation|discussion)|show comments)\s*$",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"\b(?:cookies?|newsletter|subscribe|sign up|log in|click here|all rights reserved|privacy policy|terms of (?:use|service)|share this|follow us|read more|learn more|advertisement|spam)\b|#\w+=",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SentenceText:
    """One sentence of an article: its index, paragraph, text and whether it is codable."""

    index: int
    paragraph: int
    text: str
    codable: bool
    reason: str | None = None


def _is_heading(paragraph: str) -> bool:
    text = paragraph.strip()
    if not text or "\n" in text or text[-1] in '.!?"”’:;':
        return False
    words = _WORD.findall(text)
    if not words or len(words) > 25:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.6


_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*)(?:,\s*[A-Z][\w.'’ -]{1,40}?)?\s*(?:\([\w .&-]{1,30}\))?\s*(?::|—|–|--|-)\s+(?=[A-Z\d\"“])"
)


def strip_dateline(sentence: str) -> str:
    """A wire story's dateline ("GAZA CITY, Palestinian Territories:", "LYON (AFP) —") is where
    the story was filed, not a part of the first sentence's grammar."""
    match = _DATELINE.match(sentence)
    return sentence[match.end() :] if match else sentence


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, in order, stripped."""
    text = " ".join(paragraph.split())
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        before = text[start : match.start()]
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        stem = last_word.lower().strip("\"'“‘(")
        if match.group(0).startswith(".") and (
            stem in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", stem) or (len(stem) == 1 and stem.isalpha())
        ):
            continue
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def segment(text: str, title: str | None = None) -> list[SentenceText]:
    """Every sentence of the article, indexed from 0, with whether the coder should code it.

    `title` (when the caller has it separately) is not part of the text and is not coded; a
    first paragraph equal to it is marked as a heading.
    """
    sentences: list[SentenceText] = []
    in_comments = False
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    # A text that is one headline and nothing else ("eventwire code" fed headlines) is what
    # is to be coded, not the title line of a story.
    lone_headline = title is None and len(paragraphs) == 1
    for paragraph_index, paragraph in enumerate(paragraphs):
        heading = not lone_headline and (
            _is_heading(paragraph) or (title is not None and paragraph.strip() == title.strip())
        )
        for line in paragraph.splitlines() if not heading else [paragraph]:
            if _COMMENT_SECTION.match(line):
                in_comments = True
        for position, sentence in enumerate(split_sentences(paragraph)):
            if position == 0 and len(sentences) < 3:
                sentence = strip_dateline(sentence)
            reason = None
            if in_comments:
                reason = "comment section"
            elif heading:
                reason = "heading"
            elif _FURNITURE.search(sentence):
                reason = "page furniture"
            elif len(_WORD.findall(sentence)) < 3:
                reason = "too short"
            sentences.append(SentenceText(len(sentences), paragraph_index, sentence, reason is None, reason))
    return sentences
