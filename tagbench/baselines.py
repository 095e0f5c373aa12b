"""How each baseline is built from params, trained, saved and loaded back (where: artifacts)."""

import os
import shutil
import tempfile
import time
from pathlib import Path

from tagbench import data, threads
from tagbench.artifacts import REPORTS, load_meta, model_dir, predictions_path
from tagbench.errors import TagbenchError
from tagbench.io import default_mode, read_json, save_array, write_json
from tagbench.models import model_class

FAMILIES = {
    "random": ["random_uniform", "random_weighted"],
    "rule_based": ["rule_based_unstemmed", "rule_based_stemmed"],
}
TORCH_KINDS = {"cnn": "neural", "rnn": "neural", "transformer": "transformer"}


def family_members(family):
    """The baselines one training stage builds: random and rule_based build two variants."""
    return FAMILIES.get(family, [family])


def kind(name):
    """The model kind (a key of models.KINDS) that builds a baseline named as in params.yaml's
    `baselines`."""
    for prefix in ("random", "rule_based", "tfidf"):
        if name.startswith(f"{prefix}_"):
            return prefix
    if name in TORCH_KINDS:
        return TORCH_KINDS[name]
    raise TagbenchError(f"unknown baseline {name!r}")


def build(name, p, classes):
    """A fresh, untrained baseline named as in params.yaml's `baselines`."""
    family = kind(name)
    cls = model_class(family)
    if family == "random":
        return cls(classes, strategy=name.removeprefix("random_"))
    if family == "rule_based":
        return cls(classes, read_json(data.VOCABULARY), stemmed=name.endswith("_stemmed"),
                   match=p["rule_based"]["match"])
    if family == "tfidf":
        model = name.removeprefix("tfidf_")
        return cls(classes, model, p["tfidf"]["vectorizer"], p["tfidf"][model],
                   n_jobs=threads.count(p["threads"]))
    return cls(classes, name, {**p[name], "seed": p["seed"], "threads": p["threads"]},
               class_weights=read_json(data.CLASS_WEIGHTS))


def save(name, model, train_seconds, text_params):
    """Write the artifact into a hidden sibling folder, then rename it into place, so an
    interrupted run never leaves a half-written model."""
    directory = model_dir(name)
    directory.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".model."))
    os.chmod(partial, default_mode(directory=True))
    try:
        model.save(partial)
        write_json(partial / "meta.json", {
            "baseline": name, "kind": model.kind, "input": model.input,
            "output": model.output, "default_threshold": model.default_threshold,
            "classes": model.classes, "text": text_params,
            "train_seconds": round(train_seconds, 3)})
        shutil.rmtree(directory, ignore_errors=True)
        os.replace(partial, directory)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def load(name):
    """The trained baseline and its meta (classes, input form, output kind)."""
    meta = load_meta(name)
    return model_class(meta["kind"]).load(model_dir(name)), meta


def fit_and_predict(names, p):
    """Train each baseline on train and write its val and test scores, scored by the model as
    saved and loaded back (what `tagbench predict` runs), not by the copy in memory.

    Test is scored before val, baseline by baseline, so that the random baselines draw
    from numpy's global RNG in the lesson's order.
    """
    classes = data.load_classes()
    fitted = []
    for name in names:
        model = build(name, p, classes)
        start = time.perf_counter()
        _fit(name, model)
        seconds = time.perf_counter() - start
        save(name, model, seconds, p["text"])
        fitted.append(load(name)[0])
        print(f"{name}: trained in {seconds:.1f} s")
    for split in ("test", "val"):
        for name, model in zip(names, fitted):
            texts = data.load_split(split, stemmed=model.input == "stemmed").texts
            save_array(predictions_path(name, split), model.predict_scores(texts))


def _fit(name, model):
    """Fit on train; torch baselines also watch val and log their curves."""
    train = data.load_split("train", stemmed=model.input == "stemmed")
    if not getattr(model, "watches_val", False):
        model.fit(train.texts, train.y)
        return
    from dvclive import Live

    from tagbench.plots import training_curves

    val = data.load_split("val", stemmed=model.input == "stemmed")
    with Live(f"dvclive/{name}", report=None, save_dvc_exp=False, dvcyaml=None) as live:
        model.fit(train.texts, train.y, val=(val.texts, val.y), live=live)
    training_curves(model.history, REPORTS / name / "training_curves.png", title=name)
