"""The tradeoff report's logic: Pareto front, recommendation, table, offline plots page."""

import numpy as np
import pytest

from tagbench.core.errors import TagbenchError
from tagbench.report import markdown, recommend


def row(name, f1, latency_ms, size_mb, low=None, high=None):
    return {"name": name, "test_f1": f1, "latency_ms": latency_ms, "size_mb": size_mb,
            "test_f1_low": f1 - 0.03 if low is None else low,
            "test_f1_high": f1 + 0.03 if high is None else high,
            "val_f1": f1, "val_f1_low": f1 - 0.03, "val_f1_high": f1 + 0.03,
            "test_micro_f1": f1, "test_precision": f1, "test_recall": f1, "throughput": 100.0,
            "parameters": 1000, "train_seconds": 1.0, "train_rows": 1000, "behavior_pass": 0.9,
            "behavior": {"minimum_functionality": 1.0, "invariance": 0.8, "directional": 0.9},
            "faithfulness": {"removed": 0.8, "removed_random": 0.2, "difference": 0.6}}


ROWS = [row("big", 0.70, 20.0, 90.0), row("svm", 0.68, 1.0, 2.0), row("rules", 0.60, 0.1, 0.01),
        row("slow_worse", 0.60, 30.0, 95.0), row("tie", 0.68, 1.0, 3.0)]
BUDGET = {"max_latency_ms": 50, "max_size_mb": 100, "alpha": 0.05, "min_behavior_pass": 0.5,
          "min_faithfulness": 0.1}


def val_samples(seed=0):
    """Macro F1 on 1000 shared val resamples: svm and tie sit 0.5 points under big, within
    noise; rules and slow_worse 10 points under."""
    rng = np.random.default_rng(seed)
    shared = rng.normal(0, 0.02, 1000)  # the resample's own difficulty, common to all
    return {"big": 0.70 + shared, "svm": 0.695 + shared + rng.normal(0, 0.01, 1000),
            "tie": 0.695 + shared + rng.normal(0, 0.01, 1000),
            "rules": 0.60 + shared + rng.normal(0, 0.01, 1000),
            "slow_worse": 0.60 + shared + rng.normal(0, 0.01, 1000)}


def test_pareto_front_keeps_only_the_undominated():
    assert recommend.pareto_front(ROWS) == ["big", "svm", "rules"]


def test_recommendation_is_the_cheapest_not_significantly_below_the_best_on_val():
    choice = recommend.recommend(ROWS, val_samples(), BUDGET)
    assert choice["best_on_val"] == "big" and choice["recommended"] == "svm"
    assert choice["candidates"] == ["big", "svm", "tie"]  # not significantly below big
    assert choice["p_values"]["rules"] == 0 and choice["p_values"]["svm"] > 0.05
    assert recommend.recommend(ROWS, val_samples(), {**BUDGET, "max_latency_ms": 0.5})[
        "recommended"] == "rules"
    nothing = recommend.recommend(ROWS, val_samples(), {**BUDGET, "max_latency_ms": 0.01})
    assert nothing["recommended"] is None and nothing["over_budget"] == [r["name"] for r in ROWS]


def test_a_baseline_below_the_behavioural_pass_rate_is_never_recommended():
    rows = [{**r, "behavior_pass": 0.5} if r["name"] == "svm" else r for r in ROWS]
    choice = recommend.recommend(rows, val_samples(), {**BUDGET, "min_behavior_pass": 0.8})
    assert choice["failing_behavior"] == ["svm"] and choice["recommended"] == "tie"
    assert "svm" not in choice["candidates"]
    context = {"version": "v1", "projects": 1444, "classes": 35, "seed": 42, "test_size": 215,
               "val_size": 216, "threshold": "global", "resamples": 1000, "folds": 1,
               "machine": "2 CPU cores", "train_seconds": 12.0, "train_size": 1000,
               "missing_classes": {}, **BUDGET,
               "min_behavior_pass": 0.8}
    text = markdown.tradeoffs_markdown(rows, recommend.pareto_front(rows), choice, context)
    assert "- Below the behavioural pass rate: svm." in text
    assert "passing at least 80% of the behavioural tests" in text
    unfaithful = [{**r, "faithfulness": {**r["faithfulness"], "difference": 0.0}}
                  if r["name"] == "tie" else r for r in rows]
    choice = recommend.recommend(unfaithful, val_samples(), {**BUDGET, "min_behavior_pass": 0.8})
    assert choice["unfaithful"] == ["tie"] and choice["recommended"] == "big"


