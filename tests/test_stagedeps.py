"""Stage deps follow the imports: dvc.yaml against tagbench/pipeline/stagedeps.py's reading of
the code."""

import pytest

from conftest import REPO
from tagbench.pipeline.stagedeps import mismatches, table

# DVC takes 3 s to import and read dvc.yaml: these run in `make test` (and `tagbench
# check-lock` runs the same check in CI's fast gate), not in the inner loop.
DVC_INDEX = pytest.mark.slow


@pytest.fixture(scope="module")
def stages(dvc_index):
    return table(dvc_index)


@DVC_INDEX
def test_every_stage_depends_on_exactly_the_modules_it_imports(stages):
    wrong = mismatches(REPO, stages)
    assert not wrong, "fix dvc.yaml: " + "; ".join(f"{stage} {', '.join(problems)}"
                                                  for stage, problems in wrong.items())


@DVC_INDEX
def test_a_missing_module_dep_is_named(stages):
    cmd, deps = stages["evaluate@cnn"]
    without = [d for d in deps if d != "tagbench/evaluation"]
    problems = mismatches(REPO, {"evaluate@cnn": (cmd, without)})["evaluate@cnn"]
    assert "imports tagbench/evaluation/cost.py but does not depend on it" in problems


def test_the_registry_loads_the_named_baselines_module():
    from tagbench.pipeline.stagedeps import stage_modules

    svm = stage_modules(REPO, "python stages/train.py tfidf_svm")
    cnn = stage_modules(REPO, "python stages/train.py cnn")
    assert "tagbench.models.tfidf.tagger" in svm and "tagbench.models.neural.sequence" not in svm
    assert "tagbench.models.neural.sequence" in cnn and "tagbench.models.neural.trainer" in cnn
    evaluate = stage_modules(REPO, "python stages/evaluate.py cnn")
    assert "tagbench.models.simple.taggers" not in evaluate


@DVC_INDEX
def test_a_dep_no_stage_of_the_group_imports_is_named(stages):
    evaluates = {n: s for n, s in stages.items() if n.startswith("evaluate@")}
    cmd, deps = evaluates["evaluate@cnn"]
    evaluates["evaluate@cnn"] = (cmd, [*deps, "tagbench/models/shared/training.py"])
    assert mismatches(REPO, evaluates) == {
        "evaluate@cnn": ["depends on tagbench/models/shared/training.py but never imports it"]}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_an_import_added_deep_inside_a_function_is_followed(tmp_path):
    """A stage script imports a, a imports b inside a function: the stage needs b."""
    write(tmp_path / "tagbench" / "__init__.py", "")
    write(tmp_path / "tagbench" / "a.py", "def f():\n    from tagbench import b\n")
    write(tmp_path / "tagbench" / "b.py", "import os\n")
    write(tmp_path / "stages" / "s.py", "from tagbench.a import f\n")
    stage = {"s": ("python stages/s.py", ["stages/s.py", "tagbench/__init__.py",
                                          "tagbench/a.py"])}
    assert mismatches(tmp_path, stage) == {"s": ["imports tagbench/b.py but does not depend "
                                                 "on it"]}
    assert mismatches(tmp_path, {"s": (stage["s"][0], [*stage["s"][1], "tagbench"])}) == {}


HEAVY = ("sklearn", "torch", "transformers")
# What each kind of stage may import of the heavy packages (skmultilearn's iterative
# stratification brings scikit-learn to the split); a stage that needs none of them pays none
# of their import time (scikit-learn 2.5 s, torch 2 s, transformers 5 s).
ALLOWED = {
    "preprocess": (), "stem": (), "split": ("sklearn",), "class_weights": (),
    "train tfidf_svm": ("sklearn",), "train rule_based_stemmed": (), "train cnn": ("torch",),
    "evaluate random_uniform": (), "evaluate tfidf_svm": ("sklearn",),
    "evaluate cnn": ("torch",), "evaluate transformer": ("torch",),
    "hybrid hybrid_svm": ("sklearn",), "slices": (), "report": (),
}


@pytest.mark.slow  # a fresh Python per stage kind: 1 s each
@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_a_stage_imports_only_the_heavy_packages_it_uses(stage):
    """The stage script's imports and its baseline's model module, in a fresh Python (a
    hybrid also loads its members' modules, as Predictor does)."""
    import subprocess
    import sys

    script, *name = stage.split()
    probe = (f"import runpy, sys; runpy.run_path('stages/{script}.py'); "
             "from tagbench.models.shared import registry; "
             f"names = {name!r}; "
             "names += [getattr(registry.config(n, {'hybrids': {n: dict(model='tfidf_svm', "
             "rules='rule_based_stemmed', boosts=[])}}), r) for n in names "
             "if n.startswith('hybrid') for r in ('model', 'rules')]; "
             "[(registry.get(n) if n in registry.BASELINES else registry.HYBRID).tagger_class() "
             "for n in names]; "
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split("\n")[-2] == str(sorted(ALLOWED[stage]))
