"""The one path that trains a baseline: built from its params, on train within its budget,
watching val where it stops early. The train stage, cv, the noise floor and the scaling
benchmark all call `train`; the stage also saves the model and writes its scores."""

import time

import numpy as np

from tagbench import data
from tagbench.core import metrics, thresholds
from tagbench.core.io import read_json, save_array, write_json
from tagbench.core.seeding import seed_everything
from tagbench.data import text
from tagbench.data.artifacts import predictions_path, training_log, training_time_path
from tagbench.models.shared import registry


def within_budget(name, train, max_rows, seed):
    """train, or a seeded random max_rows of its rows when it is over the baseline's budget."""
    if not max_rows or len(train) <= max_rows:
        return train
    keep = np.sort(np.random.default_rng(seed).choice(len(train), max_rows, replace=False))
    print(f"{name}: {len(train):,} train rows are over its budget ({name}.max_train_rows = "
          f"{max_rows:,}): trained on a random {max_rows:,} of them")
    return data.Dataset([train.records[i] for i in keep], train.classes, train.form)


def train(name, p, train_ids, val_ids, log=False):
    """(model, rows): a baseline built from p and fitted on the train ids, within its budget
    (the rows it trained on); val: what a model that stops early watches. log: write its
    fit's log with dvclive (per epoch for neural ones), where its train stage keeps it.
    Seeding is the caller's."""
    model = registry.build(name, p, data.load_classes())
    rows = within_budget(name, data.load_ids(train_ids, model.input),
                         model.config.max_train_rows, registry.seed(name, p))
    val = data.load_ids(val_ids, model.input)
    if not log:
        return model.fit(rows.texts, rows.y, val=(val.texts, val.y)), len(rows)
    from dvclive import Live

    with Live(str(training_log(name)), report=None, save_dvc_exp=False, dvcyaml=None) as live:
        model.fit(rows.texts, rows.y, val=(val.texts, val.y), live=live)
    return model, len(rows)


def chosen_f1(meta, config, val, test=(None, None), future=None):
    """Macro F1 on val, and on test when given, with the threshold chosen on val as the
    pipeline does (config: params' threshold section); val and test: (y, scores). future:
    (the future set, its scores): its F1 too (metrics.partial), chosen on nothing."""
    record = thresholds.choose(*val, meta, config)
    f1 = {split: metrics.overall(y, thresholds.decide(scores, record))["f1"]
          for split, (y, scores) in (("val", val), ("test", test)) if y is not None}
    if future is not None:
        projects, scores = future
        decided = thresholds.decide(scores, record)
        f1["future"] = metrics.partial_f1(
            metrics.partial_counts(projects.must, projects.ok, decided).sum(axis=0))[2].item()
    return f1


def future_scores(model, p):
    """(the future set, a model's scores on it, its texts prepared as the model reads them),
    or None without one: what the noise floor scores it on, chosen on nothing."""
    projects = data.load_future()
    if not len(projects):
        return None
    return projects, model.predict_scores(
        [text.prepare(t, p["text"], model.input) for t in projects.texts])


def train_and_score(name, p, train_ids, val_ids, test_ids=()):
    """Train one baseline (seeded as its train stage seeds it) and choose its threshold on
    val_ids as the pipeline does; its macro F1 on val_ids, and on test_ids when given."""
    seed_everything(registry.seed(name, p))
    model, _ = train(name, p, train_ids, val_ids)

    def scored(ids):
        split = data.load_ids(ids, model.input)
        return split.y, model.predict_scores(split.texts)

    meta = {"output": model.output, "default_threshold": model.default_threshold}
    test = [scored(test_ids)] if len(test_ids) else []
    return chosen_f1(meta, p["threshold"], scored(val_ids), *test,
                     future=future_scores(model, p) if test else None)


def train_stage(name, p):
    """Stage train: seed, train one baseline on train, save it, and write its val and test
    scores, scored by the model as saved and loaded back (what `tagbench predict` runs), not
    by the copy in memory.

    A baseline in an RNG stream (registry.RNG_STREAMS) replays the whole stream in the
    lesson's order (every member trained, then test scored before val, member by member) and
    keeps its own draws. A baseline with its own seed starts from that seed instead.
    """
    splits = read_json(data.SPLITS)
    own = p[name]["seed"] is not None
    seed_everything(registry.seed(name, p), None if own else splits.get("numpy_state"))
    members = {}
    for member in registry.stream(name):
        start = time.perf_counter()
        model, rows = train(member, p, splits["train"], splits["val"], log=member == name)
        seconds = time.perf_counter() - start
        if member == name:
            registry.save(name, model, p["text"], rows)
            write_json(training_time_path(name), {"train_seconds": round(seconds, 3)})
            model = registry.load(name)[0]
            print(f"{name}: trained in {seconds:.1f} s")
        members[member] = model
    for split in ("test", "val"):
        for member, model in members.items():
            scores = model.predict_scores(data.load_split(split, model.input).texts)
            if member == name:
                save_array(predictions_path(name, split), scores)
