import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import config_of
from tagbench import data
from tagbench.data import readers, text
from tagbench.models.simple.taggers import RandomTagger, RuleBasedTagger
from tagbench.models.tfidf.tagger import TfidfTagger, boosted_trees

VECTORIZER = {"analyzer": "word", "ngram_min": 1, "ngram_max": 2, "min_df": 1, "max_df": 1.0,
              "sublinear_tf": True, "max_features": 0}
TFIDF = {  # small versions of each TF-IDF baseline
    "tfidf_logreg": {"max_iter": 200},
    "tfidf_knn": {"n_neighbors": 5},
    "tfidf_rf": {"n_estimators": 20},
    "tfidf_gbm": {"n_estimators": 3},
    "tfidf_svm": {},
    "tfidf_nb": {},
}


def test_every_tfidf_baseline_is_fitted_here():
    from tagbench.models.shared import registry

    assert set(TFIDF) == {n for n, b in registry.BASELINES.items() if b.family == "tfidf"}


def tfidf(name):
    return config_of(name, vectorizer=VECTORIZER, **TFIDF[name])


@pytest.fixture(scope="module")
def small(v1_processed):
    """A slice of real v1: 200 train and 50 test projects, stemmed text."""
    records, classes = v1_processed
    stemmed = [{**r, "text": text.stem(r["text"])} for r in records[:250]]
    return data.Dataset(stemmed[:200], classes), data.Dataset(stemmed[200:], classes)


@pytest.fixture(scope="module")
def vocabulary(v1_raw, v1_processed):
    return {c: v1_raw[1][c] for c in v1_processed[1]}


def fit_scores(make, train, test):
    np.random.seed(0)
    return make().fit(train.texts, train.y).predict_scores(test.texts)


@pytest.mark.parametrize("name", sorted(TFIDF))
def test_tfidf_models(name, small):
    train, test = small

    def make():
        return TfidfTagger(train.classes, tfidf(name))

    scores = fit_scores(make, train, test)
    assert scores.shape == test.y.shape and np.isfinite(scores).all()
    if name != "tfidf_svm":
        assert scores.min() >= 0 and scores.max() <= 1
    assert np.array_equal(scores, fit_scores(make, train, test))


@pytest.mark.parametrize("name", ["tfidf_logreg", "tfidf_svm"])
def test_a_linear_model_per_tag_scores_as_one_product_bit_for_bit(name, small):
    """A tag with no train positive has no model (a constant): then each model scores alone."""
    train, test = small
    assert TfidfTagger(train.classes, tfidf(name)).fit(train.texts, train.y).stacked is None
    seen = train.y.sum(axis=0) > 0
    classes = [c for c, keep in zip(train.classes, seen) if keep]
    model = TfidfTagger(classes, tfidf(name)).fit(train.texts, train.y[:, seen])
    assert model.stacked is not None
    stacked = model.predict_scores(test.texts)
    alone = (model.pipeline.decision_function(test.texts) if name == "tfidf_svm"
             else model.pipeline.predict_proba(test.texts))
    assert np.array_equal(stacked, alone)


def test_a_refitted_linear_model_reads_its_new_vocabulary(small):
    """The n-grams and coefficients word_weights reads are taken once, and again after fit."""
    train, _ = small
    model = TfidfTagger(train.classes, tfidf("tfidf_logreg")).fit(train.texts, train.y)
    before, half = list(model.reading[0]), len(train.texts) // 2
    model.fit(train.texts[:half], train.y[:half])
    names, coef = model.reading
    assert list(names) == list(model.pipeline["tfidf"].get_feature_names_out()) != before
    assert coef.shape == (len(train.classes), len(names))


@pytest.mark.parametrize("strategy, p", [("uniform", 0.5), ("weighted", None)])
def test_random(strategy, p, small):
    train, test = small

    def make():
        return RandomTagger(train.classes, config_of("random_uniform", strategy=strategy))

    scores = fit_scores(make, train, test)
    assert scores.shape == test.y.shape and set(np.unique(scores)) <= {0.0, 1.0}
    assert np.array_equal(scores, fit_scores(make, train, test))
    expected = p if p is not None else train.y.mean()
    assert abs(scores.mean() - expected) < 0.05


