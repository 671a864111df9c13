"""The layers of the code: the base, then the citizen's path in order, then the portal on top.

An earlier stage of the path never imports a later one, not even inside a function: a later
stage plugs into a hook the earlier one owns. The base (core, accounts, geography, programme)
imports none of the path, and nothing below the top layer imports the portal. Every `.py` file
of an app (migrations aside) is parsed with `ast`, so an import anywhere in it counts.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The citizen's path, earliest first. An app that does not exist yet is skipped.
PIPELINE = ["applications", "aptitude", "training", "plans", "commissions", "certificates", "financing"]
BASE = ["core", "accounts", "geography", "programme"]
TOP = ["portal", "reports", "api"]


def python_files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


# Names that reach another app without an import statement: a task's dotted name ("x.tasks.y", for
# the outbox or send_task) and a template's path ("x/page.html").
TASK_NAME = re.compile(r"^([a-z_]+)\.tasks\.\w+$")
TEMPLATE_NAME = re.compile(r"^([a-z_]+)/[\w/.-]+\.(?:html|txt|css)$")
BY_NAME = {"import_module", "__import__", "import_string"}


def _called(node: ast.Call) -> str | None:
    return getattr(node.func, "attr", None) or getattr(node.func, "id", None)


def imports_in(source: str, filename: str = "<source>") -> Iterator[tuple[int, str]]:
    """(line, module) of every absolute import in the source, at any depth: module level, inside
    functions, under `if TYPE_CHECKING`; `importlib.import_module("...")` and `import_string("...")`
    with a literal name; `apps.get_model("app", "Model")` / `get_model("app.Model")`; and a literal
    task name or template path of another app (reported as that app's `tasks` / `templates`)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and _called(node) == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value.split(".")[0] + ".models"))
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if match := TASK_NAME.match(node.value):
                found.append((node.lineno, f"{match[1]}.tasks"))
            elif match := TEMPLATE_NAME.match(node.value):
                found.append((node.lineno, f"{match[1]}.templates"))
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and _called(node) in BY_NAME
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    yield from sorted(found)


def violations(app: str, forbidden: list[str], *, allowed: set[str] = frozenset()) -> list[str]:
    """`file:line imports module` for each import of a forbidden app from the app's files."""
    found = []
    for path in python_files(app):
        name = path.relative_to(ROOT).as_posix()
        if name in allowed:
            continue
        for line, module in imports_in(path.read_text(encoding="utf-8"), name):
            if module.split(".")[0] in forbidden:
                found.append(f"{name}:{line} imports {module}")
    return found


def existing(apps: list[str]) -> list[str]:
    return [app for app in apps if (ROOT / app).is_dir()]


@pytest.mark.parametrize("app", existing(PIPELINE))
def test_an_earlier_stage_never_imports_a_later_one(app):
    later = PIPELINE[PIPELINE.index(app) + 1 :]
    found = violations(app, later)
    assert found == [], f"{app} imports later stages ({', '.join(later)}):\n" + "\n".join(found)


@pytest.mark.parametrize("app", existing(BASE))
def test_the_base_never_imports_the_citizens_path(app):
    found = violations(app, PIPELINE)
    assert found == [], f"{app} is the base and imports the path:\n" + "\n".join(found)


@pytest.mark.parametrize("app", existing(BASE + PIPELINE))
def test_nothing_below_the_top_layer_imports_the_portal(app):
    found = violations(app, TOP)
    assert found == [], f"{app} imports the top layer:\n" + "\n".join(found)


def test_the_checker_sees_imports_at_any_depth():
    source = """
import training
import certificates.models as cert
from training.models import GroupMember

def withdraw():
    from aptitude.models import Attempt
    if True:
        import commissions.services

class Hook:
    def ready(self):
        from financing import signals

def lazy():
    import importlib
    return importlib.import_module("certificates.selectors")

from . import rules  # relative: inside the app
from applications.models import Application  # the same stage
"""
    assert list(imports_in(source)) == [
        (2, "training"),
        (3, "certificates.models"),
        (4, "training.models"),
        (7, "aptitude.models"),
        (9, "commissions.services"),
        (13, "financing"),
        (16, "importlib"),
        (17, "certificates.selectors"),
        (20, "applications.models"),
    ]


def test_the_checker_sees_apps_reached_by_name():
    source = """
from django.apps import apps
from django.utils.module_loading import import_string

Certificate = apps.get_model("certificates", "Certificate")
Referral = apps.get_model("financing.Referral")
task = import_string("commissions.tasks.render_protocol_task")
outbox.enqueue("certificates.tasks.email_certificate_task", 1)
render(request, "training/attendance.html", {})
render(request, "applications/status.html", {})
"""
    assert [module for _line, module in imports_in(source)] == [
        "django.apps",
        "django.utils.module_loading",
        "certificates.models",
        "financing.models",
        "commissions.tasks",  # the literal: a task's name
        "commissions.tasks.render_protocol_task",  # import_string's
        "certificates.tasks",
        "training.templates",
        "applications.templates",
    ]
