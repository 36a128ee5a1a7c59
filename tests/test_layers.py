"""The import graph of xsk_nb: no cycle, and no core module reaching up to display or Jupyter.

Read from the source (ast), not by importing, so a lazy import inside a function counts as
an edge: a lazy import hides a circle at run time but does not remove it. Imports under
``if TYPE_CHECKING:`` are left out (they never run). Each check is a plain function over a
graph, and the synthetic graphs below show each one fails when it should.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "xsk_nb"

#: The core: arithmetic, rules and statistics, usable with no Jupyter at all.
CORE = ("contract", "optional", "keygen", "nist", "stats", "batch", "strength", "disclosure")
#: Writers of key files: the core plus the file system, still no display.
WRITERS = ("private_file", "envfile", "keyset")
#: What neither the core nor the writers may import: the display layer, the adapters,
#: the key request (which words outcomes) and the Jupyter stack.
NOT_FROM_BELOW = (
    "xsk_nb.report",
    "xsk_nb.masking",
    "xsk_nb.request",
    "xsk_nb.magic",
    "xsk_nb.cli",
    "xsk_nb.key_panel",
    "xsk_nb._ipython",
    "xsk_nb.xanoscript",
    "IPython",
    "ipywidgets",
    "ipykernel",
    "anywidget",
    "traitlets",
    "matplotlib",
)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_name(package: Path, path: Path) -> str:
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(
    source: str, module: str, is_package: bool = False, modules: Iterable[str] | None = None
) -> set[str]:
    """Every module ``module``'s source imports at run time (absolute names; relative resolved)."""
    found: set[str] = set()
    names: dict[str, set[str]] = {}  # "from X import a, b": X -> {X.a, X.b}
    base = module.split(".") if is_package else module.split(".")[:-1]

    def visit(nodes: Iterable[ast.stmt | ast.AST]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    prefix = base[: len(base) - node.level + 1]
                    target = ".".join([*prefix, node.module] if node.module else prefix)
                else:
                    target = node.module or ""
                # "from xsk_nb import masking" imports the submodule xsk_nb.masking; which of
                # the names are modules is sorted out by the caller (both are recorded).
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
                names[target] = {f"{target}.{alias.name}" for alias in node.names}
            visit(ast.iter_child_nodes(node))

    visit(ast.parse(source).body)
    if modules is not None:  # "from pkg import sub": an edge to pkg.sub, not to pkg itself
        for target, members in names.items():
            if members and all(member in modules for member in members):
                found.discard(target)
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (submodules resolved)."""
    modules = {_module_name(package, path): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        raw = imports_of(
            path.read_text(encoding="utf-8"), name, path.name == "__init__.py", modules
        )
        graph[name] = {target for target in raw if target in modules and target != name}
    return graph


def all_imports(package: Path) -> dict[str, set[str]]:
    """Module -> every name it imports, third-party included."""
    return {
        _module_name(package, path): imports_of(
            path.read_text(encoding="utf-8"),
            _module_name(package, path),
            path.name == "__init__.py",
        )
        for path in sorted(package.rglob("*.py"))
    }


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or one importing itself
    (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph.get(node, ()):
                        found.append(sorted(component))
    return found


def upward_imports(
    imports: Mapping[str, Iterable[str]], lower: Iterable[str], forbidden: Iterable[str]
) -> list[str]:
    """``"low -> target"`` for every module of ``lower`` importing a ``forbidden`` name."""
    banned = tuple(forbidden)
    return sorted(
        f"{module} -> {target}"
        for module in lower
        for target in imports.get(module, ())
        if any(target == b or target.startswith(b + ".") for b in banned)
    )


# --- the real package -------------------------------------------------------------------------


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(import_graph(PACKAGE)) == []


def test_no_core_module_or_writer_imports_display_adapters_or_jupyter() -> None:
    imports = all_imports(PACKAGE)
    lower = [f"xsk_nb.{name}" for name in (*CORE, *WRITERS)]
    assert set(lower) <= set(imports), "a layer module was renamed: update CORE/WRITERS"
    assert upward_imports(imports, lower, NOT_FROM_BELOW) == []


def test_the_key_request_imports_no_adapter_and_nothing_of_jupyter() -> None:
    adapters_and_jupyter = [
        n for n in NOT_FROM_BELOW if n not in ("xsk_nb.report", "xsk_nb.masking", "xsk_nb.request")
    ]
    assert upward_imports(all_imports(PACKAGE), ["xsk_nb.request"], adapters_and_jupyter) == []


def test_the_contract_imports_nothing_of_the_kit() -> None:
    assert import_graph(PACKAGE)["xsk_nb.contract"] == set()


def test_the_graph_sees_lazy_imports_and_skips_type_checking_ones() -> None:
    graph = import_graph(PACKAGE)
    assert "xsk_nb.strength" in graph["xsk_nb.keygen"]  # lazy, inside validate_alg
    assert "xsk_nb.batch" in graph["xsk_nb.disclosure"]  # lazy, inside shown_information
    assert "xsk_nb.magic" in graph["xsk_nb"]  # lazy, inside load_ipython_extension


# --- the checks can fail ----------------------------------------------------------------------


def test_a_synthetic_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_a_synthetic_package_with_a_lazy_circle_fails(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "one.py").write_text("from pkg.two import f\n")
    (package / "two.py").write_text(
        "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from pkg import three\n"
        "def f():\n    from . import one  # lazy: still a circle\n"
    )
    (package / "three.py").write_text("import pkg.two\n")  # two -> three is TYPE_CHECKING only
    assert cycles(import_graph(package)) == [["pkg.one", "pkg.two"]]


def test_a_synthetic_upward_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "xsk_nb"
    package.mkdir()
    (package / "stats.py").write_text(
        "def f():\n    import IPython\n    from xsk_nb import masking\n"
    )
    imports = all_imports(package)
    assert upward_imports(imports, ["xsk_nb.stats"], NOT_FROM_BELOW) == [
        "xsk_nb.stats -> IPython",
        "xsk_nb.stats -> xsk_nb.masking",
    ]


@pytest.mark.parametrize("circle", [("keygen", "strength"), ("stats", "batch")])
def test_the_two_old_circles_are_gone(circle: tuple[str, str]) -> None:
    graph = import_graph(PACKAGE)
    first, second = (f"xsk_nb.{name}" for name in circle)
    assert not (second in graph[first] and first in graph[second])
