"""The shape of `crmsup/records/`: a small kernel, one package per area, faces between them.

Read from the source (no import runs), so a new module is held to it the day it is written:

- the kernel (`crmsup/records/*.py`) imports no package of `records/`, but `schema`, which
  gathers every area's tables for what needs them all (Alembic, `upkeep`, the demo);
- no import circle between the packages, nor through `schema`;
- a package — and the CLI, the window, spreadsheets and forms — reaches a package only
  through the modules its `FACE` names, and only for the names a face's `__all__` lists;
- nothing outside `records/` imports an underscored name of a package of `records/`;
- the kernel holds about 25 modules at most, a package about 12.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import crmsup

ROOT = Path(crmsup.__file__).parent
RECORDS = ROOT / "records"
#: Not code of records: Alembic's revisions, which must not change (issue 11).
NOT_A_PACKAGE = {"migrations"}
MAX_KERNEL_MODULES = 25
MAX_PACKAGE_MODULES = 12
#: Kernel modules allowed to import the packages: `schema` gathers their tables.
GATHERERS = {"crmsup.records.schema"}


@cache
def packages() -> tuple[str, ...]:
    return tuple(
        sorted(
            p.name
            for p in RECORDS.iterdir()
            if (p / "__init__.py").is_file() and p.name not in NOT_A_PACKAGE
        )
    )


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def is_module(name: str) -> bool:
    path = ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def package_of(module: str) -> str | None:
    """The package of `records/` a module is in; None for the kernel and outside records."""
    parts = module.split(".")
    if parts[:2] != ["crmsup", "records"] or len(parts) < 3:
        return None
    return parts[2] if parts[2] in packages() else None


@dataclass(frozen=True, slots=True)
class Import:
    source: str
    #: The module imported, and the name taken from it (None: the module itself).
    target: str
    name: str | None
    line: int


def imports_of(path: Path) -> Iterator[Import]:
    source = module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(source, alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{source}:{node.lineno}: a relative import"
            assert node.module is not None
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if is_module(full):
                    yield Import(source, full, None, node.lineno)
                else:
                    yield Import(source, node.module, alias.name, node.lineno)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(i for path in sorted(ROOT.rglob("*.py")) for i in imports_of(path))


def records_imports() -> Iterator[Import]:
    for found in all_imports():
        if found.source.startswith("crmsup.records.") and found.target.startswith(
            "crmsup.records."
        ):
            yield found


@cache
def face_of(package: str) -> tuple[str, ...]:
    tree = ast.parse((RECORDS / package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "FACE" for t in node.targets
        ):
            face = ast.literal_eval(node.value)
            assert isinstance(face, tuple)
            return tuple(f"crmsup.records.{package}.{m}" for m in face)
    raise AssertionError(f"crmsup/records/{package}/__init__.py declares no FACE")


@cache
def all_of(module: str) -> frozenset[str] | None:
    path = ROOT.parent.joinpath(*module.split("."))
    path = path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return frozenset(ast.literal_eval(node.value))
    return None


def test_the_kernel_imports_no_package_but_through_schema() -> None:
    wrong = [
        f"{i.source}:{i.line} imports {i.target}"
        for i in records_imports()
        if package_of(i.source) is None
        and i.source not in GATHERERS
        and package_of(i.target) is not None
    ]
    assert wrong == []


def node_of(module: str) -> str | None:
    """The node of the package graph a module is in: its package, or a gatherer itself."""
    return module if module in GATHERERS else package_of(module)


def test_no_import_circle_between_packages() -> None:
    # A gatherer is a node of its own: an area importing `schema`, which imports every
    # area's models, would close a circle through it.
    graph: dict[str, set[str]] = {p: set() for p in [*packages(), *GATHERERS]}
    for i in records_imports():
        source, target = node_of(i.source), node_of(i.target)
        if source is not None and target is not None and source != target:
            graph[source].add(target)
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as circle:
        pytest.fail(f"an import circle between packages: {' -> '.join(circle.args[1])}")
    assert set(order) == {*packages(), *GATHERERS}


#: What a user meets — the commands, the window, spreadsheets and printed forms — calls the
#: areas through their faces too. (The demo is not held to it: it writes a whole
#: organisation's rows as a generator does.)
FRONTS = ("crmsup.app", "crmsup.cli.", "crmsup.ui.", "crmsup.spreadsheets.", "crmsup.forms.")


def test_a_package_reaches_another_only_through_its_face() -> None:
    wrong = []
    for i in all_imports():
        source, target = package_of(i.source), package_of(i.target)
        if target is None or source == target:
            continue
        if source is None and not i.source.startswith(FRONTS):
            continue
        if i.target not in face_of(target):
            wrong.append(f"{i.source}:{i.line} imports {i.target}, not a face of {target}")
            continue
        listed = all_of(i.target)
        if i.name is not None and i.name.startswith("_"):
            wrong.append(f"{i.source}:{i.line} takes {i.name}, private to {target}")
        elif i.name is not None and listed is not None and i.name not in listed:
            wrong.append(f"{i.source}:{i.line} takes {i.name}, not in {i.target}.__all__")
    assert wrong == []


def test_each_face_is_a_module_of_its_package() -> None:
    missing = [m for p in packages() for m in face_of(p) if not is_module(m)]
    assert missing == []


def test_nothing_outside_records_takes_a_private_name_of_a_package() -> None:
    roots = [ROOT, ROOT.parent / "tests", ROOT.parent / "bench"]
    wrong = []
    for path in (p for root in roots for p in sorted(root.rglob("*.py"))):
        if path.is_relative_to(RECORDS):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if package_of(full) is None and package_of(node.module) is None:
                        continue
                    if alias.name.startswith("_") or any(
                        part.startswith("_") and part != "__init__"
                        for part in node.module.split(".")
                    ):
                        wrong.append(f"{path}:{node.lineno} imports {full}")
                    if is_module(full):
                        aliases.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                wrong.append(f"{path}:{node.lineno} reads {node.value.id}.{node.attr}")
    assert wrong == []


def test_the_kernel_and_each_package_stay_small() -> None:
    kernel = [p for p in RECORDS.glob("*.py") if p.name != "__init__.py"]
    assert len(kernel) <= MAX_KERNEL_MODULES, sorted(p.name for p in kernel)
    for package in packages():
        top = RECORDS / package
        for folder in [top, *(d for d in top.iterdir() if (d / "__init__.py").is_file())]:
            modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
            assert len(modules) <= MAX_PACKAGE_MODULES, (folder.name, len(modules))
