"""search and versions: the published projects, through physio's search and versions commands."""

from __future__ import annotations

from pathlib import Path

import pytest

import physiodl


def test_search_finds_the_demos_with_their_latest_version_and_access() -> None:
    found = {project.slug: project for project in physiodl.search("demo")}
    assert found["mimiciii-demo"].latest_version == "1.4"
    assert found["mimiciii-demo"].access == "open"
    assert found["mimiciii-demo"].page.endswith("/content/mimiciii-demo/")
    assert physiodl.search("no-such-word-anywhere") == []


def test_versions_say_which_one_is_local(isolated: Path) -> None:
    before = physiodl.versions("mimic-iv-demo-omop", dest=isolated)
    assert [(v.version, v.latest, v.local) for v in before] == [("0.9", True, False)]
    physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    after = physiodl.versions("mimic-iv-demo-omop", dest=isolated)
    assert [(v.version, v.local) for v in after] == [("0.9", True)]


def test_a_misspelt_slug_raises_not_found_naming_the_closest() -> None:
    with pytest.raises(physiodl.NotFound) as caught:
        physiodl.versions("mimic3-demo")
    assert "mimiciii-demo" in str(caught.value)
