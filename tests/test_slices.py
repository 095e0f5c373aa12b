"""Slice rules, the slice scores and their flags."""

import numpy as np
import pytest

from tagbench.core.errors import TagbenchError
from tagbench.evaluation import slices

VOCABULARY = {"computer-vision": {"aliases": ["vision"], "parents": []},
              "pytorch": {"aliases": [], "parents": []}}
RECORDS = [
    {"id": 1, "text": "a vision model", "tags": ["computer-vision"], "date": "2020-01-01",
     "fields": {"description": ""}},
    {"id": 2, "text": "many words in this much longer text about things", "tags": ["pytorch"],
     "date": "2020-06-01", "fields": {"description": "one two three"}},
    {"id": 3, "text": "images", "tags": ["computer-vision", "pytorch"], "date": "2020-12-01",
     "fields": {"description": "x"}},
]


@pytest.mark.parametrize("rule, expected", [
    ({"max_words": 3}, [True, False, True]),
    ({"max_description_words": 1}, [True, False, True]),
    ({"no_gold_alias": True}, [False, True, True]),
    ({"created_third": 1}, [True, False, False]),
    ({"created_third": 3}, [False, False, True]),
    ({"tags": 1}, [True, True, False]),
    ({"min_tags": 2}, [False, False, True]),
])
def test_each_rule_selects_its_projects(rule, expected):
    masks = slices.masks({"s": rule}, RECORDS, VOCABULARY, [r["date"] for r in RECORDS])
    assert masks["s"].tolist() == expected


def test_a_slice_the_dataset_cannot_have_is_left_out_and_said(capsys):
    """No description field, no dates (GoEmotions): those slices are left out, one line each."""
    records = [{**r, "fields": {"text": r["text"]}, "date": None} for r in RECORDS]
    rules = {"short": {"max_words": 3}, "terse": {"max_description_words": 1},
             "old": {"created_third": 1}}
    masks = slices.masks(rules, records, VOCABULARY, [None] * 3)
    assert list(masks) == ["short"]
    out = capsys.readouterr().out
    assert "terse (max_description_words) left out" in out and "old (created_third) left out" in out


@pytest.mark.parametrize("rules, message", [
    ({"s": {"longest": 3}}, "slices.s: unknown rule 'longest'"),
    ({"s": {"max_words": "ten"}}, "slices.s: max_words = 'ten' must be a whole number"),
    ({"s": {"created_third": 4}}, "slices.s: created_third = 4 must be a whole number 1, 2 or 3"),
    ({"s": {"tags": 1, "min_tags": 2}}, "slices.s must be one rule"),
])
def test_a_bad_rule_is_one_line_naming_it_before_any_work(repo_params, rules, message):
    """params validation (every stage's first step) refuses it, not the slices stage."""
    from tagbench.evaluation import params

    with pytest.raises(TagbenchError, match=f"params.yaml: {message}"):
        params.validate({**repo_params, "slices": rules})


def test_a_slice_the_model_fails_is_flagged_and_one_it_handles_is_not():
    rng = np.random.default_rng(0)
    y = (rng.random((400, 4)) < 0.3).astype(np.uint8)
    hard = np.arange(400) < 100
    predicted = y.copy()
    predicted[hard] = 1 - y[hard]  # wrong on every cell of the hard slice
    masks = {"hard": hard, "easy": ~hard, "tiny": np.arange(400) < 5}
    table = slices.evaluate(masks, y, {"model": predicted}, resamples=200, seed=0)["model"]
    assert table["hard"]["below"] and table["hard"]["f1"] == 0
    assert not table["easy"]["below"] and table["easy"]["f1"] == 1
    assert not table["tiny"]["below"]  # too small to flag
    assert table["easy"]["f1_low"] <= table["easy"]["f1"] <= table["easy"]["f1_high"]
