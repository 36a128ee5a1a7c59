"""limits.py is the one home of every bound of the runner (issue 19: "26 bounds live in 8
modules today; put them all in limits.py")."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import xsk_nb.xanoscript
from xsk_nb.xanoscript import limits


def test_every_bound_is_assigned_only_in_limits() -> None:
    package = Path(xsk_nb.xanoscript.__file__).parent
    assigned: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules([str(package)]):
        tree = ast.parse((package / f"{info.name}.py").read_text("utf-8"))
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id.lstrip("_").startswith("MAX_"):
                    assigned.setdefault(target.id, []).append(info.name)
    assert len(assigned) >= 26
    elsewhere = {name: where for name, where in assigned.items() if where != ["limits"]}
    assert not elsewhere, f"bounds assigned outside limits.py: {elsewhere}"


def test_the_modules_use_the_bounds_of_limits() -> None:
    for name, module in [
        ("MAX_INPUTS", "inputs"),
        ("MAX_CELL_CHARS", "parser"),
        ("MAX_FIELDS", "db"),
    ]:
        assert getattr(importlib.import_module(f"xsk_nb.xanoscript.{module}"), name) is getattr(
            limits, name
        )
