"""The map of the releases page: the latest release's places as circles on a plain grid.

Drawn here as inline SVG at publish, like the page's charts: an equirectangular projection
(longitude and latitude straight to x and y) with a light 30° graticule and no basemap, so
nothing is fetched and no outline data has to ship with the code (none with a licence and a
size that fit is installed). Circle areas are proportional to events; a circle's colour is its
place's most frequent quad class. A place known only as a country (geo_precision 3) sits at the
country's estimated point and is drawn as a ring, so it does not pass for a town. A table of
the same places follows the map for readers who cannot see it.

The data is the `events_by_place` view (`transforms.release_views`), summed over quad classes.
"""

from __future__ import annotations

import html

import polars as pl

from schemas.plover import QUAD_CLASSES

MAP_PLACES = 300
"""At most this many places, the ones with most events, are drawn (and listed)."""

MAP_WIDTH = 900
MAP_HEIGHT = 450
MAX_RADIUS = 18.0
MIN_RADIUS = 2.5
GRATICULE_DEGREES = 30
QUAD_COLOURS = {1: "#4e79a7", 2: "#59a14f", 3: "#f28e2b", 4: "#e15759"}

PLACES_SQL = f"""
SELECT place_name,
       place_country,
       admin1_name,
       geo_precision,
       round(sum(latitude * events) / sum(events), 4) AS latitude,
       round(sum(longitude * events) / sum(events), 4) AS longitude,
       sum(events)::BIGINT AS events,
       {", ".join(f"coalesce(sum(events) FILTER (WHERE quad_class = {q}), 0)::BIGINT AS quad_{q}" for q in QUAD_CLASSES)}
FROM events_by_place
GROUP BY place_name, geonameid, place_country, admin1_code, admin1_name, geo_precision
ORDER BY events DESC, place_country, admin1_name NULLS FIRST, place_name, geo_precision
LIMIT $limit
"""
"""The mapped places: `events_by_place` per place, with its events per quad class."""

