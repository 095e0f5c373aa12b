"""Hybrids: how the rules' hits and the model's scores combine, and what val chooses."""

import numpy as np
import pytest

from tagbench.core import thresholds
from tagbench.models.hybrid.tagger import UNION, HybridTagger, combine
from tagbench.models.shared import configs

THRESHOLD = {"method": "global", "min_support": 5, "at_least_one": False}
META = {"output": "scores", "default_threshold": 0.0}


def hybrid(boosts=(0.25, 0.5)):
    config = configs.HybridConfig(model="tfidf_svm", rules="rule_based_stemmed",
                                  boosts=list(boosts))
    members = {"model": (None, META), "rules": (None, {"default_threshold": 0.5})}
    return HybridTagger(["a", "b", "c"], config, members)


def val_set(rules_say, seed=0):
    """300 rows, 3 tags; the model ranks tags a and b well and c not at all; the rules hit c's
    positives (rules_say="c") or fire at random (rules_say="noise")."""
    rng = np.random.default_rng(seed)
    y = (rng.random((300, 3)) < 0.3).astype(np.uint8)
    scores = np.c_[y[:, :2] * 2.0 + rng.normal(0, 0.6, (300, 2)), rng.normal(0, 1, 300)]
    hits = np.zeros_like(y)
    if rules_say == "c":
        hits[:, 2] = y[:, 2] * (rng.random(300) < 0.9)  # recall 0.9, precision 1
    else:
        hits[:] = rng.random((300, 3)) < 0.3
    return scores, hits, y


def test_the_union_predicts_every_rule_hit_and_leaves_the_rest_to_the_threshold():
    scores, hits, y = val_set("noise")
    combined = combine(scores, hits, UNION, scores.min(), scores.max())
    for threshold in np.quantile(scores, [0.1, 0.5, 0.9, 1.0]):
        decided = thresholds.apply(combined, threshold).astype(bool)
        assert decided[hits > 0].all()
        assert np.array_equal(decided[hits == 0], (scores > threshold)[hits == 0])
    assert np.array_equal(combine(scores, hits, 0.0, 0, 1), scores)  # the model alone
    assert np.array_equal(combine(scores, hits, 0.5, -1, 3), scores + 2.0 * hits)


def test_val_chooses_the_union_where_the_rules_know_what_the_model_does_not():
    tagger = hybrid().fit(*val_set("c"), THRESHOLD)
    assert tagger.how == UNION
    assert tagger.val_f1[UNION] > tagger.val_f1["0.0"] + 0.1
    assert set(tagger.val_f1) == {UNION, "0.0", "0.25", "0.5"}


def test_val_chooses_the_model_alone_where_the_rules_fire_at_random():
    tagger = hybrid().fit(*val_set("noise"), THRESHOLD)
    assert tagger.how == 0.0
    assert tagger.val_f1["0.0"] > tagger.val_f1[UNION]


def test_a_tie_keeps_the_union():
    scores, hits, y = val_set("c")
    tagger = hybrid(boosts=[1.0]).fit(scores, np.zeros_like(hits), y, THRESHOLD)
    assert tagger.how == UNION  # no hit: every combination is the model alone


@pytest.mark.parametrize("field, value", [("model", 3), ("boosts", 0.5)])
def test_a_hybrid_section_of_the_wrong_type_names_its_key(field, value):
    from tagbench.core.errors import TagbenchError

    section = {"model": "tfidf_svm", "rules": "rule_based_stemmed", "boosts": [0.5]}
    with pytest.raises(TagbenchError, match=f"hybrids.h.{field} = "):
        configs.parse(configs.HybridConfig, {**section, field: value}, prefix="hybrids.h.")


class Member:
    """A member scoring each text by its length, counting the texts it scored."""

    def __init__(self):
        self.scored = []

    def predict_scores(self, texts):
        self.scored += texts
        return np.array([[len(t), 0.0, 0.0] for t in texts])


def test_while_reusing_the_model_member_scores_only_what_its_evaluate_stage_did_not(tmp_path,
                                                                                  monkeypatch):
    """The texts its own evaluate stage scored (artifacts.save_scored, as it reads them) are
    looked up inside `reusing`; outside it, every text is scored again (latency is timed
    there)."""
    from tagbench.data import artifacts

    monkeypatch.chdir(tmp_path)
    model, rules = Member(), Member()
    meta = {"input": "raw", "text": {}}
    tagger = HybridTagger(["a", "b", "c"], hybrid().config,
                          {"model": (model, {**META, **meta}),
                           "rules": (rules, {**meta, "default_threshold": 0.5})})
    artifacts.save_scored("tfidf_svm", {"seen": np.array([99.0, 0.0, 0.0])})
    with tagger.reusing(artifacts.load_scored("tfidf_svm")):
        inside = tagger.member_scores(["seen", "new one", "new one"])
    assert model.scored == ["new one"] and inside["model"][:, 0].tolist() == [99, 7, 7]
    assert rules.scored == ["seen", "new one", "new one"]  # the rules are never looked up
    tagger.member_scores(["seen"])
    assert model.scored == ["new one", "seen"]
