"""Word sets and dependency sets the coder's rules consult."""

from __future__ import annotations

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "parataxis", "acomp", "oprd", "pobj", "prep"})
GENERIC_TARGET_PREPS: tuple[str, ...] = (
    "against", "on", "upon", "at", "with", "to", "toward", "towards", "into", "over", "from", "for",
)  # fmt: skip
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
OBJECT_CONTROL_VERBS = frozenset(
    {"urge", "ask", "order", "force", "allow", "help", "invite", "persuade", "tell", "call", "press",
     "encourage", "instruct", "compel", "require", "authorize", "authorise", "permit", "push", "lead", "want",
     "prompt", "cause", "drive", "spur", "provoke", "trigger", "get", "enable"}
)  # fmt: skip
NON_EVENT_FRAMES = frozenset(
    {"attribution", "desire", "negative", "failure", "attempt", "hypothetical", "future", "reported"}
)
FAILED_COOPERATION = ("03", "05")
"""CAMEO codes that "failed to X" makes a rejection of (CAMEO's FAIL block, 120): agreeing and
cooperating, reaching or signing an agreement ("failed to reach a deal", "failed to agree"). A failed act of
any other kind did not happen and is no event."""
EMBEDDING_FRAMES = frozenset({"threaten", "intent", "refuse", "request", "deny", "attribution", "allege", "claim"})
REASON_PREPOSITIONS = frozenset({"for", "of"})
CULPABILITY_ADJECTIVES = frozenset({"guilty", "culpable"})
"""Adjectives that assert the act under their "of": "X is guilty of violating the ceasefire" says
X violated it; unlike "jailed for helping" or "accused of attacking", it is not a reason or a claim."""
PARTITIVE_NOUNS = frozenset(
    {"group", "dozen", "hundred", "thousand", "score", "number", "batch", "contingent", "band", "crowd",
     "handful", "unit", "team", "delegation", "couple", "million"}
)  # fmt: skip
"""Heads that count or gather the actor named in their "of" phrase ("a group of asylum seekers",
"hundreds of workers"): when the head names no actor itself, the "of" phrase does."""
FORCE_WORDS = frozenset(
    {"troop", "soldier", "force", "peacekeeper", "peacekeeping", "army", "marine", "contingent", "battalion",
     "platoon", "brigade", "unit", "paratrooper", "servicemen", "personnel", "military", "navy", "police"}
)  # fmt: skip
"""Heads of a deployed force: "Russian troops were deployed to Syria" names who deployed them."""
HOST_A_VISIT = "043"
PLAN_NOUNS = frozenset(
    {"deal", "agreement", "accord", "pact", "plan", "proposal", "offer", "operation", "effort", "bid", "attempt",
     "campaign", "mission", "initiative", "push", "drive", "move", "process", "talks", "negotiation", "resolution",
     "law", "bill", "decision", "order", "decree", "request", "demand", "appeal", "call", "pledge", "promise",
     "commitment", "threat", "vote", "motion", "scheme", "programme", "program", "strategy", "framework",
     "roadmap", "timetable", "ultimatum", "deadline", "right", "power", "authority", "permission", "mandate"}
)  # fmt: skip
"""Nouns whose "to" infinitive is their content ("a deal to free the hostages", "an operation to
retake the town"): what was planned, agreed or asked for, not an act that happened."""

