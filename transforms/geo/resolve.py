"""Disambiguation by evidence: which of the places a name can stand for the article means.

For every mention the candidates (from the gazetteer and the alias table) are scored on general
evidence, strongest first:

1. a parent named right after the place ("Paris, Texas", "Springfield, Ill.");
2. one sense per article: a name the article already qualified keeps that sense;
3. the dateline ("NAIROBI, Kenya —") and its country and division;
4. the article's other places: its dominant country and first-order division, and towns near
   the candidate;
5. feature class (a country or division over a populated place over anything else of the same
   name, such as a stream; a capital over a namesake town);
6. population.

Context is computed in rounds: a first pick for every mention from its own evidence, then
picks again with the shares of countries and divisions the *other* names' picks give.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from transforms.geo.aliases import AliasTable
from transforms.geo.gazetteer import PRECISION_TOWN, Gazetteer, Place
from transforms.geo.mentions import Dateline, Mention, echo_mentions, entity_mentions, find_dateline, is_street
from transforms.geo.names import name_key

GEOCODER_VERSION = "0.3.0"
"""The version of the geocoder's rules (this module, `events.py`, `transforms/event_places.py`):
bump it when a change can move an event's place, so that stores are placed again (`Geocoder.version`)."""

EARTH_DIAMETER_KM = 12742.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return EARTH_DIAMETER_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Weights:
    """How much each kind of evidence counts (log-odds-like units)."""

    population: float = 0.9
    alternate_name: float = 1.2
    alias: float = 2.0
    country: float = 4.0
    admin1: float = 1.0
    continent: float = 1.0
    capital: float = 1.5
    other_class: float = 1.0
    parent: float = 8.0
    discourse: float = 6.0
    dateline_same: float = 3.0
    dateline_admin1: float = 2.0
    dateline_country: float = 1.5
    context_country: float = 3.0
    context_admin1: float = 4.5
    nearby: float = 1.5
    coverage_admin1: float = 4.0
    coverage_country: float = 1.0
    county_link: float = 3.0
    nearby_km: float = 120.0
    rounds: int = 3


@dataclass(frozen=True)
class Resolved:
    """One mention and the place chosen for it (None when nothing fits)."""

    mention: Mention
    place: Place | None
    confidence: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    place: Place
    alternate: bool
    alias: bool


@dataclass
class _Item:
    mention: Mention
    key: str
    options: list[Option]
    parents: list[Place] = field(default_factory=list)
    pick: Option | None = None
    confidence: float = 0.0
    evidence: tuple[str, ...] = ()


_DIRECTIONS = re.compile(
    r"^(?:north|south|east|west|northern|southern|eastern|western|central|northeast|northwest|southeast|"
    r"southwest|northeastern|northwestern|southeastern|southwestern|downtown|greater|metro|metropolitan|"
    r"upstate|downstate|rural|suburban|coastal|inner) ",
)
_GENERIC_TAIL = re.compile(r" (?:township|twp|borough|village|city|town|area|region|metro area|county seat)$")
_COUNTY_AFTER = re.compile(
    r"(?:\s*(?:,|and|or|&)\s*(?:[A-Z][\w'\u2019.\-]*\s*){1,3})*\s+(?i:counties|county|parish|parishes)\b"
)
_COUNTY_WORDS = {"county": "county", "counties": "county", "parish": "parish", "parishes": "parish"}
_PARENT_AFTER = re.compile(r"\s*,\s*((?:[A-Z][\w'\u2019\-]*\.?)(?:\s+[A-Z][\w'\u2019\-]*\.?){0,3})")
_GENERIC_WORDS = frozenset(
    "street road avenue side end park square hill hills bridge river lake creek valley coast shore county "
    "city town village state district area region border central".split()
)
MAX_OPTIONS = 60


def geocoder_version(gazetteer_version: str) -> str:
    """The geocoder's version: its rules' and its gazetteer's (`Gazetteer.version`, the cache key
    of the compiled index); spelled here only, so a flow can name it without loading the index."""
    return f"{GEOCODER_VERSION}+gazetteer.{gazetteer_version}"


