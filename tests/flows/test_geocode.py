"""`eventwire geocode` as a user runs it, and the geocoder's loaders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.io.geonames import DEFAULT_GEONAMES_DIR, load_aliases, read_country_points, read_zip_code_counties
from transforms.geo.resolve import distance_km
from transforms.reference import ReferenceDataError

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "flows", "geocode", *args], input=data, capture_output=True, cwd=REPO_ROOT, timeout=300
    )


def _lines(result: subprocess.CompletedProcess[bytes]) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines() if line.strip()]


@pytest.mark.slow
def test_geocode_resolves_given_spans_from_a_file(tmp_path: Path) -> None:
    text = "Lawmakers met in Springfield, Ill. and then in Xqzzyvil."
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text, "spans": [[17, 28], [30, 34], [47, 55]]}) + "\n")
    result = run_cli(str(path))
    assert result.returncode == 0, result.stderr.decode()
    springfield, illinois, atlantis = _lines(result)
    assert springfield["id"] == "a" and (springfield["start"], springfield["end"]) == (17, 28)
    assert springfield["country"] == "USA" and springfield["admin1"] == {"code": "US.IL", "name": "Illinois"}
    assert springfield["geonameid"] == 4250542 and springfield["precision"] == 1
    assert set(springfield) == {
        "id", "start", "end", "text", "name", "geonameid", "feature_class", "feature_code",
        "country", "admin1", "lat", "lon", "precision", "confidence",
    }  # fmt: skip
    assert illinois["feature_code"] == "ADM1" and illinois["precision"] == 2
    assert atlantis["text"] == "Xqzzyvil" and atlantis["geonameid"] is None


@pytest.mark.slow
def test_geocode_finds_places_itself_and_leaves_actor_nationalities_out() -> None:
    text = "NAIROBI, Kenya (Reuters) - Iraqi troops and Kenyan police met officials from Uganda in Mombasa."
    result = run_cli(stdin=json.dumps({"id": "b", "text": text}) + "\n")
    assert result.returncode == 0, result.stderr.decode()
    found = {row["text"]: row for row in _lines(result)}
    assert found["NAIROBI"]["country"] == "KEN" and found["NAIROBI"]["precision"] == 1
    assert found["Mombasa"]["country"] == "KEN"
    assert found["Uganda"]["country"] == "UGA" and found["Uganda"]["precision"] == 3
    assert "Iraqi" not in found and "Kenyan" not in found


def test_bad_lines_are_reported_and_the_rest_is_processed() -> None:
    good = json.dumps({"id": "ok", "text": "Paris", "spans": [[0, 5]]})
    stdin = b"\n".join(
        [
            b"not json",
            json.dumps({"id": "out", "text": "Paris", "spans": [[0, 9]]}).encode(),
            json.dumps({"id": "overlap", "text": "Paris Texas", "spans": [[0, 5], [3, 8]]}).encode(),
            json.dumps({"id": "empty", "text": "  "}).encode(),
            b'{"id": "latin1", "text": "Z\xfcrich"}',
            good.encode(),
        ]
    )
    result = run_cli(stdin=stdin)
    errors = result.stderr.decode()
    assert result.returncode == 1
    for number, reason in [
        (1, "not JSON"),
        (2, "span [0, 9] is outside the text"),
        (3, "span [3, 8] overlaps"),
        (4, "empty text"),
        (5, "not UTF-8"),
    ]:
        assert f"line {number}: {reason}" in errors
    assert "5 of 6 input lines" in errors and "Traceback" not in errors
    assert [row["id"] for row in _lines(result)] == ["ok"]


def test_a_missing_input_file_is_a_message() -> None:
    result = run_cli("no-such-places.jsonl")
    assert result.returncode != 0
    assert "no-such-places.jsonl" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_the_committed_alias_table_loads() -> None:
    aliases = load_aliases(DEFAULT_GEONAMES_DIR)
    assert len(aliases) > 300
    assert {a.kind for a in aliases.lookup("W.Va.")} == {"admin1"}
    assert aliases.is_demonym("Americans")


def test_a_malformed_alias_file_fails_fast_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "aliases.tsv").write_text("alias\tkind\ttarget\tsource\nU.S.\tcountry\tUSA\tok\nUK\tcountry\n")
    with pytest.raises(ReferenceDataError) as error:
        load_aliases(tmp_path)
    assert error.value.file == str(tmp_path / "aliases.tsv") and error.value.line == 3
    assert f"{tmp_path / 'aliases.tsv'}:3" in str(error.value)


def test_a_missing_alias_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="file is missing") as error:
        load_aliases(tmp_path)
    assert error.value.file.endswith("aliases.tsv")


def test_country_points_come_from_countryinfo_with_the_committed_table_over_them() -> None:
    points = read_country_points(DEFAULT_GEONAMES_DIR)
    assert len(points) > 230
    assert points["RU"] == (60.0, 100.0)  # the Factbook's point, which the towns cannot give
    assert points["US"] == pytest.approx((39.83, -98.58), abs=0.01)  # country_points.tsv's row


def test_a_missing_country_point_table_names_it(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="file is missing") as error:
        read_country_points(tmp_path)
    assert error.value.file.endswith("country_points.tsv")


def test_the_zip_code_table_places_counties_and_files_towns_under_them() -> None:
    counties = read_zip_code_counties()
    assert len(counties.points) > 3000  # every US county, about
    lat, lon = counties.points[("TX", "walker county")]
    assert distance_km(lat, lon, 30.74, -95.57) < 40  # Walker County, Texas: around Huntsville
    assert "walker county" in counties.towns[("TX", "huntsville")]
    assert "madison county" in counties.towns[("AL", "huntsville")]