LESSON_EXAMPLES = [
    ("This project extends gans for data augmentation specifically for object detection tasks.",
     {"object-detection", "data-augmentation", "generative-adversarial-networks",
      "computer-vision"}),
    ("Transfer learning with transformers for self-supervised learning",
     {"self-supervised-learning", "transfer-learning", "transformers",
      "natural-language-processing"}),
]


@pytest.mark.parametrize("raw, expected", LESSON_EXAMPLES)
def test_rule_based_lesson_examples(raw, expected, small):
    """On the lesson's own vocabulary (v0), where transformers has NLP as parent."""
    from conftest import REPO
    v0 = readers.read_tags(REPO / "data/raw/v0/tags.json")
    tagger = RuleBasedTagger(small[0].classes, config_of("rule_based_stemmed"), v0)
    assert tagger.tags(text.stem(text.clean(raw))) == expected


def test_rule_based_matches_whole_words_only(vocabulary, small):
    token = RuleBasedTagger(small[0].classes, config_of("rule_based_unstemmed", match="token"),
                            vocabulary)
    substring = RuleBasedTagger(small[0].classes,
                                config_of("rule_based_unstemmed", match="substring"), vocabulary)
    cleaned = text.clean("Organ donor matching")  # the alias "gan" only inside "organ"
    assert "generative-adversarial-networks" in substring.tags(cleaned)
    assert "generative-adversarial-networks" not in token.tags(cleaned)
    assert token.tags(text.clean("A GAN for faces")) == {"generative-adversarial-networks"}


def test_mined_aliases_come_from_train_alone_and_travel_with_the_model(tmp_path, vocabulary):
    """A phrase in enough train projects, most of them carrying one tag, becomes its alias; a
    rarer one, a number or one shared by tags below the precision does not; an existing
    alias keeps its tag; the mined aliases are saved and loaded with the model."""
    classes = ["computer-vision", "time-series"]
    texts = ["forecast sale", "forecast energi", "forecast traffic", "imag forecast",
             "imag segment", "imag filter", "2020 imag", "2020 segment", "2020 forecast", "cv"]
    y = [[0, 1], [0, 1], [0, 1], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [0, 1], [1, 0]]
    config = config_of("rule_based_mined", mine_min_count=3, mine_min_precision=0.75)
    tagger = RuleBasedTagger(classes, config, vocabulary).fit(texts, y)
    assert tagger.mined == {"forecast": ["time-series"], "imag": ["computer-vision"]}
    # "segment": 2 projects; "2020": a number; "cv" is vocabulary's, mined or not
    assert tagger.tags("imag forecast") == {"computer-vision", "time-series"}
    tagger.save(tmp_path)
    loaded = RuleBasedTagger.load(tmp_path)
    assert loaded.mined == tagger.mined and loaded.tags("new forecast") == {"time-series"}
    off = RuleBasedTagger(classes, config_of("rule_based_stemmed"), vocabulary).fit(texts, y)
    assert off.mined == {} and off.tags("new forecast") == set()


def test_rule_based_scores_and_round_trip(tmp_path, vocabulary, small):
    train, test = small
    tagger = RuleBasedTagger(train.classes, config_of("rule_based_stemmed"), vocabulary)
    scores = tagger.predict_scores(test.texts)
    assert scores.shape == test.y.shape and scores.sum() > 0
    tagger.save(tmp_path)
    assert np.array_equal(RuleBasedTagger.load(tmp_path).predict_scores(test.texts), scores)


