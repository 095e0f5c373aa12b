"""`tagbench compare A B`: every baseline's test macro F1 in two revisions (git revisions, DVC
experiments or the workspace), the difference with a 95% bootstrap interval, and a verdict
that weighs it against the noise.

Both sides are read from git alone (metrics/tags/<baseline>.json: each test project's true
and predicted tags), so nothing needs the DVC cache. When both sides evaluated the same
projects on the same classes the bootstrap is paired (the same resamples of projects for
both); otherwise it says so and compares independent resamples over the classes both share.
With several runs a side (model seeds: `--seeds`, whose runs tagbench/runs/replicate.py
finds or queues), replicated_baseline compares their means.
"""

import json
from collections import namedtuple
from pathlib import Path

import numpy as np
from scipy.stats import t as student_t

from tagbench.core import metrics, params
from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json
from tagbench.data import artifacts
from tagbench.evaluation import params as full
from tagbench.runs import float_drift, revisions
from tagbench.studies import noise

LOCK = "dvc.lock"
COMMENT_MARKER = "<!-- tagbench compare -->"


def lock_stages(commit):
    """dvc.lock's stage entries at a resolved revision ({} when it has none)."""
    text = revisions.read_at(commit, LOCK)
    return (params.parse_yaml(text) or {}).get("stages", {}) if text else {}


def rerun(a, b):
    """The stages whose dvc.lock entries (deps, params, outputs) differ between two resolved
    revisions: what b re-ran since a."""
    lock_a, lock_b = lock_stages(a), lock_stages(b)
    return sorted(s for s in lock_a.keys() | lock_b.keys() if lock_a.get(s) != lock_b.get(s))


def comment(result, stages):
    """The pull request's comment: a marker CI finds it by, the stages the change re-ran,
    then the comparison's table."""
    ran = (f"It re-ran {len(stages)} stage(s): " + ", ".join(f"`{s}`" for s in stages)
           if stages else "It re-ran no stage.")
    return f"{COMMENT_MARKER}\n{ran}\n\n{markdown(result)}"


def read_tags(commit, name):
    """One baseline's metrics/tags/<baseline>.json at a resolved revision."""
    text = revisions.read_at(commit, artifacts.tags_path(name))
    if text is None:
        raise TagbenchError(f"{commit}: no {artifacts.tags_path(name)}")
    return json.loads(text)


def tag_files(rev, commit):
    """{baseline: parsed metrics/tags/<baseline>.json} at a resolved revision."""
    if commit == revisions.WORKSPACE:
        names = [p.name for p in sorted(artifacts.TAGS.glob("*.json"))]
    else:
        names = (revisions.git("ls-tree", "--name-only", f"{commit}:{artifacts.TAGS.as_posix()}") or
                 "").split()
    found = {Path(n).stem: read_tags(commit, Path(n).stem) for n in names if n.endswith(".json")}
    if not found:
        raise TagbenchError(f"{rev} has no {artifacts.TAGS}/ (per-project predictions): it "
                            f"predates them or was never built; compare a later revision, or "
                            f"check it out and run `dvc repro`")
    return found


def seed_floors(path=artifacts.NOISE_FLOOR, split="test"):
    """{baseline: its noise.seed_floor on split}, from the last `make noise` run kept in git;
    {} before there is one (future: only the baselines whose runs scored the future set)."""
    if not Path(path).exists():
        return {}
    found = {name: noise.seed_floor(row["seed"]["runs"], split)
             for name, row in read_json(path)["baselines"].items() if row.get("seed")}
    return {name: value for name, value in found.items() if value is not None}


Rule = namedtuple("Rule", "held_to floor source")  # held_to: exact, floor or unmeasured
UNMEASURED = Rule("unmeasured", 0.0, "no floor measured")


