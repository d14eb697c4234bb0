"""The PLOVER event types, their quad classes and intensities, and the CAMEO codes they map from.

The table is the one in DESIGN.md. CAMEO 01 (statements) and the 02 appeals that ask for nothing
have no PLOVER type: a bare "X said" is attribution, not an event.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PloverType:
    """One PLOVER event type: its quad class, its default intensity and the modes it admits."""

    name: str
    quad_class: int
    intensity: float
    modes: tuple[str, ...] = ()
    mode_intensity: tuple[tuple[str, float], ...] = ()

    def intensity_for(self, mode: str | None) -> float:
        """The intensity of this type in `mode` (a mode may score differently, as a visit does)."""
        return dict(self.mode_intensity).get(mode or "", self.intensity)


PLOVER: dict[str, PloverType] = {
    t.name: t
    for t in (
        PloverType("AGREE", 1, 2.5),
        PloverType(
            "CONSULT",
            1,
            2.5,
            ("visit", "third-party", "multilateral", "phone"),
            (("visit", 4.0),),
        ),
        PloverType("SUPPORT", 1, 5.0),
        PloverType("CONCEDE", 1, 4.5),
        PloverType("COOPERATE", 2, 9.5),
        PloverType("AID", 2, 10.0),
        PloverType("RETREAT", 2, 6.5),
        PloverType("REQUEST", 3, 0.0),
        PloverType("ACCUSE", 3, -2.0, ("disapprove", "investigate", "allege")),
        PloverType("REJECT", 3, -2.0),
        PloverType("THREATEN", 3, -3.5),
        PloverType("PROTEST", 4, -5.0),
        PloverType("SANCTION", 4, -6.0),
        PloverType("MOBILIZE", 4, -5.5),
        PloverType("COERCE", 4, -7.0),
        PloverType("ASSAULT", 4, -9.0),
    )
}

PLOVER_TYPES: tuple[str, ...] = tuple(PLOVER)

QUAD_CLASSES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

_CAMEO_ROOTS: dict[str, str] = {
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "09": "ACCUSE",
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}

_CAMEO_APPEALS_THAT_ASK = ("021", "022", "023", "024", "025", "026", "027", "028")


def plover_from_cameo(code: str | None) -> str | None:
    """The PLOVER type a CAMEO code maps to, or None where PLOVER has no type for it.

    `code` is a CAMEO code such as "042", "173" or "0831"; unknown or malformed codes give None.
    """
    if not code or not code[:2].isdigit():
        return None
    code = code.strip()
    root = code[:2]
    if root == "01":
        # PLOVER's own CAMEO map drops all of 01, denials (016) included: a denial of a named
        # act is that act's row with claim_status `denied`, not a row of its own.
        return None
    if root == "02":
        # 020 is an appeal for nothing in particular; 021-028 ask for something.
        return "REQUEST" if code[:3] in _CAMEO_APPEALS_THAT_ASK else None
    if root == "08":
        if code[:3] in ("081", "082", "083"):
            return "CONCEDE"
        if code[:3] in ("084", "085", "086", "087"):
            return "RETREAT"
        return "CONCEDE"
    if code.startswith("051"):
        return "SUPPORT"
    if root == "19" and code[:3] in ("191", "192"):
        return "COERCE"
    return _CAMEO_ROOTS.get(root)
