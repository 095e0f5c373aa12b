"""Imports flow one way: core below data below models below evaluation below report and the
studies, the pipeline's checks and the git and DVC runs on top; and no module imports, even
through others, one that imports it."""

from graphlib import CycleError, TopologicalSorter

from conftest import REPO
from tagbench.pipeline.stagedeps import imported_modules, module_file

LAYERS = ["core", "data", "models", "evaluation predict", "report studies", "serving", "pipeline",
          "runs", "cli"]
RANK = {part: i for i, layer in enumerate(LAYERS) for part in layer.split()}


def rank(module):
    """tagbench.models.neural.tagger -> the rank of models; the package itself: -1."""
    parts = module.split(".")
    return RANK[parts[1]] if len(parts) > 1 else -1


def modules():
    return {".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"):
            path for path in (REPO / "tagbench").rglob("*.py")}


def imports():
    return {name: {m for m in imported_modules(REPO, path) if m != name}
            for name, path in modules().items()}


def test_no_module_imports_one_of_a_higher_layer():
    upward = [f"{name} imports {other}" for name, found in imports().items()
              for other in found if rank(other) > rank(name)]
    assert not upward, "; ".join(sorted(upward))


def test_no_import_circles():
    graph = {name: {m for m in found if module_file(REPO, m) != module_file(REPO, name)
                    and not name.startswith(m + ".")}  # a package's own parents
             for name, found in imports().items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as e:
        raise AssertionError(f"import circle: {' -> '.join(e.args[1])}") from None


def test_every_folder_has_a_layer():
    assert {rank(name) for name in modules()} >= set(range(len(LAYERS)))
