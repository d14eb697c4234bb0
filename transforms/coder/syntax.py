"""Syntax helpers: subjects, objects, prepositional objects, noun phrases, coordination, quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transforms.coder.lemmas import lemma_of
from transforms.coder.words import (
    DURATION_UNITS,
    NOUNISH,
    OBJECT_DEPS,
    QUOTES,
    SUBJECT_DEPS,
    TEMPORAL_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def children(token: Token, deps: frozenset[str] | set[str] | tuple[str, ...]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def particle_of(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ == "prt":
            return child.lower_
    return None


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def is_to_infinitive(clause: Token) -> bool:
    """Whether a clause is a "to" infinitive ("urged Y *to show* restraint")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def is_duration(head: Token) -> bool:
    """A phrase saying how long ("for six months", "for a third day"): a unit of time in a
    prepositional phrase, never a target (the "curfew hours" eased are a thing acted on)."""
    return head.dep_ == "pobj" and lemma_of(head) in DURATION_UNITS


def completes_a_plan_noun(clause: Token, plan_nouns: frozenset[str]) -> bool:
    """Whether an infinitive the parser hung on a verb completes the plan noun (one of
    `plan_nouns`) right before it: "clashed over a deal *to free* the hostages" is parsed as
    the clashing's purpose. Only the noun right before "to": further back ("a deal with Hamas
    to free …") the infinitive is as often the subject's own purpose."""
    if clause.tag_ != "VB":
        return False
    marks = [c for c in clause.children if c.dep_ == "aux" and c.lower_ == "to"]
    if not marks or marks[0].i == 0:
        return False
    before = clause.doc[marks[0].i - 1]
    return before.pos_ == "NOUN" and lemma_of(before) in plan_nouns and before.head.i != clause.i


def prep_objects(token: Token, prep: str | None = None) -> list[tuple[str, Token]]:
    """(preposition, object head) pairs under `token`, including the passive agent ("by")."""
    found: list[tuple[str, Token]] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") or (child.dep_ == "prt" and child.pos_ == "ADP"):
            word = child.lower_
            if prep is not None and word != prep:
                continue
            for grandchild in child.children:
                if grandchild.dep_ in ("pobj", "pcomp"):
                    found.append((word, grandchild))
            if child.dep_ == "dative" and child.pos_ in NOUNISH:
                found.append(("to", child))
    return found


def logical_objects(verb: Token) -> list[Token]:
    """The verb's object-like dependents: objects, passive subjects, predicative nouns."""
    deps = {"dobj", "obj", "oprd", "attr", "nsubjpass", "dative", "iobj"}
    return [c for c in verb.children if c.dep_ in deps]


def indefinite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an", "some", "any") for c in head.children)


def subject_of(verb: Token, control_verbs: frozenset[str], depth: int = 0) -> tuple[Token | None, str]:
    """The logical subject of a verb and how it was found; the object of one of
    `control_verbs` is the subject of its infinitive ("urged Y to X")."""
    if depth > 6:
        return None, "none"
    if is_passive(verb):
        for _, obj in prep_objects(verb, "by"):
            return obj, "passive-agent"
        return None, "passive-no-agent"
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return verb.head, "relative"
            return child, "subject"
    if verb.dep_ == "relcl":
        return None, "none"
    if verb.dep_ == "acl":
        if verb.tag_ == "VBN":
            for _, obj in prep_objects(verb, "by"):
                return obj, "participle-agent"
            if finite_taken_for_participle(verb):
                return verb.head, "subject"
            return None, "none"
        return verb.head, "participle"
    head = verb.head
    if head.i == verb.i:
        return None, "none"
    if verb.dep_ in ("attr", "acomp") and verb.tag_ == "VBG" and lemma_of(head) == "be":
        # "Qatar is mediating between …", parsed with the gerund as what Qatar is: a progressive.
        return subject_of(head, control_verbs, depth + 1)
    if verb.dep_ in ("acomp", "oprd") and verb.pos_ == "ADJ":
        found, how = subject_of(head, control_verbs, depth + 1)
        return found, ("shared-" + how if not how.startswith("shared-") else how)
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "ccomp", "pobj"):
        if verb.dep_ == "xcomp" and lemma_of(head) in control_verbs:
            objects = children(head, OBJECT_DEPS)
            if objects:
                return objects[0], "object-control"
        if verb.dep_ in ("xcomp", "advcl") and is_passive(head):
            passive_subjects = children(head, {"nsubjpass"})
            if passive_subjects and not prep_objects(head, "by"):
                return passive_subjects[0], "passive-control"
        if verb.dep_ == "ccomp" and verb.i != head.i + 1:
            # A clause reported or meant has a subject of its own; one glued to its verb
            # ("Ethiopia let free 74 leaders") is that verb's second half.
            return None, "none"
        if head.dep_ == "prep":
            head = head.head
        found, how = subject_of(head, control_verbs, depth + 1)
        return found, ("shared-" + how if not how.startswith("shared-") else how)
    return None, "none"


