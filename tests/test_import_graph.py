"""The package's imports run one way: no module reaches itself through its imports.

Every import counts, also one inside a function (a lazy import that only dodges a cycle is a cycle
all the same); only imports under `if TYPE_CHECKING:` are left out, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for `notelint/` (with subpackages) and `rules/`."""
    found = {}
    for path in [*(root / "notelint").rglob("*.py"), *(root / "rules").glob("*.py")]:
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imported(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The project modules one file imports, at any depth, outside `if TYPE_CHECKING:`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if "TYPE_CHECKING" in ast.unparse(node.test):
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:
            out.update(alias.name for alias in node.names if alias.name in known)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in known:
                    out.add(target)
                elif base in known:
                    out.add(base)

    Visitor().visit(ast.parse(path.read_text("utf-8")))
    # importing a.b.c first runs a and a.b
    for target in list(out):
        parent = target.rpartition(".")[0]
        while parent:
            if parent in known:
                out.add(parent)
            parent = parent.rpartition(".")[0]
    out.discard(name)
    return out


def import_graph(root: Path) -> dict[str, set[str]]:
    known = module_files(root)
    return {name: imported(path, name, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_package_imports_have_no_cycle():
    assert cycles(import_graph(ROOT)) == []


def test_the_walk_sees_top_level_lazy_and_relative_imports():
    graph = import_graph(ROOT)
    assert "notelint.engine" in graph["notelint.cli"]
    assert "notelint.checking" in graph["notelint.engine"]
    assert "notelint.imaging.opener" in graph["notelint.imaging.facts"] | graph["notelint.imaging.probe"]
    assert len(graph) > 40 and sum(map(len, graph.values())) > 100


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in {"notelint/__init__.py": "", "rules/__init__.py": "", **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    root = _package(tmp_path, {
        "notelint/a.py": "from notelint import b\n",
        "notelint/b.py": "def f():\n    from notelint.c import x\n",
        "notelint/c.py": "from . import a\nx = 1\n",
        "rules/r.py": "import notelint.a\n",
    })
    assert cycles(import_graph(root)) == [["notelint.a", "notelint.b", "notelint.c"]]


def test_an_import_under_type_checking_is_not_a_cycle(tmp_path):
    root = _package(tmp_path, {
        "notelint/a.py": "from notelint import b\n",
        "notelint/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from notelint import a\n",
    })
    assert cycles(import_graph(root)) == []


def test_a_subpackage_module_importing_its_package_parent_counts(tmp_path):
    root = _package(tmp_path, {
        "notelint/p/__init__.py": "from notelint.p import inner\n",
        "notelint/p/inner.py": "from notelint import q\n",
        "notelint/q.py": "from notelint.p.inner import thing\n",
    })
    assert cycles(import_graph(root)) == [["notelint.p", "notelint.p.inner", "notelint.q"]]
