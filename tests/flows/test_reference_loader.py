"""load_reference: reads the actor reference from disk, fails naming the file, caches per folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.io.reference import DEFAULT_ACTORS_DIR, clear_reference_cache, load_reference
from transforms.reference import ReferenceDataError

VALID_FILES = {
    "VERSION": "2026.01.02\n",
    "countries.jsonl": '{"kind": "country", "names": ["russia", "russian*"], "codes": [{"code": "RUS", "from": null, "to": null}], "group": "g", "source": "c:1"}\n',
    "international.jsonl": '{"kind": "igo", "names": ["united nations"], "codes": [{"code": "IGOUNO", "from": null, "to": null}], "group": "g", "source": "i:1"}\n',
    "groups.jsonl": '{"kind": "group", "names": ["hamas"], "codes": [{"code": "PSEREBHMS", "from": null, "to": null}], "group": "g", "source": "g:1"}\n',
    "agents.jsonl": '{"names": ["troops"], "code": "~MIL", "group": "g", "source": "a:1"}\n',
    "discards.jsonl": '{"phrase": "bird flu", "scope": "sentence", "source": "d:1"}\n',
    "regions.jsonl": '{"kind": "country", "names": ["kherson"], "codes": [{"code": "UKR", "from": null, "to": null}], "group": "geonames/admin1/UKR", "source": "admin1:1"}\n',
    "project/metonyms.jsonl": '{"kind": "institution", "names": ["Russia"], "codes": [{"code": "RUSGOV", "from": null, "to": null}], "group": "p", "source": "p"}\n',
    "project/agents.jsonl": '{"names": ["spokesman"], "code": "~GOV", "group": "p", "source": "p", "generic": true}\n',
}  # fmt: skip


def write_reference(folder: Path, files: dict[str, str] = VALID_FILES) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return folder


def test_default_reference_loads_from_the_repository() -> None:
    reference = load_reference()
    assert reference.version == (DEFAULT_ACTORS_DIR / "VERSION").read_text().strip()
    assert len(reference.actors) > 20_000
    assert len(reference.agents) > 2_000
    assert len(reference.discards) > 500
    assert "kremlin" in reference.by_first_token
    assert DEFAULT_ACTORS_DIR.is_absolute()
    assert DEFAULT_ACTORS_DIR.parent.parent.parent == Path(__file__).resolve().parents[2]


def test_default_reference_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_reference().version == (DEFAULT_ACTORS_DIR / "VERSION").read_text().strip()


def test_loads_a_folder_with_the_project_layer_first(tmp_path: Path) -> None:
    reference = load_reference(write_reference(tmp_path))
    assert reference.version == "2026.01.02"
    assert [e.source for e in reference.actors] == ["p", "c:1", "i:1", "g:1", "admin1:1"]  # regions last
    assert [a.names[0] for a in reference.agents] == ["spokesman", "troops"]
    assert reference.agents[0].generic
    (russia,) = reference.by_first_token["russia"]
    assert russia.entry.codes[0].code == "RUSGOV"


def test_results_are_cached_per_folder(tmp_path: Path) -> None:
    clear_reference_cache()
    first = write_reference(tmp_path / "a")
    second = write_reference(tmp_path / "b")
    assert load_reference(first) is load_reference(first)
    assert load_reference(first) is not load_reference(second)
    (first / "VERSION").write_text("2026.02.03\n")
    assert load_reference(first).version == "2026.01.02"
    clear_reference_cache()
    assert load_reference(first).version == "2026.02.03"


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [
        ("countries.jsonl", VALID_FILES["countries.jsonl"] + "{oops\n", 2, "not JSON"),
        ("project/metonyms.jsonl", '{"kind": "institution", "names": ["x"], "codes": [{"code": "RUSGOV", "from": "yesterday"}], "group": "p"}\n', 1, "not an ISO date"),
        ("agents.jsonl", '{"names": ["troops"], "code": "MIL", "group": "g"}\n', 1, "malformed agent code"),
        ("discards.jsonl", '{"phrase": "x", "scope": "everything"}\n', 1, "scope"),
        ("regions.jsonl", '{"kind": "country", "names": [], "codes": [{"code": "UKR"}], "group": "r"}\n', 1, "name"),
        ("VERSION", "latest\n", 1, "version must look like"),
        ("project/sponsor_words.tsv", "# sponsors\nbacked\tconvention\nUS-backed\tconvention\n", 3, "one lower-case word"),
        ("project/sponsor_words.tsv", "backed\n", 1, "two tab-separated fields"),
    ],
    ids=["converted-actors", "project-actors", "agents", "discards", "regions", "version", "sponsor-word", "sponsor-source"],
)  # fmt: skip
def test_malformed_file_fails_naming_it(tmp_path: Path, name: str, content: str, line: int, reason: str) -> None:
    folder = write_reference(tmp_path, {**VALID_FILES, name: content})
    with pytest.raises(ReferenceDataError, match=reason) as caught:
        load_reference(folder)
    assert caught.value.file == str(folder.resolve() / name)
    assert caught.value.line == line
    assert name in str(caught.value)


def test_missing_file_fails_naming_it(tmp_path: Path) -> None:
    folder = write_reference(tmp_path)
    (folder / "groups.jsonl").unlink()
    with pytest.raises(ReferenceDataError, match="file is missing") as caught:
        load_reference(folder)
    assert caught.value.file.endswith("groups.jsonl")


def test_missing_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="does not exist"):
        load_reference(tmp_path / "nowhere")


def test_copy_of_the_committed_reference_loads(tmp_path: Path) -> None:
    """The committed folder is self-contained: a copy of it loads the same entries."""
    copy = tmp_path / "actors"
    shutil.copytree(DEFAULT_ACTORS_DIR, copy)
    assert len(load_reference(copy).actors) == len(load_reference().actors)