def rules(noise_path=artifacts.NOISE_FLOOR, drift_path=artifacts.FLOAT_DRIFT, hybrids=None):
    """{baseline: Rule}: what a reproduction of it, here or on another machine, is held to.
    Exact under every float path (reports/float_drift.json): identity. Otherwise its floor,
    the larger of its seed floor and its float-path floor. A baseline in neither file is
    UNMEASURED (held to identity until `make drift` measures it). A hybrid with no floor of
    its own (hybrids: {name: section}, params.yaml's when None) is held to its learned
    member's: its rules are exact, so its scores move only where the member's do; one with a
    float-path floor but no seed floor of its own takes its member's seed floor."""
    if hybrids is None:
        hybrids = full.load()["hybrids"] if Path(params.PARAMS_FILE).exists() else {}
    seed, drift = seed_floors(noise_path), float_drift.floors(drift_path)
    seed_source = {name: "seed" for name in seed}
    for name, section in hybrids.items():
        if name not in seed and section["model"] in seed:
            seed[name], seed_source[name] = seed[section["model"]], f"{section['model']}'s seed"
    found = {}
    for name in set(seed) | set(drift):
        if name in drift and drift[name] is None:
            found[name] = Rule("exact", 0.0, "exact under every float path")
        elif name in drift:
            found[name] = Rule("floor", *max((drift[name], "float path"),
                                             (seed.get(name, 0.0), seed_source.get(name, "seed")),
                                             key=lambda f: f[0]))
        elif seed[name]:
            found[name] = Rule("floor", seed[name], f"{seed_source[name]}; float path not measured")
    for name, section in hybrids.items():
        member = found.get(section["model"])
        if name not in found and member:
            found[name] = member._replace(source=f"{section['model']}'s, {member.source}")
    return found


def future_rules(test_rules, noise_path=artifacts.NOISE_FLOOR, hybrids=None):
    """{baseline: Rule} on the future set: exact stays exact; any other is held to its seed
    floor on the future set (a hybrid: its learned member's), else to nothing measured."""
    if hybrids is None:
        hybrids = full.load()["hybrids"] if Path(params.PARAMS_FILE).exists() else {}
    seed = seed_floors(noise_path, "future")
    for name, section in hybrids.items():
        seed.setdefault(name, seed.get(section["model"]))
    found = {}
    for name, rule in test_rules.items():
        if rule.held_to == "exact":
            found[name] = rule
        elif seed.get(name) is not None:
            found[name] = Rule("floor", seed[name], "seed, on the future set")
    return found


def compare_future(a, b, resamples, seed):
    """F1 on the future set on each side, b - a and its 95% interval, paired over its
    projects; None unless both sides scored the same future projects on the same classes."""
    sides = [artifacts.future_matrices(tags) for tags in (a, b)]
    if None in sides or sides[0][0] != sides[1][0] or a["classes"] != b["classes"]:
        return None
    counts = metrics.resample_counts(len(sides[0][0]), resamples, seed)
    f1 = [metrics.partial_f1(metrics.partial_counts(*side[1:]).sum(axis=0))[2].item()
          for side in sides]
    low, high = metrics.interval(metrics.resampled_partial_f1(*sides[1][1:], counts)
                                 - metrics.resampled_partial_f1(*sides[0][1:], counts))
    return {"a": f1[0], "b": f1[1], "difference": f1[1] - f1[0], "low": low, "high": high,
            "paired": True}


def same_split(a, b):
    """Did two tag files evaluate the same test projects on the same classes?"""
    return set(a["test"]["ids"]) == set(b["test"]["ids"]) and a["classes"] == b["classes"]


def shared_columns(a, b):
    """Each side's column indices of the classes both have, in one order."""
    shared = [c for c in a["classes"] if c in set(b["classes"])]
    return ([a["classes"].index(c) for c in shared], [b["classes"].index(c) for c in shared])


