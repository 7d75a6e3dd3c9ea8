"""The shape of the code: which app may import which, no import cycle inside an app, no long module.

Pure Python (the sources are read with ``ast``, nothing is imported), so it needs neither a
database nor settings: ``python tests/test_layout.py`` prints what is wrong, and pytest runs
the same checks. Each rule is also tried on a small made-up set of modules, so a rule that
stopped finding anything would fail here too.
"""

import ast
from dataclasses import dataclass
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent

# Imports flow one way: schools <- loans <- cases | classrooms <- conventions | helpdesk. An app may not
# import any app named against it here, wherever the import is (in a function too).
FORBIDDEN_IMPORTS = {
    "schools": {"loans", "cases", "classrooms", "conventions", "helpdesk"},
    "loans": {"cases", "classrooms", "conventions", "helpdesk"},
    "cases": {"classrooms", "conventions", "helpdesk"},
    "classrooms": {"cases", "conventions", "helpdesk"},
}

# Cycles between modules of one app, deferred imports (inside a function) included: a deferred
# import only hides the cycle until the function runs. The ones below are known, each with the
# reason it is still there; an entry that no longer matches a cycle is reported.
CYCLES_FOR_NOW: dict[frozenset[str], str] = {}

MAX_MODULE_LINES = 500

# Modules allowed past the limit for now, each with the reason. An entry that is no longer
# needed (the module is gone or short enough) is reported, so that this list only shrinks.
LONG_MODULES_FOR_NOW: dict[str, str] = {}


@dataclass(frozen=True)
class Module:
    name: str  # dotted: "loans.views.lending"; a package by its own name ("loans.views")
    path: str  # relative to the project, with "/": "loans/views/lending.py"
    source: str

    @property
    def app(self) -> str:
        return self.name.split(".")[0]

    @property
    def is_package(self) -> bool:
        return self.path.endswith("/__init__.py")


def module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_from(sources: dict[str, str]) -> dict[str, Module]:
    """Modules by dotted name, from ``{relative path: source}``."""
    return {module_name(path): Module(module_name(path), path, source) for path, source in sources.items()}