def finite_taken_for_participle(verb: Token) -> bool:
    """Whether a past participle describing the sentence's head noun is its finite verb the
    parser misread ("The Iraqi air force carried out at least three air strikes": no other
    verb, and a participle that describes a noun takes no direct object)."""
    head = verb.head
    # "Israeli airstrikes killed 20 people, officials said": the noun is made one of two
    # subjects of the reporting verb.
    doubled = head.dep_ == "nsubj" and sum(1 for c in head.head.children if c.dep_ == "nsubj") > 1
    return (
        (head.dep_ == "ROOT" or doubled)
        and head.pos_ in ("NOUN", "PROPN")
        and head.i < verb.i
        and any(c.dep_ == "dobj" for c in verb.children)
    )


def participle_agent(head: Token) -> Token | None:
    """The agent of a past participle describing `head` ("missiles *fired by the Israeli
    military*", "drones *launched by Russia*")."""
    for participle in head.children:
        if participle.dep_ == "acl" and participle.tag_ == "VBN":
            for _, agent in prep_objects(participle, "by"):
                return agent
    return None


def quoted_positions(doc: Doc) -> frozenset[int]:
    """Indexes of the tokens inside quotation marks (an odd number of quote marks before them)."""
    inside = False
    positions = set()
    for token in doc:
        if token.text in QUOTES:
            inside = not inside
        elif inside:
            positions.add(token.i)
    return frozenset(positions)


def in_quotes(token: Token) -> bool:
    """True when an odd number of quotation marks precede the token in its sentence."""
    return token.i in quoted_positions(token.doc)


_PHRASE_CUT_DEPS = frozenset({"conj", "cc", "relcl", "acl", "advcl", "punct", "npadvmod", "parataxis"})


def noun_phrase(head: Token) -> Span:
    """The noun phrase of `head`: its subtree up to the first conjunct, relative clause,
    trailing time word ("Tuesday") or the like after the head."""
    doc = head.doc
    right = head.right_edge.i
    subtree = list(head.subtree)
    for token in subtree:
        if token.i > head.i and token.i <= right and token.dep_ in _PHRASE_CUT_DEPS:
            if token.dep_ == "punct" and (token.head is not head or token.text not in (",", ";", ":", "(", "—", "–")):
                continue
            if token.dep_ == "npadvmod" and token.lower_ not in TEMPORAL_WORDS:
                continue
            right = min(right, token.left_edge.i - 1)
    for child in head.children:
        # "accused X of firing on …": a clause in a prepositional phrase is not part of the name.
        if (
            child.dep_ == "prep"
            and child.i > head.i
            and (
                any(g.dep_ == "pcomp" for g in child.children)
                or (child.i + 1 < len(doc) and doc[child.i + 1].tag_ == "VBG")
            )
        ):
            right = min(right, child.i - 1)
    listed = coordinated_heads(head)[1:]
    if listed:
        right = min(right, min(item.left_edge.i for item in listed) - 1)
    if len(subtree) != head.right_edge.i - head.left_edge.i + 1:
        inside = {t.i for t in subtree}
        for i in range(head.i + 1, right + 1):
            if i not in inside:
                right = i - 1  # a misparse that makes the subtree discontinuous: stop at the gap
                break
    right = max(right, head.i)
    while right > head.i and (
        doc[right].dep_ in ("punct", "cc", "case", "prep") or doc[right].lower_ in TEMPORAL_WORDS
    ):
        right -= 1
    left = head.left_edge.i
    while left < head.i and (doc[left].dep_ in ("punct", "cc", "preconj") or doc[left].lower_ in ("both", "either")):
        left += 1
    return doc[left : right + 1]


def coordinated_heads(head: Token) -> list[Token]:
    """The head and the noun phrases coordinated with it ("Russia and China", "the US, Russia,
    and Switzerland"), without descending into prepositional phrases."""
    found = [head]
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.pos_ not in NOUNISH:
                continue
            listed = child.dep_ == "conj" or (
                child.dep_ == "appos" and any(g.dep_ in ("cc", "conj") for g in child.children)
            )
            weird_head = node is head and head.pos_ == "ADP" and child.dep_ == "pobj"
            if listed or weird_head:
                if not weird_head:
                    found.append(child)
                stack.append(child)
    return sorted(found, key=lambda t: t.i)