class Geocoder:
    """Resolve the places in a text to the gazetteer. Pure: the caller passes the gazetteer,
    the alias table and (for finding places itself) a spaCy pipeline."""

    def __init__(
        self, gazetteer: Gazetteer, aliases: AliasTable, nlp: Any = None, weights: Weights | None = None
    ) -> None:
        self.gazetteer = gazetteer
        self.aliases = aliases
        self.nlp = nlp
        self.weights = weights or Weights()
        self.version = geocoder_version(gazetteer.version)
        """The rules' version and the gazetteer's (its compiled format, sources and reference
        VERSION, which covers the alias table): what the coder's version names as `+places.…`."""
        self._alias_places: dict[str, list[Place]] = defaultdict(list)
        iso3_to_row = {iso3: row for iso3, _, row in gazetteer.data.country_info.values()}
        ids_to_row: dict[int, int] = {}
        wanted_ids = {int(a.target) for a in aliases.aliases if a.kind == "place"}
        if wanted_ids:
            for index, geonameid in enumerate(gazetteer.data.ids):
                if geonameid in wanted_ids:
                    ids_to_row.setdefault(geonameid, index)
        for alias in aliases.aliases:
            row: int | None = None
            if alias.kind in ("country", "demonym"):
                row = iso3_to_row.get(alias.target)
            elif alias.kind == "admin1":
                row = gazetteer.data.admin1_rows.get(alias.target)
            elif alias.kind == "place":
                row = ids_to_row.get(int(alias.target))
            if row is not None:
                place = gazetteer.place(row)
                bucket = self._alias_places[name_key(alias.alias)]
                if place not in bucket:
                    bucket.append(place)

    # -- candidates ----------------------------------------------------------------------------

    def options(self, text: str) -> list[Option]:
        """The places `text` can stand for: aliases, then names, then looser variants."""
        key = name_key(text)
        if is_street(text):
            return []  # "Memphis Street", "N. High St." name a street, not the town
        letters = text.replace(".", "").replace(" ", "")
        if letters.isalpha() and letters.isupper() and len(letters) <= 4:
            # an acronym ("EU", "UK", "NSW") names a place only through the alias table, not a
            # town that happens to be spelled the same ("Eu", France)
            return self._options_for_key(key, acronym=True)
        found = self._options_for_key(key)
        if found:
            return found
        variants: list[str] = []
        stripped = _DIRECTIONS.sub("", key)
        if stripped != key:
            variants.append(stripped)
        tail = _GENERIC_TAIL.sub("", stripped)
        if tail != stripped:
            variants.append(tail)
        if key.endswith("s") and self.aliases.lookup_key(key[:-1]):
            variants.append(key[:-1])
        for variant in variants:
            if " " not in variant and variant in _GENERIC_WORDS:
                continue  # "North Street" is not the town of Street
            found = self._options_for_key(variant)
            if found:
                return found
        return []

    def _mention_options(self, text: str, mention: Mention) -> list[Option]:
        """A mention's options; "Clarke" in "Clarke and Oconee counties" is a county, "Athens" in
        "Athens, McMinn County and Etowah" is not (a singular county word names only the last)."""
        match = _COUNTY_AFTER.match(text, mention.end)
        if match and not mention.text.lower().endswith(("county", "parish")):
            *between, last = match.group(0).split()
            if between and last.lower() in ("county", "parish"):
                return self.options(mention.text)
            word = _COUNTY_WORDS[last.lower()]
            counties = [
                o for o in self._options_for_key(name_key(f"{mention.text} {word}")) if o.place.feature_code == "ADM2"
            ]
            if counties:
                return counties
        return self.options(mention.text)

    def _options_for_key(self, key: str, acronym: bool = False) -> list[Option]:
        options: list[Option] = [Option(place, False, True) for place in self._alias_places.get(key, ())]
        if acronym:
            return options
        seen = {option.place.row for option in options}
        for candidate in self.gazetteer.candidates_by_key(key):
            if candidate.place.row not in seen:
                options.append(Option(candidate.place, candidate.alternate, False))
                seen.add(candidate.place.row)
        if len(options) > MAX_OPTIONS:
            options.sort(key=lambda o: (not o.alias, o.alternate, -o.place.population))
            options = options[:MAX_OPTIONS]
        return options

    def parents_after(self, text: str, end: int) -> list[Place]:
        """Divisions or countries named right after a place: "Springfield, Ill." gives Illinois."""
        match = _PARENT_AFTER.match(text, end)
        if not match:
            return []
        words = match.group(1).split()
        for count in range(len(words), 0, -1):
            phrase = " ".join(words[:count])
            places = [
                o.place
                for o in self._options_for_key(name_key(phrase))
                if o.place.is_admin1 or o.place.is_country or o.place.feature_code == "ADM2"
            ]
            if places:
                return places
        return []

    # -- the article ----------------------------------------------------------------------------

    def mentions(self, text: str, doc: Any = None, *, prepositional: bool = False) -> list[Mention]:
        """The place mentions spaCy finds in `text` (the pipeline given at construction)."""
        if doc is None:
            if self.nlp is None:
                raise ValueError("finding places needs a spaCy pipeline: pass nlp= to Geocoder or spans")
            doc = self.nlp(text)
        return entity_mentions(doc, self.aliases.is_demonym, prepositional=prepositional)

    def geocode(
        self,
        text: str,
        *,
        spans: Sequence[tuple[int, int]] | None = None,
        doc: Any = None,
        keep_modifiers: bool = False,
        prepositional: bool = False,
        countries: Mapping[str, float] | None = None,
    ) -> list[Resolved]:
        """Resolve `spans` of `text` (one result each, in order), or the places found in it.

        Without spans, a nationality word that modifies a noun ("Iraqi troops") is an actor's
        attribute, not a place, and is left out unless `keep_modifiers`; with `prepositional`,
        proper nouns after a place preposition that the tagger did not call places are tried
        too (on LGL they cost a little precision; the event placer uses them for "in X").
        `countries` (ISO-3 → weight, e.g. the article's events' actor and target countries)
        count among the article's places as context.
        """
        dateline = find_dateline(text)
        if spans is not None:
            mentions = [Mention(start, end, text[start:end], "SPAN") for start, end in spans]
        else:
            mentions = [
                m for m in self.mentions(text, doc, prepositional=prepositional) if keep_modifiers or not m.modifier
            ]
            mentions = sorted(mentions + echo_mentions(text, mentions), key=lambda m: m.start)
            if dateline is not None and not any(
                m.start < dateline.place.end and dateline.place.start < m.end for m in mentions
            ):
                mentions.insert(0, dateline.place)
        results = self.resolve(text, mentions, dateline, countries=countries)
        if spans is None:
            # finding places itself, a town known under another name must be big enough to have an
            # exonym, and a proper noun the tagger did not call a place must not be a hamlet
            results = [
                r
                if r.place is None or not self._by_alternate(r, small=r.mention.label == "PREP")
                else replace(r, place=None, confidence=0.0)
                for r in results
            ]
        return results

    def _by_alternate(self, resolved: Resolved, small: bool = True) -> bool:
        """The pick is a town known under another name (an exonym of a big city, "Kiev", is
        fine) or, with `small`, a hamlet: too little to trust without the tagger's word."""
        place = resolved.place
        if place is None or (small and place.feature_class == "P" and place.population < 1000):
            return True
        if place.feature_class != "P" or place.population >= 50000:
            return False
        return not any(
            option.place.row == place.row and not option.alternate for option in self.options(resolved.mention.text)
        )

    def resolve(
        self,
        text: str,
        mentions: Sequence[Mention],
        dateline: Dateline | None = None,
        *,
        countries: Mapping[str, float] | None = None,
    ) -> list[Resolved]:
        items = [_Item(m, name_key(m.text), self._mention_options(text, m)) for m in mentions]
        for item in items:
            if item.options:
                item.parents = self.parents_after(text, item.mention.end)
        anchor = self._resolve_dateline(text, dateline)
        hints: dict[str, float] = {}
        for iso3, weight in (countries or {}).items():
            country = self.gazetteer.country_by_iso3(iso3)
            if country is not None and weight > 0:
                hints[country.country] = hints.get(country.country, 0.0) + float(weight)
        self._rounds(items, anchor, hints)
        results: list[Resolved] = []
        towns = [i.pick.place for i in items if i.pick and i.pick.place.precision == PRECISION_TOWN]
        for item in items:
            place = item.pick.place if item.pick else None
            if place is not None and not self.gazetteer.has_own_point(place.row):
                place = self._county_point(place, towns)
            results.append(Resolved(item.mention, place, round(item.confidence, 3), item.evidence))
        return results

    def _county_point(self, county: Place, towns: Sequence[Place]) -> Place:
        """A county no source places (its point is its state's): the middle of the article's towns in
        its state (a local story names towns of the county it is about), else the biggest town
        of the county's own name in the state (often its seat, or in it), else the state's point."""
        local = [t for t in towns if t.country == county.country and t.admin1_code == county.admin1_code]
        if not local:
            base = re.sub(r"\s+(?:county|parish|borough)$", "", county.name, flags=re.IGNORECASE)
            local = sorted(
                (
                    c.place
                    for c in self.gazetteer.candidates(base)
                    if not c.alternate
                    and c.place.feature_class == "P"
                    and c.place.country == county.country
                    and c.place.admin1_code == county.admin1_code
                ),
                key=lambda p: -p.population,
            )[:1]
        if not local:
            return county
        lats = sorted(t.lat for t in local)
        lons = sorted(t.lon for t in local)
        return replace(county, lat=lats[len(lats) // 2], lon=lons[len(lons) // 2])

    def _resolve_dateline(self, text: str, dateline: Dateline | None) -> Place | None:
        if dateline is None:
            return None
        options = self.options(dateline.place.text)
        if not options:
            return None
        parents = self.parents_after(text, dateline.place.end)
        item = _Item(dateline.place, name_key(dateline.place.text), options, parents)
        self._pick(item, None, {}, {}, [], {}, {})
        return item.pick.place if item.pick else None

    def _rounds(self, items: list[_Item], anchor: Place | None, hints: Mapping[str, float] | None = None) -> None:
        settled: dict[str, Place] = {}
        coverage = _coverage(items)
        links = self._county_links(items)
        for _ in range(self.weights.rounds):
            for item in items:
                if item.options:
                    countries, admin1s, points = _context(items, exclude=item.key, hints=hints)
                    self._pick(item, anchor, countries, admin1s, points, settled, coverage, links)
            settled = {
                item.key: item.pick.place
                for item in items
                if item.pick is not None and item.parents and "parent" in item.evidence
            }

    def _pick(
        self,
        item: _Item,
        anchor: Place | None,
        countries: Mapping[str, float],
        admin1s: Mapping[str, float],
        points: Sequence[tuple[float, float, float]],
        settled: Mapping[str, Place],
        coverage: Mapping[str, float] | None = None,
        links: _CountyLinks | None = None,
    ) -> None:
        """Score every option of `item` on the evidence and keep the best, with its share of
        the options' evidence (softmax) as confidence and the kinds of evidence that chose it."""
        context = _Context(anchor, countries, admin1s, points, settled, coverage or {}, links or _CountyLinks())
        any_inside_parent = any(_inside(o.place, p) for o in item.options for p in item.parents)
        scored: list[tuple[float, Option, tuple[str, ...]]] = []
        for option in item.options:
            evidence: list[str] = []
            score = self._own_score(option, evidence)
            score += self._parent_score(item, option.place, any_inside_parent, evidence)
            score += self._discourse_score(item, option.place, context, evidence)
            score += self._dateline_score(option.place, context.anchor, evidence)
            score += self._article_score(option.place, context, evidence)
            score += self._nearby_score(option.place, context.points, evidence)
            score += self._county_score(item, option.place, context.links, evidence)
            scored.append((score, option, tuple(evidence) or ("population",)))
        if not scored:
            item.pick, item.confidence, item.evidence = None, 0.0, ()
            return
        best = max(scored, key=lambda s: (s[0], -s[1].place.row))
        top = best[0]
        total = sum(math.exp(s - top) for s, _, _ in scored)
        item.pick, item.confidence, item.evidence = best[1], 1.0 / total, best[2]

    def _own_score(self, option: Option, evidence: list[str]) -> float:
        """What the place is by itself: population, main or alternate name, alias, feature class."""
        w, place = self.weights, option.place
        score = w.population * math.log10(place.population + 1)
        if option.alternate:
            score -= w.alternate_name
        if option.alias:
            score += w.alias
            evidence.append("alias")
        if place.is_country:
            score += w.country
        elif place.is_admin1:
            score += w.admin1
        elif place.feature_code == "CONT":
            score += w.continent
        elif place.feature_code == "PPLC":
            score += w.capital
        elif place.feature_class not in ("P", "A"):
            score -= w.other_class  # a stream, a hill, a building: a town of the name first
        return score

    def _parent_score(self, item: _Item, place: Place, any_inside_parent: bool, evidence: list[str]) -> float:
        """ "Springfield, Ill.": a place inside the parent named after it gains, one outside loses
        (only when some option is inside, so an unknown parent changes nothing)."""
        if not item.parents or not any_inside_parent:
            return 0.0
        if any(_inside(place, parent) for parent in item.parents):
            evidence.append("parent")
            return self.weights.parent
        return -self.weights.parent / 2

    def _discourse_score(self, item: _Item, place: Place, context: _Context, evidence: list[str]) -> float:
        """One sense per article: the sense a qualified mention of the same name settled."""
        known = context.settled.get(item.key)
        if known is not None and not item.parents and known.row == place.row:
            evidence.append("discourse")
            return self.weights.discourse
        return 0.0

    def _dateline_score(self, place: Place, anchor: Place | None, evidence: list[str]) -> float:
        """The dateline's place itself, else its division, else its country."""
        w = self.weights
        if anchor is None:
            return 0.0
        if anchor.row == place.row:
            score = w.dateline_same
        elif anchor.admin1_key and anchor.admin1_key == place.admin1_key:
            score = w.dateline_admin1
        elif anchor.country and anchor.country == place.country:
            score = w.dateline_country
        else:
            return 0.0
        evidence.append("dateline")
        return score

    def _article_score(self, place: Place, context: _Context, evidence: list[str]) -> float:
        """The shares of the place's country and division among the other names' picks, and
        how many of the article's names its division and country can hold."""
        w = self.weights
        score = 0.0
        share = context.countries.get(place.country, 0.0)
        if share:
            score += w.context_country * share
            if share >= 0.3:
                evidence.append("article-country")
        share = context.admin1s.get(place.admin1_key, 0.0) if place.admin1_key else 0.0
        if share:
            score += w.context_admin1 * share
            if share >= 0.3:
                evidence.append("article-admin1")
        share = context.coverage.get(place.admin1_key, 0.0) if place.admin1_key and not place.is_admin1 else 0.0
        if share:
            score += w.coverage_admin1 * share
            if share >= 0.3:
                evidence.append("article-coherence")
        share = context.coverage.get(place.country, 0.0) if place.country else 0.0
        if share:
            score += w.coverage_country * share
        return score

    def _county_links(self, items: Sequence[_Item]) -> _CountyLinks:
        """Which of the article's names can be each county, and which can be a town in it."""
        links = _CountyLinks()
        for item in items:
            for option in item.options:
                place = option.place
                if place.feature_code == "ADM2":
                    links.named.setdefault(place.row, set()).add(item.key)
                elif not option.alternate:
                    for county in self.gazetteer.counties_of(place.row):
                        links.holding.setdefault(county, set()).add(item.key)
        return links

    def _county_score(self, item: _Item, place: Place, links: _CountyLinks, evidence: list[str]) -> float:
        """A town in a county the article names, or a county holding a town it names ("Huntsville"
        and "Walker County" are both in Texas's Walker County; Alabama has each, apart)."""
        if place.feature_code == "ADM2":
            linked = bool(links.holding.get(place.row, set()) - {item.key})
        else:
            linked = any(
                links.named.get(county, set()) - {item.key} for county in self.gazetteer.counties_of(place.row)
            )
        if not linked:
            return 0.0
        evidence.append("county")
        return self.weights.county_link

    def _nearby_score(self, place: Place, points: Sequence[tuple[float, float, float]], evidence: list[str]) -> float:
        """A town near the article's other towns (their confidences summed, capped at one)."""
        w = self.weights
        if not points or place.precision != PRECISION_TOWN:
            return 0.0
        near = sum(c for lat, lon, c in points if distance_km(lat, lon, place.lat, place.lon) <= w.nearby_km)
        if not near:
            return 0.0
        evidence.append("nearby")
        return w.nearby * min(1.0, near)


@dataclass(frozen=True)
class _Context:
    """The article's evidence for one mention: the dateline's place, the other names' shares of
    countries and divisions, their towns' points, the settled senses and the coverage."""

    anchor: Place | None
    countries: Mapping[str, float]
    admin1s: Mapping[str, float]
    points: Sequence[tuple[float, float, float]]
    settled: Mapping[str, Place]
    coverage: Mapping[str, float]
    links: _CountyLinks


@dataclass
class _CountyLinks:
    """County rows -> the keys of the article's names that can be that county (`named`), or a
    town in it (`holding`)."""

    named: dict[int, set[str]] = field(default_factory=dict)
    holding: dict[int, set[str]] = field(default_factory=dict)


def _inside(place: Place, parent: Place) -> bool:
    if place.row == parent.row or not place.country or place.country != parent.country:
        return False
    if parent.is_country:
        return True
    if parent.is_admin1:
        return place.admin1_code == parent.admin1_code and not place.is_admin1
    if parent.feature_code == "ADM2":  # "Oakwood, Hall County": at least the county's state
        return place.admin1_code == parent.admin1_code and place.feature_class == "P"
    return False


def _context(
    items: Iterable[_Item], exclude: str, hints: Mapping[str, float] | None = None
) -> tuple[dict[str, float], dict[str, float], list[tuple[float, float, float]]]:
    """Shares of countries and divisions among the other names' picks, and their towns' points."""
    countries: dict[str, float] = defaultdict(float)
    admin1s: dict[str, float] = defaultdict(float)
    points: list[tuple[float, float, float]] = []
    seen_keys: set[str] = set()
    for item in items:
        if item.pick is None or item.key == exclude or item.key in seen_keys:
            continue
        seen_keys.add(item.key)
        place = item.pick.place
        weight = 0.5 + 0.5 * item.confidence
        if place.country:
            countries[place.country] += weight
        if place.admin1_key:
            admin1s[place.admin1_key] += weight
        if place.precision == PRECISION_TOWN:
            points.append((place.lat, place.lon, item.confidence))
    for country, weight in (hints or {}).items():
        countries[country] += weight
    total = sum(countries.values())
    if not total:
        return {}, {}, points
    return {k: v / total for k, v in countries.items()}, {k: v / total for k, v in admin1s.items()}, points


def _coverage(items: Sequence[_Item]) -> dict[str, float]:
    """For each division and country, the share of the article's distinct names that can stand
    for a place in it: the division a local story is set in can hold most of its names."""
    holders: dict[str, set[str]] = defaultdict(set)
    keys: set[str] = set()
    for item in items:
        if not item.options or item.key in keys:
            continue
        keys.add(item.key)
        for option in item.options:
            place = option.place
            if option.alternate:
                continue
            if place.country:
                holders[place.country].add(item.key)
            if place.admin1_key:
                holders[place.admin1_key].add(item.key)
    if len(keys) < 2:
        return {}
    return {area: (len(names) - 1) / (len(keys) - 1) for area, names in holders.items() if len(names) > 1}