PLACES_SCHEMA = {
    "place_name": pl.String(),
    "place_country": pl.String(),
    "admin1_name": pl.String(),
    "geo_precision": pl.Int64(),
    "latitude": pl.Float64(),
    "longitude": pl.Float64(),
    "events": pl.Int64(),
    **{f"quad_{q}": pl.Int64() for q in QUAD_CLASSES},
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def project(latitude: float, longitude: float, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> tuple[float, float]:
    """Equirectangular projection: (x, y) in the map's box, north up, 180° W at the left edge."""
    return (longitude + 180.0) / 360.0 * width, (90.0 - latitude) / 180.0 * height


def main_quad(row: dict[str, object]) -> int:
    """The quad class with most of a place's events; a tie goes to the more conflictual class."""
    counts = {q: int(row[f"quad_{q}"] or 0) for q in QUAD_CLASSES}  # type: ignore[call-overload]
    return max(counts, key=lambda q: (counts[q], q))


def radius(events: int, peak: int) -> float:
    """A circle's radius: area proportional to events, the busiest place at `MAX_RADIUS`."""
    return max(MAX_RADIUS * (events / max(peak, 1)) ** 0.5, MIN_RADIUS)


def place_label(row: dict[str, object]) -> str:
    parts = [str(row["place_name"])]
    if row["admin1_name"] and row["admin1_name"] != row["place_name"]:
        parts.append(str(row["admin1_name"]))
    if row["place_country"]:
        parts.append(str(row["place_country"]))
    return ", ".join(parts)


def _graticule(width: int, height: int) -> list[str]:
    parts = [f'<rect class="ocean" x="0" y="0" width="{width}" height="{height}" fill="#f7f9fb" stroke="#ccc"/>']
    for longitude in range(-180 + GRATICULE_DEGREES, 180, GRATICULE_DEGREES):
        x, _ = project(0, longitude, width, height)
        parts.append(f'<line class="graticule" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#e3e7ec"/>')
        parts.append(
            f'<text x="{x + 2:.1f}" y="{height - 4}">{abs(longitude)}°{"E" if longitude > 0 else "W" if longitude else ""}</text>'
        )
    for latitude in range(-90 + GRATICULE_DEGREES, 90, GRATICULE_DEGREES):
        _, y = project(latitude, 0, width, height)
        stroke = "#c9d1da" if latitude == 0 else "#e3e7ec"
        parts.append(f'<line class="graticule" x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{stroke}"/>')
        parts.append(
            f'<text x="3" y="{y - 3:.1f}">{abs(latitude)}°{"N" if latitude > 0 else "S" if latitude else ""}</text>'
        )
    return parts


def _circle(row: dict[str, object], peak: int, width: int, height: int) -> str:
    latitude, longitude, events = float(row["latitude"]), float(row["longitude"]), int(row["events"])  # type: ignore[arg-type,call-overload]
    x, y = project(latitude, longitude, width, height)
    quad = main_quad(row)
    colour = QUAD_COLOURS[quad]
    country_only = row["geo_precision"] == 3
    fill = (
        f'fill="{colour}" fill-opacity="0.12" stroke="{colour}" stroke-width="1.5"'
        if country_only
        else (f'fill="{colour}" fill-opacity="0.7" stroke="#fff" stroke-width="0.6"')
    )
    by_quad = ", ".join(f"{row[f'quad_{q}']} {QUAD_CLASSES[q]}" for q in QUAD_CLASSES if row[f"quad_{q}"])
    where = place_label(row) + (" (country only)" if country_only else "")
    return (
        f'<circle class="place quad-{quad}{" country-only" if country_only else ""}" data-place="{_e(row["place_name"])}" '
        f'data-events="{events}" data-lat="{latitude}" data-lon="{longitude}" cx="{x:.2f}" cy="{y:.2f}" '
        f'r="{radius(events, peak):.2f}" {fill}><title>{_e(where)}: {events} events ({_e(by_quad)})</title></circle>'
    )


def map_description(places: pl.DataFrame, shown: int = 5) -> str:
    """The map in words, for its `<desc>`: how many places and events, and the busiest ones."""
    rows = list(places.head(shown).iter_rows(named=True))
    busiest = "; ".join(f"{place_label(r)}: {r['events']}" for r in rows)
    return (
        f"{places.height} places with {int(places['events'].sum())} events, drawn at their latitude and longitude. "
        f"Most events: {busiest}."
    )


def place_map_svg(places: pl.DataFrame, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> str:
    """The map (inline SVG with a title and a description) and its legend, or a note without places."""
    if places.height == 0:
        return '<p class="empty">No events with a place in this release.</p>'
    peak = int(places["events"].max())  # type: ignore[arg-type]
    rows = sorted(places.iter_rows(named=True), key=lambda r: -int(r["events"]))
    parts = [
        f'<svg id="map" role="img" aria-labelledby="map-title" aria-describedby="map-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" data-places="{places.height}">',
        '<title id="map-title">Where the events of the latest release happened</title>',
        f'<desc id="map-desc">{_e(map_description(places))}</desc>',
        *_graticule(width, height),
        *(_circle(row, peak, width, height) for row in rows),
        "</svg>",
    ]
    legend = "".join(
        f'<span><i style="background:{QUAD_COLOURS[q]}; border-radius: 50%"></i>{q} {_e(name)}</span>'
        for q, name in QUAD_CLASSES.items()
    )
    legend += (
        '<span><i style="border: 1.5px solid #666; border-radius: 50%"></i>ring: placed only at a country</span>'
        f"<span>circle area: events (largest {peak})</span>"
    )
    return "\n".join(parts) + f'\n<p class="legend" id="map-legend">{legend}</p>'


def place_table_html(places: pl.DataFrame) -> str:
    """The map's places as a table (the map's text alternative), busiest first, in a `<details>`."""
    if places.height == 0:
        return ""
    header = "".join(f"<th>{_e(q)} {_e(name)}</th>" for q, name in QUAD_CLASSES.items())
    rows = []
    for row in places.iter_rows(named=True):
        precision = {1: "town", 2: "division", 3: "country"}.get(row["geo_precision"], "")
        cells = "".join(f'<td class="n">{row[f"quad_{q}"]}</td>' for q in QUAD_CLASSES)
        rows.append(
            f'<tr class="place" data-place="{_e(row["place_name"])}"><td>{_e(row["place_name"])}</td>'
            f"<td>{_e(row['admin1_name'] or '')}</td><td>{_e(row['place_country'])}</td><td>{precision}</td>"
            f'<td class="n">{row["latitude"]:.2f}</td><td class="n">{row["longitude"]:.2f}</td>'
            f'<td class="n">{row["events"]}</td>{cells}</tr>'
        )
    return "\n".join(
        [
            f"<details><summary>The mapped places as a table ({places.height})</summary>",
            '<table id="map-places"><caption>Events per place, busiest first (view <code>events_by_place</code>)'
            "</caption><thead><tr><th>place</th><th>admin1</th><th>country</th><th>precision</th>"
            f"<th>latitude</th><th>longitude</th><th>events</th>{header}</tr></thead><tbody>",
            *rows,
            "</tbody></table></details>",
        ]
    )
