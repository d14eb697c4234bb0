"""Grammar words and dependency sets the coder's rules consult.

Only closed classes live here: dependency labels, parts of speech, prepositions, pronouns,
determiners and quantifiers, subordinators, punctuation, calendar words, and the codes of
frame kinds, PLOVER types and sectors. The lexical word sets (mutual verbs, weapon nouns,
person roles, …) are versioned data in `data/reference/verbs/word_sets.tsv`, parsed into
`transforms.lexicon.WordSets` (`lexicon.words`).
"""

from __future__ import annotations

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "parataxis", "acomp", "oprd", "pobj", "prep"})
GENERIC_TARGET_PREPS: tuple[str, ...] = (
    "against", "on", "upon", "at", "with", "to", "toward", "towards", "into", "over", "from", "for",
)  # fmt: skip
AIMED_TYPES = frozenset({"ASSAULT", "COERCE", "THREATEN", "ACCUSE", "PROTEST"})
"""Types whose "at" names whom the act is aimed at ("fired at", "lashed out at"); for any other
"at" says where it happened ("announced the deal at the White House")."""
ACTION_TARGET_PREPS: dict[str, tuple[str, ...]] = {
    "RETREAT": ("from",),
    "CONSULT": ("with", "to", "between"),
    "AGREE": ("with", "between"),
    "COOPERATE": ("with", "to"),
    "AID": ("to", "for"),
    "SUPPORT": ("for", "to", "with"),
    "ASSAULT": ("against", "on", "at", "into"),
    "PROTEST": ("against", "outside"),
    "SANCTION": ("on", "against"),
    "ACCUSE": ("against", "of"),
    "THREATEN": ("against", "with"),
}
OBJECT_PREPS = frozenset({"with", "against", "on", "to", "between", "for", "toward", "towards", "into"})
NON_EVENT_FRAMES = frozenset(
    {"attribution", "desire", "negative", "failure", "attempt", "hypothetical", "future", "reported"}
)
FAILED_COOPERATION = ("03", "05")
"""CAMEO codes that "failed to X" makes a rejection of (CAMEO's FAIL block, 120): agreeing and
cooperating, reaching or signing an agreement ("failed to reach a deal", "failed to agree"). A failed act of
any other kind did not happen and is no event."""
EMBEDDING_FRAMES = frozenset({"threaten", "intent", "refuse", "request", "deny", "attribution", "allege", "claim"})
REASON_PREPOSITIONS = frozenset({"for", "of"})
HOST_A_VISIT = "043"
MALE_FEMALE_PRONOUNS = frozenset({"he", "she", "him", "her"})
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT", "ASSAULT"})
QUOTES = frozenset({'"', "“", "”", "``", "''"})
NOUNISH = frozenset({"NOUN", "PROPN", "PRON"})
TEMPORAL_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
     "tonight", "tomorrow", "overnight"}
)  # fmt: skip
DURATION_UNITS = frozenset(
    {"second", "minute", "hour", "day", "night", "week", "fortnight", "month", "year", "decade", "century"}
)
"""Units of time: "for six months", "for a third day" say how long, never whom an act is aimed at."""
LOCATIVE_PREPS = frozenset({"in", "at", "from"})
SPOKESPERSON_PREPS = frozenset({"for", "of"})
"""The prepositions that name whom a spokesperson speaks for ("a spokesman for the Kremlin")."""
ADVISER_PREPS = frozenset({"to", "of", "for"})
"""The prepositions that name whom an adviser or aide acts for ("an adviser to Zelensky")."""
QUANTIFIERS = frozenset({"some", "many", "most", "several", "one", "all", "few", "more"})
"""Quantifiers that, like a quantity noun, give a light verb's object its "of"/"in" phrase
("some of the heaviest strikes")."""
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC"})
REFUGEE_SECTOR = "REF"
"""The sector of refugees, migrants and asylum seekers: where they go is not theirs, and their
arriving somewhere is a journey, not a visit."""
COREFERENT_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "REB", "OPP", "UAF"})
"""Sectors whose bare or definite mention ("the army", "police") names the institution of the
country the article is about."""
CONDITIONAL_MARKS = frozenset({"if", "unless"})
OWN_POSSESSIVES = frozenset({"its", "their", "his", "her", "our", "my"})
"""Possessive pronouns by which a phrase is the subject's own ("withdrew its troops")."""

PARTICLE_WORDS = frozenset({"in", "on", "out", "up", "off", "over", "down", "back", "away"})
"""Words that can be a verb's particle as well as a preposition ("took *in* refugees")."""