def scored(a_runs, b_runs, resamples, seed):
    """Both sides' runs scored on bootstrap resamples of their test projects: paired (the same
    resamples, b's rows in a's order) when they share the split, else each side its own,
    over the classes both have. (paired, (f1_a, boot_a), (f1_b, boot_b)): seed_scores'."""
    a, b = a_runs[0], b_runs[0]
    paired = same_split(a, b)
    cols_a, cols_b = (None, None) if paired else shared_columns(a, b)
    counts_a = metrics.resample_counts(len(a["test"]["ids"]), resamples, seed)
    counts_b = counts_a if paired else metrics.resample_counts(
        len(b["test"]["ids"]), resamples, seed + 1)
    return (paired, seed_scores(a_runs, cols_a, counts_a, a["test"]["ids"]),
            seed_scores(b_runs, cols_b, counts_b, (a if paired else b)["test"]["ids"]))


def compare_baseline(a, b, resamples, seed):
    """Test macro F1 on each side, the difference b - a, its 95% interval, and whether it was
    paired. Unpaired (other projects or classes), every number is over the shared classes."""
    paired, (f1_a, boot_a), (f1_b, boot_b) = scored([a], [b], resamples, seed)
    low, high = metrics.interval(boot_b[0] - boot_a[0])
    return {"a": float(f1_a[0]), "b": float(f1_b[0]), "difference": float(f1_b[0] - f1_a[0]),
            "low": low, "high": high, "paired": paired}


def replicated_baseline(a_runs, b_runs, resamples, seed):
    """Each side's runs (tag files, one per model seed) compared: each side's mean and sd of
    test macro F1, the difference of means and its 95% interval. Its variance has a seed part
    and a project part (the law of total variance):

        sd_a^2 / n_a + sd_b^2 / n_b           the seeds, on the test projects as they are
      + var_projects(mean_b - mean_a) - own   the test projects, by bootstrap (the same
                                              resamples for every run when the split is shared)

    where own is the part of that bootstrap variance that is each run's own noise, already in
    the seed part: sum over sides of mean_i var_projects(run_i - side mean) / (n - 1). The
    interval is Student's t on Welch-Satterthwaite's degrees of freedom (with 5 seeds a side
    the sds are themselves uncertain). detectable: the true difference found 80% of the time
    at this variance (a two-sided test at 5%), what more seeds would shrink."""
    paired, (f1_a, boot_a), (f1_b, boot_b) = scored(a_runs, b_runs, resamples, seed)
    seed_terms = [np.var(f1, ddof=1) / len(f1) if len(f1) > 1 else 0.0 for f1 in (f1_a, f1_b)]
    own = sum(np.var(boot - boot.mean(axis=0), axis=1, ddof=1).mean() / (len(boot) - 1)
              for boot in (boot_a, boot_b) if len(boot) > 1)
    projects = max(0.0, float(np.var(boot_b.mean(axis=0) - boot_a.mean(axis=0), ddof=1) - own))
    variance = sum(seed_terms) + projects
    lower = sum(t ** 2 / (len(f1) - 1) for t, f1 in zip(seed_terms, (f1_a, f1_b)) if t)
    df = variance ** 2 / lower if lower else np.inf
    half = float(student_t.ppf(0.975, df) * np.sqrt(variance))
    diff = float(f1_b.mean() - f1_a.mean())
    return {"a": float(f1_a.mean()), "b": float(f1_b.mean()), "difference": diff,
            "low": diff - half, "high": diff + half, "paired": paired,
            "detectable": float((student_t.ppf(0.975, df) + student_t.ppf(0.8, df))
                                * np.sqrt(variance)),
            "sd": tuple(float(np.std(f1, ddof=1)) if len(f1) > 1 else 0.0
                        for f1 in (f1_a, f1_b)),
            "seeds": (len(f1_a), len(f1_b)),
            "same": bool(np.array_equal(f1_a, f1_b))}


