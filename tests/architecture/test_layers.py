"""The layer rule of DESIGN §1, checked by walking the imports of every module with ``ast``.

ui → services → repository → domain; no PySide6 below ``ui/``; no SQL above ``repository/``.
Every ``import`` statement counts, including those under ``if TYPE_CHECKING:`` and inside
functions: a type-only import of ``Session`` in a service is still a leak of the layer below.
Relative imports are resolved to absolute names before they are judged.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import resolve_name
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "bcm_desktop"
PACKAGE_DIR = ROOT / PACKAGE

# Composition roots and tools: they wire every layer together and may import anything.
COMPOSITION_ROOTS = frozenset({"app.py", "__main__.py", "demo.py", "bench.py"})
ROOT_MODULES = frozenset(f"{PACKAGE}.{name.removesuffix('.py')}" for name in COMPOSITION_ROOTS)

QT = ("PySide6", "shiboken6")
SQL = ("sqlalchemy", "alembic")

# Imports each layer must not make, as module-name prefixes (a prefix matches the module
# itself and everything below it). The domain is stricter: an allow-list, see `_domain_rule`.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "repository": (*QT, f"{PACKAGE}.services", f"{PACKAGE}.ui", *ROOT_MODULES),
    "services": (*QT, *SQL, f"{PACKAGE}.ui", *ROOT_MODULES),
    "ui": (*SQL, f"{PACKAGE}.repository", *ROOT_MODULES),
    # Shared top-level helpers (``paths.py``, ``__init__.py``): no Qt, no SQL, no layer
    # above the domain, so every layer may use them.
    "top": (
        *QT,
        *SQL,
        f"{PACKAGE}.ui",
        f"{PACKAGE}.services",
        f"{PACKAGE}.repository",
        *ROOT_MODULES,
    ),
}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    statement: str
    module: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: `{self.statement}` imports {self.module}: {self.reason}"


def module_name(relpath: str) -> tuple[str, bool]:
    """The dotted module name of a file under the repository root, and whether it is a package."""
    parts = list(Path(relpath).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def layer_of(relpath: str) -> str | None:
    """``domain``/``repository``/``services``/``ui``, ``top`` for a shared top-level module,
    or ``None`` for a composition root (which may import anything)."""
    parts = Path(relpath).parts
    if len(parts) == 2:
        return None if parts[1] in COMPOSITION_ROOTS else "top"
    layer = parts[1]
    if layer not in (*FORBIDDEN, "domain"):
        # A new sub-package must be placed in the layer diagram before it can pass.
        return "unknown"
    return layer


def imported_modules(tree: ast.AST, relpath: str) -> Iterator[tuple[int, str, str]]:
    """Yield (line, statement as written, absolute module name) for every import.

    ``from X import a, b`` yields ``X.a`` and ``X.b``: ``a`` may be a sub-module (``from
    bcm_desktop import repository``), and for an attribute the prefix ``X`` still decides.
    """
    name, is_package = module_name(relpath)
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, f"import {alias.name}", alias.name
        elif isinstance(node, ast.ImportFrom):
            written = "." * node.level + (node.module or "")
            try:
                base = resolve_name(written, package) if node.level else written
            except ImportError:
                yield node.lineno, f"from {written} import ...", f"<beyond top level: {written}>"
                continue
            for alias in node.names:
                statement = f"from {written} import {alias.name}"
                target = base if alias.name == "*" else f"{base}.{alias.name}"
                yield node.lineno, statement, target


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _domain_rule(module: str) -> str | None:
    top = module.partition(".")[0]
    if _within(module, f"{PACKAGE}.domain"):
        return None
    if top != PACKAGE and top in sys.stdlib_module_names:
        return None
    return "domain/ may import only the standard library and bcm_desktop.domain"


def check_source(source: str, relpath: str) -> list[Violation]:
    """Every layer violation in one module's source; ``relpath`` is relative to the repo root,
    e.g. ``bcm_desktop/domain/money.py``."""
    layer = layer_of(relpath)
    if layer is None:
        return []
    tree = ast.parse(source, filename=relpath)
    found: list[Violation] = []
    for line, statement, module in imported_modules(tree, relpath):
        reason: str | None = None
        if module.startswith("<beyond top level"):
            reason = "relative import beyond the top-level package"
        elif layer == "unknown":
            reason = f"{Path(relpath).parts[1]}/ is not a layer of DESIGN §1; add it to the rules"
        elif layer == "domain":
            reason = _domain_rule(module)
        else:
            for prefix in FORBIDDEN[layer]:
                if _within(module, prefix):
                    reason = f"{layer}/ must not import {prefix}"
                    break
        if reason is not None:
            found.append(Violation(relpath, line, statement, module, reason))
    return found


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_respects_the_layers() -> None:
    files = package_files()
    # Guard against a walk that silently finds nothing (wrong root, moved package).
    assert any(f.parent.name == "domain" for f in files), f"no domain modules under {PACKAGE_DIR}"
    violations: list[Violation] = []
    for path in files:
        relpath = path.relative_to(ROOT).as_posix()
        violations += check_source(path.read_text(encoding="utf-8"), relpath)
    assert not violations, "Layer rule broken (DESIGN §1):\n" + "\n".join(map(str, violations))


# The checker itself: each forbidden import below must be reported, so the test above cannot
# pass by checking nothing.
@pytest.mark.parametrize(
    ("relpath", "source", "expected_module"),
    [
        ("bcm_desktop/domain/fake.py", "from PySide6.QtCore import QObject\n", "PySide6.QtCore"),
        ("bcm_desktop/domain/fake.py", "import sqlalchemy as sa\n", "sqlalchemy"),
        ("bcm_desktop/domain/fake.py", "from ..repository import orm\n", "bcm_desktop.repository"),
        ("bcm_desktop/domain/fake.py", "import platformdirs\n", "platformdirs"),
        (
            "bcm_desktop/domain/fake.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import PySide6\n",
            "PySide6",
        ),
        ("bcm_desktop/repository/fake.py", "from PySide6 import QtCore\n", "PySide6"),
        (
            "bcm_desktop/repository/fake.py",
            "from ..services import users\n",
            "bcm_desktop.services",
        ),
        ("bcm_desktop/services/fake.py", "from sqlalchemy.orm import Session\n", "sqlalchemy.orm"),
        ("bcm_desktop/services/fake.py", "import alembic.command\n", "alembic.command"),
        ("bcm_desktop/services/fake.py", "def f():\n    import PySide6.QtGui\n", "PySide6.QtGui"),
        ("bcm_desktop/services/fake.py", "from ..ui import main_window\n", "bcm_desktop.ui"),
        (
            "bcm_desktop/ui/forms/fake.py",
            "from ...repository import database\n",
            "bcm_desktop.repository",
        ),
        (
            "bcm_desktop/ui/fake.py",
            "from bcm_desktop import repository\n",
            "bcm_desktop.repository",
        ),
        ("bcm_desktop/ui/fake.py", "import sqlalchemy\n", "sqlalchemy"),
        ("bcm_desktop/ui/fake.py", "from .. import app\n", "bcm_desktop.app"),
        ("bcm_desktop/paths.py", "from PySide6.QtCore import QStandardPaths\n", "PySide6"),
        ("bcm_desktop/domain/fake.py", "from .... import x\n", "<beyond top level"),
    ],
)
def test_checker_reports_forbidden_import(relpath: str, source: str, expected_module: str) -> None:
    violations = check_source(source, relpath)
    assert len(violations) == 1, violations
    violation = violations[0]
    assert violation.module.startswith(expected_module)
    assert relpath in str(violation)
    assert f":{violation.line}:" in str(violation)


@pytest.mark.parametrize(
    ("relpath", "source"),
    [
        (
            "bcm_desktop/domain/fake.py",
            "from __future__ import annotations\nimport decimal\nfrom .money import to_cents\n"
            "from . import enums\nfrom bcm_desktop.domain.errors import DomainError\n",
        ),
        ("bcm_desktop/domain/__init__.py", "from .errors import DomainError\n"),
        ("bcm_desktop/repository/fake.py", "import sqlalchemy\nfrom ..domain import money\n"),
        ("bcm_desktop/services/fake.py", "from ..repository.unit_of_work import UnitOfWork\n"),
        (
            "bcm_desktop/ui/workspace/fake.py",
            "from PySide6.QtCore import Qt\nfrom ...services "
            "import opportunities\nfrom ...domain.enums import StageKind\n",
        ),
        (
            "bcm_desktop/app.py",
            "import sqlalchemy\nfrom PySide6 import QtWidgets\n"
            "from .repository.database import open_database\nfrom .ui import main_window\n",
        ),
        ("bcm_desktop/bench.py", "from .repository import queries\nimport PySide6\n"),
    ],
)
def test_checker_accepts_allowed_imports(relpath: str, source: str) -> None:
    assert check_source(source, relpath) == []


def test_checker_resolves_relative_imports_from_a_package_init() -> None:
    # In services/__init__.py, `.` is bcm_desktop.services itself, `..` is bcm_desktop.
    tree = ast.parse("from . import users\nfrom ..domain import money\n")
    modules = [m for _, _, m in imported_modules(tree, "bcm_desktop/services/__init__.py")]
    assert modules == ["bcm_desktop.services.users", "bcm_desktop.domain.money"]
