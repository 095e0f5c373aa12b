"""The tradeoff report's logic: Pareto front, recommendation, table, offline plots page."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
# cost classes: rules 0 (under both floors); svm and tie 1 (one latency tier, sizes 2 and 3
# within 1.5x); big and slow_worse 2
BUDGET = {"max_latency_ms": 50, "max_size_mb": 100, "min_throughput": 0, "alpha": 0.05,
          "margin": 0.02, "cost_band": 1.5, "cost_floor_ms": 1.0, "cost_floor_mb": 1.0,
          "min_behavior_pass": 0.5, "min_faithfulness": 0.1}
CONTEXT = {"version": "v1", "projects": 1444, "classes": 35, "seed": 42, "test_size": 215,
           "val_size": 216, "threshold": "global", "resamples": 1000, "folds": 1,
           "machine": "2 CPU cores", "train_seconds": 12.0, "train_size": 1000,
           "split": "temporal", "missing_classes": {}, **BUDGET}


def val_samples(seed=0, **shifts):
    """Macro F1 on 1000 shared val resamples: big 0.70; each other baseline's paired
    difference to it drawn as normal(mean, sd) (shifts name -> (mean, sd)); by default svm and
    tie 0.5 points under big, tightly paired, rules and slow_worse 10 points under."""
    spec = {"big": (0.0, 0.0), "svm": (-0.005, 0.003), "tie": (-0.005, 0.003),
            "rules": (-0.1, 0.01), "slow_worse": (-0.1, 0.01), **shifts}
    rng = np.random.default_rng(seed)
    shared = rng.normal(0, 0.02, 1000)  # the resample's own difficulty, common to all
    return {n: 0.70 + shared + mean + rng.normal(0, sd, 1000) for n, (mean, sd) in spec.items()}


def test_pareto_front_keeps_only_the_undominated():
    assert recommend.pareto_front(ROWS) == ["big", "svm", "rules"]


def test_cost_classes_band_latency_then_size_and_a_hybrid_costs_its_member():
    assert recommend.cost_classes(ROWS, BUDGET) == {"rules": 0, "svm": 1, "tie": 1, "big": 2,
                                                    "slow_worse": 2}
    hybrid = {**row("hybrid", 0.7, 2.0, 2.2), "hybrid": {"members": ["svm", "rules"]}}
    assert recommend.cost_classes([*ROWS, hybrid], BUDGET)["hybrid"] == 1  # 2x svm's latency
    assert recommend.tiers([0.1, 1.0, 1.4, 1.6, 2.3, 2.5], 1.5, 1.0) == [0, 0, 0, 1, 1, 2]


def test_a_cheaper_baseline_two_points_worse_with_a_wide_interval_is_not_chosen():
    """svm and tie sit 2 points under big with a wide paired spread: not shown within the
    margin, so the best on val stands."""
    samples = val_samples(svm=(-0.02, 0.03), tie=(-0.02, 0.03))
    choice = recommend.recommend(ROWS, samples, BUDGET)
    assert choice["best_on_val"] == choice["recommended"] == "big"
    assert choice["candidates"] == ["big"] and choice["bounds"]["svm"] < -0.05
    assert choice["why_not"]["svm"] == "cheaper, but not shown within 0.02 of the best"
    assert choice["why_not"]["slow_worse"] == "same cost as big, lower val F1"


def test_a_cheaper_baseline_whose_bound_lies_inside_the_margin_is_chosen():
    samples = val_samples(tie=(-0.03, 0.003))
    choice = recommend.recommend(ROWS, samples, BUDGET)
    assert -0.02 < choice["bounds"]["svm"] < 0 and choice["recommended"] == "svm"
    assert choice["candidates"] == ["big", "svm"]
    assert choice["why_not"]["big"] == "best on val, but svm costs less and is shown no worse"
    assert recommend.recommend(ROWS, samples, {**BUDGET, "margin": 0.005})[
        "recommended"] == "big"  # a narrower margin: the same bound no longer passes


def test_of_two_baselines_in_one_cost_class_the_better_on_val_is_chosen():
    rows = [{**r, "val_f1": 0.696} if r["name"] == "tie" else r for r in ROWS]
    samples = val_samples(svm=(-0.01, 0.002), tie=(-0.004, 0.002))
    choice = recommend.recommend(rows, samples, BUDGET)
    assert set(choice["candidates"]) == {"big", "svm", "tie"}
    assert choice["recommended"] == "tie"
    assert choice["why_not"]["svm"] == "shown no worse, but tie scores higher at the same cost"
    cheap = val_samples(svm=(-0.008, 0.002), tie=(-0.004, 0.002), rules=(-0.01, 0.002))
    assert recommend.recommend(rows, cheap, BUDGET)["recommended"] == "rules"  # cheaper class


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-0.05, 0.01), st.floats(0.0, 0.03)), min_size=4,
                max_size=4), st.integers(0, 2**16))
def test_the_correction_never_adds_a_candidate(shifts, seed):
    samples = val_samples(seed, **dict(zip(["svm", "tie", "rules", "slow_worse"], shifts)))
    choice = recommend.recommend(ROWS, samples, BUDGET)
    assert set(choice["candidates"]) <= set(choice["uncorrected"]["candidates"])
    cheaper = [n for n in choice["bounds"]
               if choice["cost_classes"][n] < choice["cost_classes"][choice["best_on_val"]]]
    assert choice["cheaper"] == cheaper


def test_within_the_budgets_only_and_none_when_none_fits():
    assert recommend.recommend(ROWS, val_samples(), {**BUDGET, "max_latency_ms": 0.5})[
        "recommended"] == "rules"
    nothing = recommend.recommend(ROWS, val_samples(), {**BUDGET, "max_latency_ms": 0.01})
    assert nothing["recommended"] is None
    assert set(nothing["why_not"]) == {r["name"] for r in ROWS}
    assert nothing["why_not"]["big"] == "20.0 ms a project, over the 0.01 ms budget"
    slow = recommend.recommend(ROWS, val_samples(), {**BUDGET, "min_throughput": 101})
    assert slow["recommended"] is None  # every row serves 100 projects/s
    assert slow["why_not"]["rules"] == "100 projects/s in batches, under the 101 budget"


def test_a_baseline_below_the_behavioural_pass_rate_is_never_recommended():
    rows = [{**r, "behavior_pass": 0.5} if r["name"] == "svm" else r for r in ROWS]
    samples = val_samples(svm=(-0.001, 0.002), tie=(-0.004, 0.002))
    choice = recommend.recommend(rows, samples, {**BUDGET, "min_behavior_pass": 0.8})
    assert choice["recommended"] == "tie" and "svm" not in choice["candidates"]
    assert choice["why_not"]["svm"] == "passes 50% of the behavioural tests, under 80%"
    text = markdown.tradeoffs_markdown(rows, recommend.pareto_front(rows), choice,
                                       {**CONTEXT, "min_behavior_pass": 0.8})
    assert "| svm | 0.680 |  | 1 | 1.00 | 2.00 |  | passes 50% of the behavioural tests" in text
    assert "passing at least 80% of the behavioural tests" in text
    unfaithful = [{**r, "faithfulness": {**r["faithfulness"], "difference": 0.0}}
                  if r["name"] == "tie" else r for r in rows]
    choice = recommend.recommend(unfaithful, samples, {**BUDGET, "min_behavior_pass": 0.8})
    assert choice["why_not"]["tie"] == "explanations no better than random words"
    assert choice["recommended"] == "big"


def test_a_slow_spell_is_left_out_of_the_latency():
    """Each baseline keeps its least round: a round slowed by other work is not the one kept."""
    from tagbench.evaluation import cost

    class Slow:
        until = time.perf_counter() + cost.BUDGET  # the warm-up and the first round's texts

        def predict(self, texts):
            if time.perf_counter() < Slow.until:
                sum(range(200_000))

    single, rate = cost.timed(Slow(), ["a"] * 10, batch_size=5)
    assert single < 1.0 and rate > 0


def test_throughput_passes_cover_the_first_texts_alone():
    """A large val set is timed on its first cost.PASS texts: no text after them is run."""
    from tagbench.evaluation import cost

    class Seen:
        texts = set()

        def predict(self, texts):
            Seen.texts.update(texts)

    cost.timed(Seen(), [str(i) for i in range(3 * cost.PASS)])
    assert Seen.texts == {str(i) for i in range(cost.PASS)}


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


def test_test_numbers_cannot_change_the_recommendation():
    upside_down = [{**r, "test_f1": 1 - r["test_f1"], "test_f1_low": 0.0, "test_f1_high": 1.0}
                   for r in ROWS]
    assert recommend.recommend(upside_down, val_samples(), BUDGET) == \
        recommend.recommend(ROWS, val_samples(), BUDGET)


def test_with_folds_a_paired_t_bound_decides_and_unscored_baselines_are_not_chosen():
    folds = {"big": [0.70, 0.72, 0.68, 0.71, 0.69], "svm": [0.70, 0.71, 0.68, 0.71, 0.69],
             "rules": [0.60, 0.61, 0.59, 0.62, 0.58]}
    choice = recommend.recommend(ROWS, folds, BUDGET, by_folds=True)
    assert choice["by"] == "folds" and choice["recommended"] == "svm"
    assert -0.02 < choice["bounds"]["svm"] < -0.002 and choice["bounds"]["rules"] < -0.09
    assert choice["why_not"]["tie"] == "not cross-validated"


def test_tradeoffs_markdown_leads_with_the_choice_and_states_the_rule():
    choice = recommend.recommend(ROWS, val_samples(), BUDGET)
    text = markdown.tradeoffs_markdown(ROWS, recommend.pareto_front(ROWS), choice, CONTEXT)
    assert text.index("**Recommended: svm**") < text.index("## Every baseline")
    assert "It costs less than the best on val, big (0.700), and is shown no worse" in text
    assert all(f"| {r['name']} |" in text for r in ROWS)
    assert "paired bootstrap over the 216 val projects" in text
    assert "alpha 0.05 shared among the 3 cheaper baselines compared" in text
    assert "v1: 1444 projects, 35 tags; seed 42; split temporal" in text
    assert "training budget" not in text and "Warning" not in text
    choice = recommend.recommend(ROWS, val_samples(svm=(-0.03, 0.01), tie=(-0.03, 0.01)), BUDGET)
    text = markdown.tradeoffs_markdown(ROWS, [], choice, CONTEXT)
    assert "no cheaper baseline is shown within 0.02 of it (the closest, " in text


def test_the_report_says_who_trained_on_a_sample_which_classes_a_split_lacks_and_positives():
    rows = [{**r, "train_rows": 400} if r["name"] == "big" else r for r in ROWS]
    context = {**CONTEXT, "missing_classes": {"train": [], "test": ["grief"]},
               "positives": {"val": {"grief": 0, "joy": 4}, "test": {"grief": 0, "joy": 7}}}
    text = markdown.tradeoffs_markdown(rows, recommend.pareto_front(rows),
                                       recommend.recommend(rows, val_samples(), BUDGET), context)
    assert "**big** was over its training budget: trained on 400 of the 1,000 train rows" in text
    assert "**Warning**: 1 class(es) have no test row: grief." in text
    assert "grief 0 / 0, joy 4 / 7." in text and "scores F1 0 there for every baseline" in text


def test_without_behavioural_cases_the_rate_excludes_nobody():
    """A dataset without a suite (GoEmotions): no pass rate, no exclusion, "none apply"."""
    rows = [{**r, "behavior_pass": None,
             "behavior": dict.fromkeys(r["behavior"])} for r in ROWS]
    choice = recommend.recommend(rows, val_samples(), BUDGET)
    assert not any("behavioural" in why for why in choice["why_not"].values())
    assert choice["recommended"] == "svm"
    assert markdown.behavior_cell(rows[0]) == "none apply"


def test_the_tradeoff_figure_is_the_same_bytes_however_fast_the_machine(tmp_path, monkeypatch):
    from tagbench.core import plots

    paths = [tmp_path / "fast.png", tmp_path / "slow.png"]
    plots.tradeoff_scatter(ROWS, ["big", "svm"], paths[0], "svm")
    clock = iter(range(0, 10**6, 10))  # every reading of the clock 10 s after the last
    monkeypatch.setattr("adjustText.timer", lambda: next(clock))
    plots.tradeoff_scatter(ROWS, ["big", "svm"], paths[1], "svm")
    assert paths[0].read_bytes() == paths[1].read_bytes()


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


def test_a_seed_moved_baseline_shows_its_mean_and_sd_over_seeds():
    from tagbench.report import seeds

    def runs(*tests):
        stats = {"mean": float(np.mean(tests)), "std": float(np.std(tests, ddof=1)),
                 "min": min(tests), "max": max(tests)}
        return {"seed": {"runs": [{"test": t} for t in tests], "val": stats, "test": stats}}

    noise = {"baselines": {"cnn": runs(0.60, 0.62, 0.64), "svm": runs(0.5, 0.5),
                           "hybrid_svm": {"seed": None}}}
    spread = seeds.spreads(noise)
    assert list(spread) == ["cnn"]  # no seed moves svm; the hybrid is not re-seeded
    assert seeds.cell(spread["cnn"]) == "0.620 ± 0.020 (3 seeds)"
    assert seeds.cell(None) == "" and seeds.spreads(None) == {}
