"""Do dvc.yaml's code deps follow the imports? Each stage must depend on every tagbench module
its script can import, so that a change to any of them re-runs it.

The imports are read from the source (every `import`, also inside functions), followed
transitively within the package, parent packages included. The baseline registry
(`tagbench.models.shared.registry`) imports a baseline's model module by name at run time: a stage
whose command names a baseline may load that baseline's module (and those of its RNG
stream); a stage that names none may load any. A stage of one baseline depends on its
family's folder (tagbench/models/<family>), so that another family's code never re-runs it.
"""

import ast
import functools
import shlex
from pathlib import Path

PACKAGE = "tagbench"


def module_file(root, module):
    """tagbench.data.text -> tagbench/data/text.py (or its package's __init__.py)."""
    base = Path(root, *module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


def with_parents(module):
    """tagbench.data.text -> tagbench, tagbench.data, tagbench.data.text."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


@functools.cache  # every stage's closure walks the same files: parse each once
def imported_modules(root, path):
    """The package's modules that one file imports anywhere in its source."""
    found = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # `from tagbench import data` imports the module tagbench.data
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] == PACKAGE and module_file(root, name):
                found |= with_parents(name)
    return found


def closure(root, modules):
    """Every package module reachable from `modules` through imports."""
    seen, todo = set(), list(modules)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo += imported_modules(root, module_file(root, module)) - seen
    return seen


@functools.cache
def loads_baselines(root, path):
    """Does this file build or load a baseline through the registry (registry.build or
    registry.load), so that it may import any baseline's model module?"""
    return any(isinstance(node, ast.Attribute) and node.attr in ("build", "load")
               and isinstance(node.value, ast.Name) and node.value.id == "registry"
               for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))))


@functools.cache  # every stage of a check reads the same file
def run_params(root):
    from tagbench.core.params import read_yaml

    return read_yaml(Path(root) / "params.yaml")


def registry_modules(root, baselines_named):
    """The model modules the registry may load for these baselines (None: any baseline or
    hybrid; a hybrid may load any baseline as its member); a baseline params.yaml adds is
    built as the registered one it is `like`."""
    from tagbench.models.shared.registry import BASELINES, HYBRID, kind, stream

    p = run_params(str(root))
    names = [kind(n, p) if n in p.get("baselines", {}) else n for n in baselines_named or []]
    if baselines_named is None or any(n not in BASELINES for n in names):
        return {entry.module for entry in (*BASELINES.values(), HYBRID)}
    return {BASELINES[m].module for n in names for m in stream(n)}


def stage_modules(root, cmd):
    """The package modules a stage command (`python stages/X.py [baseline]`) can import."""
    args = shlex.split(cmd)
    scripts = [a for a in args if a.endswith(".py")]
    if not scripts:
        return set()
    script, rest = scripts[0], args[args.index(scripts[0]) + 1:]
    modules = closure(root, imported_modules(root, Path(root) / script))
    files = [Path(root) / script, *(module_file(root, m) for m in modules)]
    if any(loads_baselines(root, f) for f in files):
        modules = closure(root, modules | registry_modules(root, rest or None))
    return modules


def covered(path, deps):
    """Is this file one of deps, or inside a folder that is one?"""
    return any(path == dep or dep in path.parents for dep in deps)


def mismatches(root, stages):
    """{stage: [problems]} for stages given as {name: (cmd, [dep paths])}: a module the stage
    imports but does not depend on (stale results), or a module it depends on but no stage
    of its group (`train@*` share their deps) imports (needless re-runs)."""
    imports = {name: {module_file(root, m).relative_to(root) for m in stage_modules(root, cmd)}
               for name, (cmd, _) in stages.items()}
    group_imports = {}
    for name, files in imports.items():
        group_imports.setdefault(name.split("@")[0], set()).update(files)
    found = {}
    for name, (_, deps) in stages.items():
        deps = [Path(d) for d in deps]
        problems = [f"imports {f} but does not depend on it"
                    for f in sorted(imports[name]) if not covered(f, deps)]
        problems += [f"depends on {d} but never imports it" for d in deps
                     if d.parts[0] == PACKAGE and d.suffix == ".py"
                     and d not in group_imports[name.split("@")[0]]]
        if problems:
            found[name] = problems
    return found


def dvc_stages(root="."):
    """{stage: (cmd, [its file deps])} for every stage of dvc.yaml, templates resolved."""
    from dvc.repo import Repo

    with Repo(str(root)) as repo:
        return table(repo.index.stages)


def table(stages):
    """{stage: (cmd, [its file deps])} of DVC's stage objects (those that run a command)."""
    from dvc.dependency.param import ParamsDependency

    return {s.addressing: (s.cmd, [d.def_path for d in s.deps
                                   if not isinstance(d, ParamsDependency)])
            for s in stages if s.cmd}