MALE_FEMALE_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_REFERENCES = frozenset(
    {"leader", "country", "nation", "side", "government", "state", "party", "neighbour", "neighbor", "ally", "rival",
     "minister", "president", "delegation"}
)  # fmt: skip
CARRIER_VERBS = frozenset(
    {"sign", "issue", "adopt", "approve", "pass", "publish", "release", "unveil", "announce", "endorse", "draft"}
)
"""Verbs whose document object carries an act: "signed a decree imposing sanctions", "issued a
statement calling on …", "adopted a resolution condemning …"."""
CARRIED_DOCUMENTS = frozenset(
    {"decree", "order", "law", "bill", "legislation", "resolution", "statement", "declaration", "motion",
     "communique", "directive", "ordinance", "measure", "text", "letter"}
)  # fmt: skip
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT", "ASSAULT"})
QUOTES = frozenset({'"', "“", "”", "``", "''"})
NOUNISH = frozenset({"NOUN", "PROPN", "PRON"})
TEMPORAL_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
     "tonight", "tomorrow", "overnight"}
)  # fmt: skip
LOCATIVE_PREPS = frozenset({"in", "at", "from"})
SPEAKS_FOR: dict[str, frozenset[str]] = {
    **dict.fromkeys(("spokesman", "spokeswoman", "spokesperson"), frozenset({"for", "of"})),
    **dict.fromkeys(("adviser", "advisor", "aide"), frozenset({"to", "of", "for"})),
}
"""Roles that speak or act for the actor named in their phrase, and the prepositions that name it
(not envoys or ambassadors: an envoy *to* Syria is not Syria's)."""
DOCUMENT_NOUNS = frozenset(
    {
        "report",
        "statement",
        "communique",
        "document",
        "study",
        "survey",
        "letter",
        "resolution",
        "declaration",
        "indictment",
        "dossier",
    }
)
CLAIM_NOUNS = frozenset(
    {"claim", "allegation", "accusation", "charge", "report", "assertion", "statement", "remark", "comment",
     "suggestion", "insinuation", "involvement", "responsibility", "wrongdoing", "rumour", "rumor"}
)  # fmt: skip
QUANTITY_NOUNS = frozenset(
    {
        "million",
        "billion",
        "thousand",
        "package",
        "tonne",
        "ton",
        "amount",
        "worth",
        "dollar",
        "euro",
        "series",
        "wave",
        "round",
        "number",
        "some",
        "many",
        "most",
        "several",
        "dozen",
        "hundred",
        "one",
        "all",
        "part",
        "few",
        "more",
    }
)
COMMIT_FRAMES = frozenset(
    {"agree", "pledge", "promise", "vow", "offer", "commit", "guarantee", "undertake", "willing", "ready"}
)
ACTOR_LIKE_NOUNS = frozenset(
    {
        "bomb",
        "bombing",
        "explosion",
        "blast",
        "attack",
        "airstrike",
        "strike",
        "shelling",
        "missile",
        "rocket",
        "mortar",
        "drone",
        "gunfire",
        "fire",
        "raid",
        "ambush",
        "grenade",
        "mine",
        "device",
        "ied",
        "gunman",
        "assailant",
        "attacker",
    }
)
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC"})
MUTUAL_VERBS = frozenset(
    {"meet", "agree", "sign", "clash", "fight", "talk", "negotiate", "cooperate", "collaborate", "reconcile",
     "ally", "exchange", "trade", "confer", "discuss", "conclude", "ink", "battle", "skirmish", "spar", "embrace",
     "normalize", "normalise", "partner", "consult"}
)  # fmt: skip
"""Verbs whose plural subject acts on itself ("X and Y met", "… clashed"): the event holds
both ways. "X and Y pledged aid" is two pledges, not a pledge to each other."""
MUTUAL_NOUNS = frozenset(
    {"talks", "talk", "meeting", "negotiation", "consultation", "discussion", "summit", "dialogue", "agreement",
     "deal", "accord", "pact", "treaty", "memorandum", "cooperation", "partnership", "alliance", "tie", "relation",
     "relationship", "clash", "fighting", "exercise", "drill", "ceasefire", "truce", "war", "conflict", "exchange"}
)  # fmt: skip
REQUESTING_INTENT = frozenset({"want", "wish", "expect", "need", "like", "prefer"})
"""Intent frames that become a request when the clause under them has a subject of its own
("wants Y to X"); a promise about someone else ("promised that Y would X") stays a promise."""
WARNING_VERBS = frozenset({"warn", "caution"})
CONSEQUENCE_VERBS = frozenset({"face", "pay", "suffer", "bear", "regret"})
"""Verbs of bearing consequences: "X said Y would pay a price" is X's threat against Y."""
INVERSE_VERBS = frozenset({"face", "receive", "draw", "attract", "suffer", "endure", "incur", "get"})
INVERSE_OBJECTS = frozenset(
    {"pressure", "criticism", "call", "demand", "threat", "accusation", "allegation", "charge", "condemnation",
     "aid", "assistance", "support", "backing", "help", "donation", "loan", "grant", "sanction", "warning",
     "ultimatum", "request", "appeal", "invitation", "offer", "praise", "apology", "protest", "rebuke",
     "trial", "hearing", "prosecution", "penalty", "sentence", "arrest", "weapon", "arm", "arms", "supplies",
     "equipment", "money", "fund", "shipment", "delivery", "ammunition", "food", "medicine", "vaccine",
     "assurance", "guarantee", "pledge", "commitment"}
)  # fmt: skip
"""Event nouns that an inverse verb's subject *receives* ("faced pressure from X", "received aid
from X"): the source in the "from"/"by" phrase acts, the subject is the target."""
WEAPON_NOUNS = frozenset(
    {"missile", "rocket", "shell", "bomb", "drone", "mortar", "grenade", "bullet", "round", "projectile",
     "munition", "weapon", "cannon", "gas", "artillery", "shot", "salvo", "volley", "barrage", "torpedo", "atacms"}
)  # fmt: skip
"""What is fired, not who is hit: "fired missiles at X" targets X."""
PERSON_ROLES = frozenset(
    {"president", "minister", "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador", "leader",
     "chancellor", "premier", "secretary", "chief", "commander", "governor", "mayor", "king", "queen", "prince",
     "emir", "general", "senator", "diplomat", "official", "adviser", "advisor", "negotiator", "prosecutor"}
)  # fmt: skip
"""Role nouns whose phrase names one person ("Russia's envoy, Mikhail Ulyanov"): "he" may refer back to it."""
COREFERENT_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "REB", "OPP", "UAF"})
"""Sectors whose bare or definite mention ("the army", "police") names the institution of the
country the article is about."""
CONDITIONAL_MARKS = frozenset({"if", "unless"})
VERBAL_CLASH_VERBS = frozenset({"clash", "spar", "feud", "quarrel", "wrangle", "tussle", "row", "lock"})
"""Verbs of fighting that, said of named people rather than of forces, mean a dispute."""
COLLECTIVE_NOUNS = frozenset({"bloc", "alliance", "organisation", "organization", "union", "grouping", "body"})
"""Nouns by which a story refers back to an international organisation ("the bloc")."""
