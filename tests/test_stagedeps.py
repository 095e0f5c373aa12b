"""Stage deps follow the imports: dvc.yaml against tagbench/stagedeps.py's reading of the code."""

from conftest import REPO
from tagbench.stagedeps import dvc_stages, mismatches


def test_every_stage_depends_on_exactly_the_modules_it_imports():
    wrong = mismatches(REPO, dvc_stages(REPO))
    assert not wrong, "fix dvc.yaml: " + "; ".join(f"{stage} {', '.join(problems)}"
                                                  for stage, problems in wrong.items())


def test_a_missing_module_dep_is_named():
    cmd, deps = dvc_stages(REPO)["evaluate@cnn"]
    without_io = [d for d in deps if d != "tagbench/io.py"]
    assert mismatches(REPO, {"evaluate@cnn": (cmd, without_io)}) == {
        "evaluate@cnn": ["imports tagbench/io.py but does not depend on it"]}


def test_the_registry_loads_the_named_baselines_kind_only():
    cmd, deps = dvc_stages(REPO)["tfidf@svm"]
    problems = mismatches(REPO, {"tfidf@svm": (cmd, [*deps, "tagbench/models/neural.py"])})
    assert problems == {"tfidf@svm": ["depends on tagbench/models/neural.py but never imports "
                                      "it"]}
    cmd, deps = dvc_stages(REPO)["train@cnn"]
    assert "tagbench/models/neural.py" in deps and "tagbench/models/tfidf.py" not in deps


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
