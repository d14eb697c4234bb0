"""Which article languages the coder codes.

Articles in every language are stored, with the language extraction found; the coder's
dictionaries and parser are English, so only English articles are coded. An article whose
language could not be told (a short Latin-script text without enough function words) is
coded, as before languages were recorded: most such texts in this pipeline are English.
"""

from __future__ import annotations

CODED_LANGUAGES: frozenset[str] = frozenset({"en"})


def is_coded_language(language: str | None) -> bool:
    """Whether an article in `language` (ISO 639 code, or None when unknown) is coded."""
    return language is None or language in CODED_LANGUAGES
