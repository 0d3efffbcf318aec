"""Dependency floors: each allows no version that lacks an API the code uses (checked by installing the floor)."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from tests.conftest import ROOT

# the oldest version that has what we use, and what older ones lack
NEEDED = {
    "python-stdnum": ("2.2", "stdnum.be.ogm_vcs (structured communications) is new in 2.2"),
    "weasyprint": ("69", "weasyprint.urls.URLFetcher: 67 has none, 68's refuses data: URIs under our sandbox"),
    "holidays": ("0.72", "0.60 to 0.71 raise FutureIncompatibilityWarning on import"),
    "pypdf": ("7.1", "apply_configuration (the bundle's decompression limits) is absent before 7.0; tested on 7.1"),
}


def floors() -> dict[str, Version]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        lows = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
        if lows:
            found[requirement.name.lower()] = max(lows)
    return found


@pytest.mark.parametrize("name", sorted(NEEDED))
def test_floor_has_the_api_we_use(name: str) -> None:
    needed, why = NEEDED[name]
    assert floors()[name] >= Version(needed), f"{name} must be >= {needed}: {why}"


@pytest.mark.parametrize("name", sorted(NEEDED))
def test_installed_version_meets_the_floor(name: str) -> None:
    assert Version(version(name)) >= floors()[name]
