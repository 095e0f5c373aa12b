"""The tradeoff report's logic: Pareto front, recommendation, table, offline plots page."""

import pytest

from tagbench import plots, report
from tagbench.errors import TagbenchError


def row(name, f1, latency_ms, size_mb, low=None, high=None):
    return {"name": name, "f1": f1, "latency_ms": latency_ms, "size_mb": size_mb,
            "f1_low": f1 - 0.03 if low is None else low, "f1_high": f1 + 0.03 if high is None
            else high, "micro_f1": f1, "precision": f1, "recall": f1, "throughput": 100.0,
            "parameters": 1000, "train_seconds": 1.0}


ROWS = [row("big", 0.70, 20.0, 90.0), row("svm", 0.68, 1.0, 2.0), row("rules", 0.60, 0.1, 0.01),
        row("slow_worse", 0.60, 30.0, 95.0), row("tie", 0.68, 1.0, 3.0)]


def test_pareto_front_keeps_only_the_undominated():
    assert report.pareto_front(ROWS) == ["big", "svm", "rules"]


def test_recommendation_respects_the_budgets_and_names_overlaps():
    assert report.recommend(ROWS, 50, 100) == ("big", ["svm", "tie"])
    assert report.recommend(ROWS, 5, 100) == ("svm", ["tie"])
    assert report.recommend(ROWS, 0.5, 100) == ("rules", [])
    assert report.recommend(ROWS, 0.01, 100) == (None, [])


def test_tradeoffs_markdown_has_every_row_and_the_recommendation():
    context = {"version": "v1", "projects": 1444, "classes": 35, "seed": 42, "test_size": 215,
               "threshold": "global", "resamples": 1000, "machine": "2 CPU cores",
               "train_seconds": 12.0, "max_latency_ms": 5, "max_size_mb": 100}
    text = report.tradeoffs_markdown(ROWS, report.pareto_front(ROWS),
                                     report.recommend(ROWS, 5, 100), context)
    assert all(f"| {r['name']} |" in text for r in ROWS)
    assert "**svm**" in text and "overlaps those of tie" in text
    assert "v1: 1444 projects, 35 tags; seed 42" in text


def test_offline_template_inlines_the_vega_scripts(tmp_path):
    for script in plots.VEGA_SCRIPTS:
        (tmp_path / "nm" / script).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "nm" / script).write_text(f"/* {script} */ var s = '</script>';")
    plots.offline_template(tmp_path / "nm", tmp_path / "t.html")
    page = (tmp_path / "t.html").read_text()
    assert "{plot_divs}" in page and "{scripts}" not in page and "cdn" not in page
    assert all(f"/* {script} */" in page for script in plots.VEGA_SCRIPTS)
    assert "'</script>'" not in page  # a closing tag inside the code is escaped
    with pytest.raises(TagbenchError, match="npm ci"):
        plots.offline_template(tmp_path / "missing", tmp_path / "u.html")


def test_grid_flags_use_dvc_sweep_syntax():
    from tagbench import tune

    grid = {"cnn.lr": [0.0003, 0.001], "tfidf.rf.class_weight": [None, "balanced"]}
    assert tune.grid_flags(grid) == ["-S", "cnn.lr=0.0003,0.001",
                                     "-S", "tfidf.rf.class_weight=null,balanced"]


def test_every_default_grid_names_real_params(repo_params):
    import yaml

    from conftest import REPO
    from tagbench import tune

    grids = yaml.safe_load((REPO / tune.SWEEPS).read_text())
    assert set(grids) == set(repo_params["baselines"]) - {"random_uniform",
                                                          "rule_based_unstemmed"}
    for grid in grids.values():
        for key in grid:
            assert tune.flat_params(repo_params, [key])  # raises KeyError on a typo
