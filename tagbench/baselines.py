"""How each baseline is built from params (through the registry), trained, saved and loaded
back (where: artifacts)."""

import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from tagbench import data, registry, threads
from tagbench.artifacts import (
    load_meta,
    model_dir,
    predictions_path,
    training_curves_path,
    training_log,
    training_time_path,
)
from tagbench.io import default_mode, read_json, save_array, write_json
from tagbench.models import Run
from tagbench.seeding import seed_everything


def build(name, p, classes):
    """A fresh, untrained baseline from its params.yaml section."""
    run = Run(name, p["seed"], threads.count(p["threads"]))
    return registry.get(name).model_class().create(classes, registry.config(name, p), run)


def fit(model, train, val, log_as=None):
    """Fit on train (a model that watches val uses it to stop early). log_as: the baseline's
    name, to log the fit with dvclive, with per-epoch curves and their PNG for neural ones."""
    if log_as is None:
        return model.fit(train.texts, train.y, val=(val.texts, val.y))
    from dvclive import Live

    from tagbench.plots import training_curves

    with Live(str(training_log(log_as)), report=None, save_dvc_exp=False, dvcyaml=None) as live:
        model.fit(train.texts, train.y, val=(val.texts, val.y), live=live)
    if model.watches_val:
        training_curves(model.history, training_curves_path(log_as), title=log_as)
    return model


def within_budget(name, train, max_rows, seed, form):
    """train, or a seeded random max_rows of its rows when it is over the baseline's budget."""
    if not max_rows or len(train) <= max_rows:
        return train
    keep = np.sort(np.random.default_rng(seed).choice(len(train), max_rows, replace=False))
    print(f"{name}: {len(train):,} train rows are over its budget ({name}.max_train_rows = "
          f"{max_rows:,}): trained on a random {max_rows:,} of them")
    return data.Dataset([train.records[i] for i in keep], train.classes, form)


def save(name, model, text_params, train_rows):
    """Write the artifact into a hidden sibling folder, then rename it into place, so an
    interrupted run never leaves a half-written model. Nothing measured goes in (the
    training time is written beside it, to artifacts.training_time_path): a model trained
    twice is the same bytes twice, so nothing downstream of it re-runs."""
    directory = model_dir(name)
    directory.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".model."))
    os.chmod(partial, default_mode(directory=True))
    try:
        model.save(partial)
        write_json(partial / "meta.json", {
            "baseline": name, "model": registry.get(name).model, "input": model.input,
            "output": model.output, "default_threshold": model.default_threshold,
            "classes": model.classes, "text": text_params, "train_rows": train_rows})
        shutil.rmtree(directory, ignore_errors=True)
        os.replace(partial, directory)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def load(name):
    """The trained baseline and its meta (classes, input form, output kind)."""
    meta = load_meta(name)
    return registry.get(name).model_class().load(model_dir(name)), meta


def fit_and_predict(name, p):
    """Seed, train one baseline on train and write its val and test scores, scored by the
    model as saved and loaded back (what `tagbench predict` runs), not by the copy in memory.

    A baseline in an RNG stream (registry.RNG_STREAMS) replays the whole stream in the
    lesson's order (every member trained, then test scored before val, member by member) and
    keeps its own draws.
    """
    seed_everything(p["seed"], read_json(data.SPLITS).get("numpy_state"))
    classes = data.load_classes()
    members = {}
    for member in registry.stream(name):
        model = build(member, p, classes)
        splits = {s: data.load_split(s, model.input) for s in ("train", "val")}
        splits["train"] = within_budget(member, splits["train"], model.config.max_train_rows,
                                        p["seed"], model.input)
        start = time.perf_counter()
        fit(model, splits["train"], splits["val"], log_as=member if member == name else None)
        seconds = time.perf_counter() - start
        if member == name:
            save(name, model, p["text"], len(splits["train"]))
            write_json(training_time_path(name), {"train_seconds": round(seconds, 3)})
            model = load(name)[0]
            print(f"{name}: trained in {seconds:.1f} s")
        members[member] = model
    for split in ("test", "val"):
        for member, model in members.items():
            texts = data.load_split(split, model.input).texts
            scores = model.predict_scores(texts)
            if member == name:
                save_array(predictions_path(name, split), scores)