def seed_scores(runs, cols, counts, order_ids):
    """(test macro F1 of each run, (runs, resamples) its macro F1 on each resample), rows in
    order_ids' order and columns cols (None: all)."""
    f1, boot = [], []
    for run in runs:
        if not same_split(run, runs[0]):
            raise TagbenchError("the runs of one side evaluated other test projects or "
                                "classes: their seeds must differ in the model seed alone")
        ids, true, pred = artifacts.tag_matrices(run["test"], run["classes"])
        order = [ids.index(i) for i in order_ids]
        true, pred = true[order], pred[order]
        if cols is not None:
            true, pred = true[:, cols], pred[:, cols]
        f1.append(metrics.overall(true, pred)["f1"])
        boot.append(metrics.resampled_macro_f1(true, pred, counts))
    return np.array(f1), np.array(boot)


def verdict(row, rule):
    """better, worse or within noise: the interval covers 0, or the difference is no larger
    than the baseline's floor."""
    if row["difference"] == 0 and row.get("same", True):
        return "identical"
    if row["low"] <= 0 <= row["high"]:
        return "within noise"
    if rule.held_to == "floor" and abs(row["difference"]) <= rule.floor:
        return f"within noise ({rule.source} floor)"
    return "better" if row["difference"] > 0 else "worse"


def split_note(a_files, b_files):
    """One line when the two sides did not evaluate the same projects and classes."""
    a, b = next(iter(a_files.values())), next(iter(b_files.values()))
    if same_split(a, b):
        return None
    ids_a, ids_b = set(a["test"]["ids"]), set(b["test"]["ids"])
    shared = len(set(a["classes"]) & set(b["classes"]))
    return (f"The two sides differ in their split (seed, split params or data version): "
            f"{len(ids_a)} and {len(ids_b)} test projects ({len(ids_a & ids_b)} shared), "
            f"{len(a['classes'])} and {len(b['classes'])} classes ({shared} shared). Every "
            f"number below is over the {shared} shared classes, and the intervals are "
            f"unpaired (each side's own test projects resampled).")


def compare(rev_a, rev_b, resamples=1000, seed=0, by_name=None):
    """{"note", "rows": [{baseline, a, b, difference, low, high, rule, verdict}]}, sorted by
    baseline (rule: the Rule it is held to, from `rules()` unless by_name gives them);
    baselines on one side only are listed as such."""
    a_files = tag_files(rev_a, revisions.resolve(rev_a))
    b_files = tag_files(rev_b, revisions.resolve(rev_b))
    by_name = rules() if by_name is None else by_name
    on_future = future_rules(by_name)
    rows, future = [], []
    for name in sorted(set(a_files) | set(b_files)):
        if name not in a_files or name not in b_files:
            rows.append({"baseline": name, "only_in": rev_a if name in a_files else rev_b})
            continue
        row = {"baseline": name, **compare_baseline(a_files[name], b_files[name], resamples,
                                                    seed), "rule": by_name.get(name, UNMEASURED)}
        rows.append({**row, "verdict": verdict(row, row["rule"])})
        moved = compare_future(a_files[name], b_files[name], resamples, seed)
        if moved:
            moved = {"baseline": name, **moved, "rule": on_future.get(name, UNMEASURED)}
            future.append({**moved, "verdict": verdict(moved, moved["rule"])})
    return {"a": rev_a, "b": rev_b, "note": split_note(a_files, b_files), "rows": rows,
            "future": future}


def held_to(rule):
    """The rule in words, for the table's column."""
    if rule.held_to == "seeds":
        return rule.source
    if rule.held_to == "floor":
        return f"floor {rule.floor:.4f} ({rule.source})"
    return f"identity ({rule.source})"