def project_sources(root: Path = ROOT) -> dict[str, str]:
    """Every Python file of the project's apps (a top-level package other than tests)."""
    sources = {}
    for init in sorted(root.glob("*/__init__.py")):
        app = init.parent
        if app.name == "tests":
            continue
        for path in sorted(app.rglob("*.py")):
            sources[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return sources


@dataclass(frozen=True)
class Import:
    target: str  # the dotted name imported: a module, or a module followed by a name in it
    line: int


def imports_of(module: Module) -> list[Import]:
    """Every import of a module, module-level or not, with relative imports made absolute."""
    found = []
    for node in ast.walk(ast.parse(module.source, filename=module.path)):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _import_base(module, node)
            if base is None:
                continue
            # ``from pkg import x`` may import the submodule ``pkg.x`` or a name of ``pkg``;
            # ``resolve`` tells them apart once every module is known.
            found += [
                Import(f"{base}.{alias.name}" if alias.name != "*" else base, node.lineno)
                for alias in node.names
            ]
    return found


def _import_base(module: Module, node: ast.ImportFrom) -> str | None:
    if node.level == 0:
        return node.module
    package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    if node.level - 1 > len(package) - 1:
        return None  # above the top of the project: Python refuses it anyway
    parts = package[: len(package) - (node.level - 1)]
    if node.module:
        parts += node.module.split(".")
    return ".".join(parts)


def resolve(target: str, modules: dict[str, Module]) -> str | None:
    """The module an import loads: the longest known dotted prefix of ``target``."""
    parts = target.split(".")
    while parts:
        name = ".".join(parts)
        if name in modules:
            return name
        parts.pop()
    return None


def forbidden_imports(sources: dict[str, str], rules=FORBIDDEN_IMPORTS) -> list[str]:
    problems = []
    for module in modules_from(sources).values():
        refused = rules.get(module.app, set())
        for imported in imports_of(module):
            other = imported.target.split(".")[0]
            if other in refused:
                problems.append(
                    f"{module.path}:{imported.line} imports {imported.target}: "
                    f"{module.app} must not import {other}"
                )
    return problems


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the modules of the same app it imports (a package's ``__init__`` included)."""
    modules = modules_from(sources)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for module in modules.values():
        for imported in imports_of(module):
            target = resolve(imported.target, modules)
            if target and target != module.name and modules[target].app == module.app:
                graph[module.name].add(target)
    return graph


def import_cycles(sources: dict[str, str]) -> list[list[str]]:
    """One cycle (``[a, b, a]``) per group of modules of an app that import each other."""
    graph = import_graph(sources)
    groups = sorted((group for group in _strongly_connected(graph) if len(group) > 1), key=min)
    return [_cycle_in(group, graph) for group in groups]


def unexpected_cycles(sources: dict[str, str], *, for_now=CYCLES_FOR_NOW) -> list[str]:
    cycles = import_cycles(sources)
    problems = [" -> ".join(cycle) for cycle in cycles if frozenset(cycle) not in for_now]
    for known in for_now:
        if known not in {frozenset(cycle) for cycle in cycles}:
            problems.append(
                f"{' <-> '.join(sorted(known))} no longer import each other: remove it from CYCLES_FOR_NOW"
            )
    return problems


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, without recursion (import chains can be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
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
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _cycle_in(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & group):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def is_product_module(path: str) -> bool:
    return not path.startswith("tests/") and "/migrations/" not in f"/{path}"


def long_modules(
    sources: dict[str, str], *, limit: int = MAX_MODULE_LINES, for_now: dict[str, str] = LONG_MODULES_FOR_NOW
) -> list[str]:
    problems = []
    for path, source in sorted(sources.items()):
        lines = len(source.splitlines())
        if is_product_module(path) and lines > limit and path not in for_now:
            problems.append(f"{path} has {lines} lines (at most {limit}): cut it along the domain's seams")
    for path in sorted(for_now):
        if len(sources.get(path, "").splitlines()) <= limit:
            problems.append(f"{path} is no longer over {limit} lines: remove it from LONG_MODULES_FOR_NOW")
    return problems


# --- the project -------------------------------------------------------------------------------


def test_apps_import_only_downwards():
    assert forbidden_imports(project_sources()) == []


def test_no_import_cycle_inside_an_app():
    assert unexpected_cycles(project_sources()) == []


def test_no_product_module_is_too_long():
    assert long_modules(project_sources()) == []


def test_the_project_is_read():
    sources = project_sources()
    assert "loans/models/__init__.py" in sources
    assert "cases/services/__init__.py" in sources
    assert not any(path.startswith("tests/") for path in sources)


# --- each rule on made-up modules --------------------------------------------------------------


def test_a_loans_module_importing_cases_is_reported():
    sources = {
        "loans/__init__.py": "",
        "loans/holders.py": "from cases.models import ConnectionCase\n",
        "cases/__init__.py": "",
        "cases/models.py": "",
    }
    assert forbidden_imports(sources) == [
        "loans/holders.py:1 imports cases.models.ConnectionCase: loans must not import cases"
    ]


def test_an_import_inside_a_function_is_reported():
    sources = {"loans/views/feeds.py": "def page():\n    import cases.selectors\n"}
    assert forbidden_imports(sources) == [
        "loans/views/feeds.py:2 imports cases.selectors: loans must not import cases"
    ]


def test_every_direction_of_the_table_is_enforced():
    sources = {
        "schools/models.py": "from loans import models\n",
        "loans/forms.py": "import helpdesk.models\nfrom conventions.pdf import render\n",
        "cases/views.py": "from helpdesk.selectors import lists\nfrom conventions import services\n",
    }
    reported = {problem.split(": ")[-1] for problem in forbidden_imports(sources)}
    assert reported == {
        "schools must not import loans",
        "loans must not import helpdesk",
        "loans must not import conventions",
        "cases must not import helpdesk",
        "cases must not import conventions",
    }


def test_allowed_directions_are_not_reported():
    sources = {
        "cases/views.py": "from loans.selectors import kit_types\nfrom schools.models import School\n",
        "helpdesk/selectors.py": "from cases.models import ConnectionCase\nfrom loans.models import Kit\n",
        "conventions/selectors.py": "from loans.selectors import holder_open_loan\n",
        "loans/views.py": "from . import cases\nfrom .cases import x\n",  # loans' own module named cases
    }
    assert forbidden_imports(sources) == []


def test_a_cycle_between_two_modules_is_reported():
    sources = {
        "loans/__init__.py": "",
        "loans/selectors.py": "from .services import overlapping_loans\n",
        "loans/services.py": "def f():\n    from loans.selectors import kit_types\n",
    }
    assert import_cycles(sources) == [["loans.selectors", "loans.services", "loans.selectors"]]


def test_a_cycle_through_a_package_reexport_is_reported():
    # lending imports the package, whose __init__ re-exports the module importing lending.
    sources = {
        "loans/__init__.py": "",
        "loans/selectors/__init__.py": "from .inventory import kit_types\n",
        "loans/selectors/inventory.py": "from ..services import lending\n",
        "loans/services/__init__.py": "",
        "loans/services/lending.py": "from loans import selectors\n",
    }
    assert import_cycles(sources) == [
        ["loans.selectors", "loans.selectors.inventory", "loans.services.lending", "loans.selectors"]
    ]


def test_relative_imports_are_resolved():
    sources = {
        "loans/__init__.py": "",
        "loans/views/__init__.py": "",
        "loans/views/common.py": "from . import lending\n",
        "loans/views/lending.py": "from .common import paginate\n",
    }
    assert import_cycles(sources) == [["loans.views.common", "loans.views.lending", "loans.views.common"]]


def test_imports_without_a_cycle_are_not_reported():
    sources = {
        "loans/__init__.py": "",
        "loans/selectors/__init__.py": "from .inventory import kit_types\nfrom .lending import loan_list\n",
        "loans/selectors/inventory.py": "from .visibility import OPEN_LOAN_STATES\n",
        "loans/selectors/lending.py": "from .visibility import loans_visible_to\nfrom .inventory import x\n",
        "loans/selectors/visibility.py": "from schools.selectors import managed_school_ids\n",
        "loans/views.py": "from .selectors import kit_types\n",
        "schools/selectors.py": "from loans.views import page\n",  # another app: not a cycle of one app
    }
    assert import_cycles(sources) == []


def test_a_known_cycle_may_stay_only_while_it_is_there():
    sources = {
        "helpdesk/services.py": "def f():\n    from .tasks import send_ticket_mail\n",
        "helpdesk/tasks.py": "def g():\n    from .services import ticket_close_stale\n",
        "helpdesk/forms.py": "from .views import x\n",
        "helpdesk/views.py": "from .forms import y\n",
    }
    known = {frozenset({"helpdesk.services", "helpdesk.tasks"}), frozenset({"cases.services", "cases.tasks"})}
    assert unexpected_cycles(sources, for_now=known) == [
        "helpdesk.forms -> helpdesk.views -> helpdesk.forms",
        "cases.services <-> cases.tasks no longer import each other: remove it from CYCLES_FOR_NOW",
    ]


def test_a_module_of_501_lines_is_reported():
    sources = {"loans/views.py": "x = 1\n" * 501, "loans/forms.py": "x = 1\n" * 500}
    assert long_modules(sources, for_now={}) == [
        "loans/views.py has 501 lines (at most 500): cut it along the domain's seams"
    ]


def test_tests_and_migrations_may_be_long():
    long = "x = 1\n" * 600
    sources = {"tests/loans/test_views.py": long, "loans/migrations/0001_initial.py": long}
    assert long_modules(sources, for_now={}) == []


def test_a_long_module_may_wait_only_while_it_is_long():
    sources = {"conventions/services.py": "x = 1\n" * 900, "loans/admin.py": "x = 1\n" * 40}
    assert long_modules(sources, for_now={"conventions/services.py": "", "loans/admin.py": ""}) == [
        "loans/admin.py is no longer over 500 lines: remove it from LONG_MODULES_FOR_NOW"
    ]


if __name__ == "__main__":
    project = project_sources()
    problems = [
        *forbidden_imports(project),
        *unexpected_cycles(project),
        *long_modules(project),
    ]
    print("\n".join(problems) or "The layout is as it should be.")
    sys.exit(1 if problems else 0)
