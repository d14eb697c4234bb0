"""Lemma helpers: a token's lemma, its guessed base forms, the one the lexicon knows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transforms.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token


def lemma_of(token: Token) -> str:
    return token.lemma_.lower()


def base_forms(token: Token) -> list[str]:
    """The token's lemma, then base forms guessed from its text: the small model's lemmatizer
    sometimes errs ("staged" → "stag", "hopes" → "hop"), and a missed lemma is a missed event."""
    lemma = token.lemma_.lower()
    word = token.lower_
    forms = [lemma, word]
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            forms.append(stem)
            if len(stem) > 3 and stem[-1] == stem[-2] and not replacement:
                forms.append(stem[:-1])
    return list(dict.fromkeys(forms))


def known_lemma(lexicon: Lexicon, token: Token) -> str:
    """The first base form of `token` the lexicon knows as a verb, pattern, light verb or frame."""
    forms = base_forms(token)
    for form in forms:
        if form in lexicon.frames:
            return form
    for form in forms:
        if (form, None) in lexicon.verbs or form in lexicon.patterns or form in lexicon.light_verbs:
            return form
    return token.lemma_.lower()
