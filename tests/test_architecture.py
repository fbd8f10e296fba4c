"""Every app of the portal is declared where the tools look for it.

The import contracts themselves are checked by ``lint-imports`` (import-linter,
run by CI and ``make lint``); these tests make sure that a new app cannot slip
past it, nor past the wheel and the import sorting, by being left out of
pyproject.toml.
"""

import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

PYPROJECT = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
KERNEL = "cucs_portal"


def portal_apps() -> set[str]:
    """The installed apps that live in this repository."""
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    }


def contract(kind: str) -> dict:
    (found,) = (
        c for c in PYPROJECT["tool"]["importlinter"]["contracts"] if c["type"] == kind
    )
    return found


def test_the_portal_apps_are_found():
    """The set the other tests compare with is the real one."""
    assert {KERNEL, "people", "axes", "ateliers", "dashboard"} <= portal_apps()


def test_every_app_has_its_floor():
    """Each app but the kernel is on exactly one floor of the layers contract;
    the kernel has its own contract (it imports no app)."""
    layered = [
        name.strip()
        for layer in contract("layers")["layers"]
        for name in re.split(r"[|:]", layer)
    ]

    assert sorted(layered) == sorted(portal_apps() - {KERNEL})


def test_import_linter_reads_every_app():
    """Its graph holds every app, and no app escapes the check for cycles."""
    root_packages = PYPROJECT["tool"]["importlinter"]["root_packages"]

    assert set(root_packages) == portal_apps()
    assert set(contract("acyclic_siblings")["ancestors"]) == portal_apps()


def test_every_app_is_packaged_and_sorted_as_first_party():
    """The wheel carries each app (templates included: package-data), and ruff
    sorts its imports with the portal's own."""
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    first_party = PYPROJECT["tool"]["ruff"]["lint"]["isort"]["known-first-party"]

    assert {f"{name}*" for name in portal_apps()} <= set(include)
    assert portal_apps() <= set(first_party)
    assert "templates/**/*.html" in PYPROJECT["tool"]["setuptools"]["package-data"]["*"]