@pytest.mark.slow  # skops takes 2 s to import
@pytest.mark.parametrize("name", sorted(TFIDF))
def test_tfidf_save_load_same_scores(tmp_path, small, name):
    """Through skops, with each classifier's list of the types it may hold (a type missing
    from the list would refuse the load); boosted trees without the generator they drew from."""
    train, test = small
    model = TfidfTagger(train.classes, tfidf(name)).fit(train.texts, train.y)
    scores = model.predict_scores(test.texts)
    model.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "model.skops"]
    loaded = TfidfTagger.load(tmp_path)
    assert np.array_equal(loaded.predict_scores(test.texts), scores)
    if name == "tfidf_gbm":
        trees = boosted_trees(loaded.pipeline["clf"])
        assert trees and all(t.random_state is None for t in trees)
    assert loaded.num_parameters() == model.num_parameters()
    if name == "tfidf_knn":
        assert model.num_parameters() > model.train_nonzeros > 0


FIT_AND_SAVE = """
import json, os, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
from test_baselines import tfidf
from tagbench.models.tfidf.tagger import TfidfTagger
name, folder = sys.argv[2], sys.argv[3]
texts, y, classes = json.load(open(folder + "/train.json"))
np.random.seed(0)
os.makedirs(folder + "/" + name, exist_ok=True)
TfidfTagger(classes, tfidf(name), n_jobs=2).fit(texts, np.array(y)).save(folder + "/" + name)
"""


@pytest.mark.slow
def test_tfidf_artifact_is_the_same_bytes_in_another_process(tmp_path, small):
    """Saved twice from two processes with different string hashes and memory layouts
    (two jobs allowed): a model retrained alike is the same file, so DVC sees no change."""
    train, _, name = *small, "tfidf_svm"
    (tmp_path / "train.json").write_text(json.dumps([train.texts, train.y.tolist(),
                                                     train.classes]))
    saved = []
    for hash_seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", FIT_AND_SAVE, str(Path(__file__).parent), name,
                        str(tmp_path)], check=True, env={**os.environ, "PYTHONHASHSEED": hash_seed})
        saved.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert saved[0] == saved[1]


def test_save_renames_a_complete_artifact_into_place(tmp_path, monkeypatch):
    import os

    from tagbench.data import artifacts
    from tagbench.models.shared import registry

    monkeypatch.chdir(tmp_path)
    model = RandomTagger(["a", "b"], config_of("random_uniform")).fit([], np.zeros((2, 2)))
    registry.save("random_uniform", model, {"lower": True, "stopwords": True}, 2)
    first = artifacts.model_dir("random_uniform")
    assert sorted(p.name for p in first.iterdir()) == ["meta.json", "model.json"]
    saved = {p.name: p.read_bytes() for p in first.iterdir()}
    registry.save("random_uniform", model, {"lower": True, "stopwords": True}, 2)
    assert {p.name: p.read_bytes() for p in first.iterdir()} == saved  # nothing measured

    class Broken(RandomTagger):
        def save(self, directory):
            raise KeyboardInterrupt  # interrupted halfway

    with pytest.raises(KeyboardInterrupt):
        registry.save("random_uniform", Broken(["a", "b"], config_of("random_uniform")), {}, 2)
    assert sorted(p.name for p in first.iterdir()) == ["meta.json", "model.json"]  # untouched
    assert [p.name for p in first.parent.iterdir()] == ["model"]  # no partial folder left
    umask = os.umask(0)
    os.umask(umask)
    assert first.stat().st_mode & 0o777 == 0o777 & ~umask
    assert (first / "meta.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_unknown_tfidf_classifier_is_refused_not_replaced():
    from dataclasses import dataclass, fields

    from tagbench.core.errors import TagbenchError
    from tagbench.models.shared.configs import SvmConfig
    from tagbench.models.tfidf.tagger import classifier

    @dataclass(frozen=True)
    class Boosted(SvmConfig):
        classifier = "xgboost"

    svm = config_of("tfidf_svm")
    config = Boosted(**{f.name: getattr(svm, f.name) for f in fields(svm)})
    with pytest.raises(TagbenchError, match="Boosted.classifier = 'xgboost': known classifiers"):
        classifier(config, None)
