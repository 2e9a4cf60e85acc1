"""The lock files are what a new machine installs: complete, hashed, inside pyproject's ranges.

Item 1 of the hardening issue: a fresh clone once installed a newer django-allauth than the
one tested and every ``X-Session-Token`` call answered 500. These tests fail when the locks
drift from pyproject.toml or from each other, or when the environment running the suite is
not the one the lock describes.
"""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)")


def _pins(name: str) -> dict[str, str]:
    """Return {package: version} of a lock file, checking every pin carries a hash."""
    text = (ROOT / "requirements" / name).read_text()
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match is None:
            continue
        assert "--hash=sha256:" in block, f"{match[1]} is pinned without a hash in {name}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(
    ("lock", "groups"), [("base.txt", ["main"]), ("test.txt", ["main", "test"])]
)
def test_each_declared_dependency_is_pinned_inside_its_range(lock, groups):
    project = _project()
    declared = [
        *(project["dependencies"] if "main" in groups else []),
        *(project["optional-dependencies"]["test"] if "test" in groups else []),
    ]
    pins = _pins(lock)
    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is declared but not in {lock}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {requirement.name}=={pins[name]}, outside {requirement.specifier}"
        )


def test_the_app_lock_takes_the_same_versions_as_the_test_lock():
    app, test = _pins("base.txt"), _pins("test.txt")
    assert set(app) <= set(test)
    assert {name: test[name] for name in app} == app


def test_the_project_is_built_with_locked_setuptools():
    assert {"setuptools", "wheel"} <= set(_pins("base.txt"))


@pytest.mark.skipif(
    os.environ.get("RECOMMERCE_TEST_LATEST") == "1",
    reason="make test-latest runs the suite on the newest versions on purpose",
)
def test_the_suite_runs_on_exactly_the_locked_versions():
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    drift = {
        name: (version, installed.get(name))
        for name, version in _pins("test.txt").items()
        if installed.get(name) != version
    }
    assert drift == {}, f"installed versions differ from requirements/test.txt: {drift}"