def test_latencies_within_ten_percent_are_one_speed_and_size_decides():
    """A hybrid measured a little faster than its member (it runs the member and the rules:
    noise) is not chosen for it; a baseline 20% faster is."""
    rows = [row("svm", 0.7, 9.4, 0.87), row("hybrid", 0.7, 9.0, 0.88)]
    assert recommend.cheapest(rows) == "svm"
    assert recommend.cheapest([row("svm", 0.7, 9.4, 0.87), row("fast", 0.7, 7.5, 5.0)]) == "fast"


def test_a_slow_spell_is_left_out_of_the_latency():
    """Each baseline keeps its least round: a round slowed by other work is not the one kept."""
    from tagbench.evaluation import cost

    class Slow:
        calls = 0

        def predict(self, texts):
            Slow.calls += 1
            if Slow.calls <= 12:  # the warm-up and the first round's single texts
                sum(range(200_000))

    single, rate = cost.timed(Slow(), ["a"] * 10, batch_size=5)
    assert single < 1.0 and rate > 0


def test_latencies_taken_at_different_speeds_are_rescaled_to_one():
    """A baseline timed while the machine ran twice as slow (its reference workload took twice
    as long) is brought back to the others' speed."""
    from tagbench.evaluation import cost

    costs = {"a": {"latency_ms": 10.0, "throughput": 100.0, "reference_ms": 2.0},
             "b": {"latency_ms": 20.0, "throughput": 50.0, "reference_ms": 4.0},
             "c": {"latency_ms": 5.0, "throughput": 200.0, "reference_ms": 2.0}}
    scaled = cost.rescaled(costs)
    assert scaled["b"]["latency_ms"] == pytest.approx(10.0)
    assert scaled["b"]["throughput"] == pytest.approx(100.0)
    assert scaled["a"]["latency_ms"] == pytest.approx(10.0)
    assert cost.workload_ms(repeats=3) > 0 and cost.reference_ms() > 0


def test_holm_multiplies_the_ith_smallest_p_by_m_minus_i_plus_1_never_decreasing():
    adjusted = recommend.holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.5})
    assert adjusted == pytest.approx({"a": 0.04, "c": 0.09, "b": 0.09, "d": 0.5})
    assert recommend.holm({"x": 0.6, "y": 0.7}) == pytest.approx({"x": 1.0, "y": 1.0})


def test_holm_keeps_a_cheap_baseline_that_one_comparison_alone_would_drop():
    """svm is below big in 97% of the resamples (p = 0.03 < 0.05): uncorrected it is out and
    the slower tie is chosen; among 4 comparisons Holm's p is 0.06 and svm is kept."""
    best = np.full(1000, 0.70)
    scores = {"big": best, "svm": best - np.where(np.arange(1000) < 30, -0.01, 0.01),
              "tie": best - np.where(np.arange(1000) < 300, -0.01, 0.01),
              "rules": best - 0.1, "slow_worse": best - 0.1}
    rows = [{**r, "latency_ms": 2.0} if r["name"] == "tie" else r for r in ROWS]
    choice = recommend.recommend(rows, scores, BUDGET)
    assert choice["p_values"]["svm"] == pytest.approx(0.03)
    assert choice["p_holm"]["svm"] == pytest.approx(0.06) and choice["recommended"] == "svm"
    assert choice["uncorrected"]["recommended"] == "tie"
    assert markdown.correction(choice) == ("Without Holm's correction the recommendation would "
                                           "be tie (svm would count as significantly below "
                                           "the best).")