def markdown(result):
    """The comparison as a sorted markdown table; replicated (result["seeds"]), each side is
    its mean ± sd over the seeds, and one more column says how many."""
    a, b, replicated = result["a"], result["b"], "seeds" in result
    title = f" --seeds {result['seeds']}" if replicated else ""
    lines = [f"## tagbench compare {a} {b}{title}: test macro F1", ""]
    if result["note"]:
        lines += [result["note"], ""]
    if replicated:
        lines += [REPLICATED_NOTE, ""]
    seeds_head, seeds_rule = (" seeds |", "---|") if replicated else ("", "")
    lines += [f"| baseline | {a} | {b} | {b} - {a} | 95% CI of the difference | held to "
              f"| verdict |{seeds_head}", f"|---|---|---|---|---|---|---|{seeds_rule}"]
    for r in result["rows"]:
        if "only_in" in r:
            lines.append(f"| {r['baseline']} | | | | | | only in {r['only_in']} |"
                         + (" |" if replicated else ""))
            continue
        sd = r.get("sd")
        cells = [f"{r[s]:.4f}" + (f" ± {sd[i]:.4f}" if sd else "") for i, s in enumerate("ab")]
        seeds = (f" {r['seeds'][0]} |" if sd else " 1 |") if replicated else ""
        lines.append(f"| {r['baseline']} | {cells[0]} | {cells[1]} "
                     f"| {r['difference']:+.4f} | [{r['low']:+.4f}, {r['high']:+.4f}] "
                     f"| {held_to(r['rule'])} | {r['verdict']} |{seeds}")
    power = [f"- {r['baseline']}: with {r['seeds'][0]} seeds a side, a true difference of "
             f"{r['detectable']:.4f} or more is found 80% of the time (sd over seeds "
             f"{r['sd'][0]:.4f} and {r['sd'][1]:.4f})"
             for r in result["rows"] if r.get("detectable")]
    return "\n".join(lines + ([""] + power if power else [])
                     + future_markdown(result.get("future"), a, b)) + "\n"


def future_markdown(rows, a, b):
    """The future set's table: F1 on each side (one run a side), the difference with its
    paired 95% interval over the future projects, and a verdict against its seed floor."""
    if not rows:
        return []
    lines = ["", f"### The future set: F1 on {a} and {b}", "",
             "Projects written after the data (dataset.future): micro F1 of must recall and "
             "precision against must and ok tags. Evidence only: it chooses nothing.", "",
             f"| baseline | {a} | {b} | {b} - {a} | 95% CI of the difference | held to "
             f"| verdict |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['baseline']} | {r['a']:.4f} | {r['b']:.4f} | {r['difference']:+.4f} "
              f"| [{r['low']:+.4f}, {r['high']:+.4f}] | {held_to(r['rule'])} "
              f"| {r['verdict']} |" for r in rows]
    return lines


REPLICATED_NOTE = (
    "Rows with more than one seed: each side is its mean ± sd over the seeds; the interval "
    "is a Welch t-interval over the seeds, widened by the bootstrap variance over the test "
    "projects (less each run's own noise, which the seeds already hold). The other rows are "
    "deterministic or unchanged: one run a side, as without "
    "--seeds.")


def reproduction_failures(result):
    """Lines for the baselines whose reproduction moved too far: one held to identity by
    anything, one held to a floor beyond it."""
    failures = []
    for r in result["rows"]:
        if "only_in" in r:
            failures.append(f"{r['baseline']}: only in {r['only_in']}: run `dvc repro` and "
                            f"commit metrics/")
            continue
        rule = r["rule"]
        if abs(r["difference"]) <= rule.floor + 1e-12:
            continue
        remedy = {"exact": "it is exact under every float path, so no machine explains it",
                  "unmeasured": "measure its floors with `make noise` and `make drift`",
                  "floor": "if the floor is too low, re-measure it with `make noise` or "
                           "`make drift`"}[rule.held_to]
        failures.append(
            f"{r['baseline']}: test macro F1 {r['a']:.6f} committed, {r['b']:.6f} "
            f"reproduced ({r['difference']:+.6f}; held to {held_to(rule)}): find what "
            f"changed with `dvc status` and `git diff`; if the change is meant, run `dvc "
            f"repro` and commit dvc.lock and metrics/; {remedy}")
    return failures