def test_test_numbers_cannot_change_the_recommendation():
    upside_down = [{**r, "test_f1": 1 - r["test_f1"], "test_f1_low": 0.0, "test_f1_high": 1.0}
                   for r in ROWS]
    assert recommend.recommend(upside_down, val_samples(), BUDGET) == \
        recommend.recommend(ROWS, val_samples(), BUDGET)


def test_with_folds_the_paired_t_test_decides_and_unscored_baselines_are_not_chosen():
    folds = {"big": [0.70, 0.72, 0.68, 0.71, 0.69], "svm": [0.69, 0.72, 0.66, 0.70, 0.70],
             "rules": [0.60, 0.61, 0.59, 0.62, 0.58]}
    choice = recommend.recommend(ROWS, folds, BUDGET, by_folds=True)
    assert choice["by"] == "folds" and choice["recommended"] == "svm"
    assert choice["p_values"]["rules"] < 0.001 and choice["p_values"]["svm"] > 0.05
    assert choice["not_scored"] == ["slow_worse", "tie"]


def test_tradeoffs_markdown_states_the_rule_and_the_choice():
    context = {"version": "v1", "projects": 1444, "classes": 35, "seed": 42, "test_size": 215,
               "val_size": 216, "threshold": "global", "resamples": 1000, "folds": 1,
               "machine": "2 CPU cores", "train_seconds": 12.0, "train_size": 1000,
               "missing_classes": {}, **BUDGET}
    choice = recommend.recommend(ROWS, val_samples(), BUDGET)
    text = markdown.tradeoffs_markdown(ROWS, recommend.pareto_front(ROWS), choice, context)
    assert all(f"| {r['name']} |" in text for r in ROWS)
    assert "**Recommended: svm**" in text and "chosen on val" in text
    assert "one-sided paired bootstrap over the 216 val projects" in text
    assert "Significantly below it: rules (p = 0.000, Holm 0.000), slow_worse (p = 0.000, " \
        "Holm 0.000)" in text
    assert "after Holm's correction for the 4 comparisons with the best" in text
    assert "Holm's correction changes neither the candidates nor the recommendation." in text
    assert "v1: 1444 projects, 35 tags; seed 42" in text
    assert "training budget" not in text and "Warning" not in text


def test_the_report_says_who_trained_on_a_sample_and_which_classes_a_split_lacks():
    rows = [{**r, "train_rows": 400} if r["name"] == "big" else r for r in ROWS]
    context = {"version": "v1", "projects": 1444, "classes": 35, "seed": 42, "test_size": 215,
               "val_size": 216, "threshold": "global", "resamples": 1000, "folds": 1,
               "machine": "2 CPU cores", "train_seconds": 12.0, "train_size": 1000,
               "missing_classes": {"train": [], "test": ["grief"]}, **BUDGET}
    text = markdown.tradeoffs_markdown(rows, recommend.pareto_front(rows),
                                     recommend.recommend(rows, val_samples(), BUDGET), context)
    assert "**big** was over its training budget: trained on 400 of the 1,000 train rows" in text
    assert "**Warning**: 1 class(es) have no test row: grief." in text


def test_without_behavioural_cases_the_rate_excludes_nobody():
    """A dataset without a suite (GoEmotions): no pass rate, no exclusion, "none apply"."""
    rows = [{**r, "behavior_pass": None,
             "behavior": dict.fromkeys(r["behavior"])} for r in ROWS]
    choice = recommend.recommend(rows, val_samples(), BUDGET)
    assert choice["failing_behavior"] == [] and choice["recommended"] == "svm"
    assert markdown.behavior_cell(rows[0]) == "none apply"


def test_offline_template_inlines_the_vega_scripts(tmp_path):
    from tagbench.pipeline import vega

    for script in vega.VEGA_SCRIPTS:
        (tmp_path / "nm" / script).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "nm" / script).write_text(f"/* {script} */ var s = '</script>';")
    vega.offline_template(tmp_path / "nm", tmp_path / "t.html")
    page = (tmp_path / "t.html").read_text()
    assert "{plot_divs}" in page and "{scripts}" not in page and "cdn" not in page
    assert all(f"/* {script} */" in page for script in vega.VEGA_SCRIPTS)
    assert "'</script>'" not in page  # a closing tag inside the code is escaped
    with pytest.raises(TagbenchError, match="npm ci"):
        vega.offline_template(tmp_path / "missing", tmp_path / "u.html")


def test_grid_flags_use_dvc_sweep_syntax():
    from tagbench.runs import tune

    grid = {"cnn.lr": [0.0003, 0.001], "tfidf_rf.class_weight": [None, "balanced"]}
    assert tune.grid_flags(grid) == ["-S", "cnn.lr=0.0003,0.001",
                                     "-S", "tfidf_rf.class_weight=null,balanced"]


def test_a_grid_is_numbered_the_same_on_every_machine(monkeypatch, capsys):
    """What the sweep workflow's matrix runs: point k is the k-th combination, keys in the
    grid's order; a point outside the grid fails before DVC is called."""
    from tagbench.runs import tune

    grid = {"a.C": [1, 2, 3], "a.n": [1, 2]}
    assert tune.points(grid)[:3] == [{"a.C": 1, "a.n": 1}, {"a.C": 1, "a.n": 2},
                                     {"a.C": 2, "a.n": 1}]
    assert len(tune.points(grid)) == 6 and tune.point_name("a", 6) == "a-6"
    monkeypatch.setattr(tune.subprocess, "run", None)  # no DVC call
    with pytest.raises(TagbenchError, match="the grid of a has points 1 to 6, not 7"):
        tune.run_point("a", grid, 7)


def test_every_default_grid_passes_the_params_declaration(repo_params, monkeypatch):
    from conftest import REPO
    from tagbench.core import params
    from tagbench.runs import tune

    monkeypatch.chdir(REPO)
    grids = params.read_yaml(tune.SWEEPS)
    assert set(grids) <= set(repo_params["baselines"])  # a grid is optional
    for name in grids:
        tune.default_grid(name)  # raises on an unknown key or a value out of range
    with pytest.raises(TagbenchError, match="sweeps.yaml: params.yaml: cnn.lr = -1"):
        tune.check_grid({"cnn.lr": [0.001, -1]}, repo_params)
    with pytest.raises(TagbenchError, match="unknown param 'cnn.lrr'"):
        tune.check_grid({"cnn.lrr": [0.001]}, repo_params)


@pytest.mark.parametrize("entry, message", [
    ("{model: m, metric: accuracy, value: 0.5, source: s, ours: svm}",
     "p.yaml: result 1: metric 'accuracy' must be one of macro_f1, micro_f1"),
    ("{model: m, metric: macro_f1, value: 0.5, ours: svm}",
     "p.yaml: result 1: missing field 'source'"),
])
def test_published_results_are_checked(tmp_path, entry, message):
    from tagbench.runs import published

    (tmp_path / "p.yaml").write_text(f"dataset: X\nresults:\n  - {entry}\n")
    with pytest.raises(TagbenchError, match=message):
        published.load(tmp_path / "p.yaml")


def test_the_committed_published_results_load():
    from conftest import REPO
    from tagbench.runs import published

    results = published.load(REPO / "benchmarks/published/goemotions.yaml")["results"]
    assert [(r["metric"], r["value"], r["ours"]) for r in results] == [
        ("macro_f1", 0.46, "transformer"), ("micro_f1", 0.51, "tfidf_logreg"),
        ("macro_f1", 0.49, "transformer")]
