"""The behavioural suite: its cases, each test type on a stub model, bad case files."""

import json

import pytest

from conftest import REPO
from tagbench.core.errors import TagbenchError
from tagbench.data import readers
from tagbench.evaluation import behavior, params

CLASSES = ["pytorch", "tensorflow", "computer-vision", "image-classification"]


def stub(rules):
    """A model that predicts a tag whenever one of its words is in the text."""
    return lambda texts: [[tag for word, tag in rules if word in text.lower()] for text in texts]


SUITE = {
    "minimum_functionality": [{"id": "m1", "text": "classify images",
                               "tags": ["image-classification"]}],
    "invariance": [{"id": "i1", "texts": ["images in pytorch", "images in tensorflow"],
                    "ignore": ["pytorch", "tensorflow"]}],
    "directional": [{"id": "d1", "text": "classify images", "added": " with pytorch",
                     "tags": ["pytorch"]}],
}


def test_a_good_model_passes_every_test_type():
    good = stub([("images", "image-classification"), ("pytorch", "pytorch"),
                 ("tensorflow", "tensorflow")])
    rates, failed = behavior.run(good, SUITE, CLASSES)
    assert rates["all"] == {"passed": 3, "total": 3, "skipped": 0, "pass_rate": 1.0}
    assert failed == {test: [] for test in SUITE}


def test_each_test_type_catches_its_failure():
    blind = stub([])  # predicts nothing: fails minimum functionality and directional
    rates, failed = behavior.run(blind, SUITE, CLASSES)
    assert failed == {"minimum_functionality": ["m1"], "invariance": [], "directional": ["d1"]}
    leaky = stub([("images", "image-classification"), ("pytorch", "pytorch"),
                  ("pytorch", "computer-vision")])  # the framework moves a task tag
    assert behavior.run(leaky, SUITE, CLASSES)[1]["invariance"] == ["i1"]
    forgetful = stub([("images", "image-classification"), ("pytorch", "pytorch")])
    forgetful_after = lambda texts: [[] if "with pytorch" in t else tags  # noqa: E731
                                     for t, tags in zip(texts, forgetful(texts))]
    assert behavior.run(forgetful_after, SUITE, CLASSES)[1]["directional"] == ["d1"]  # removed


def test_a_case_whose_tags_are_not_classes_here_is_skipped():
    good = stub([("images", "image-classification"), ("pytorch", "pytorch")])
    rates, failed = behavior.run(good, SUITE, ["image-classification", "tensorflow"])
    assert rates["directional"] == {"passed": 0, "total": 0, "skipped": 1, "pass_rate": None}
    assert rates["all"]["skipped"] == 1 and rates["minimum_functionality"]["passed"] == 1


def test_the_committed_suite_is_valid_and_large_enough():
    p = params.load(REPO / "params.yaml")
    suite = behavior.load_suite(readers.read_tags(REPO / "data/raw/v1/tags.json"),
                                REPO / p["dataset"]["behavior"])
    assert sum(len(cases) for cases in suite.values()) >= 60
    assert all(len(cases) >= 15 for cases in suite.values())


@pytest.mark.parametrize("line, message", [
    ('{"id": "x", "tags": ["pytorch"]}', "minimum_functionality.jsonl:2: missing field 'text'"),
    ('{"id": "x", "text": "a", "tags": ["torch"]}',
     "minimum_functionality.jsonl:2: field 'tags' names 'torch', which is not a tag of"),
    ('{"id": "x", "text": " ", "tags": []}', "field 'text' must be a non-empty string"),
    ('{"id": "m1", "text": "a", "tags": []}', "field 'id' repeats 'm1'"),
    ("{not json", "minimum_functionality.jsonl:2: invalid JSON"),
])
def test_a_bad_case_refuses_the_whole_file(tmp_path, line, message):
    good = json.dumps(SUITE["minimum_functionality"][0])
    (tmp_path / "minimum_functionality.jsonl").write_text(f"{good}\n{line}\n")
    with pytest.raises(TagbenchError, match=message) as error:
        behavior.read_cases("minimum_functionality", CLASSES, tmp_path)
    assert "\n" not in str(error.value)


def test_cases_of_tags_another_dataset_lacks_are_skipped_with_a_line(capsys):
    """The suite run on another version of the data (v2 lacks some of v1's tags): said in one
    line, the cases skipped, nothing refused."""
    suite = {"minimum_functionality": [{"id": "m1", "text": "a", "tags": ["node-classification"]},
                                       {"id": "m2", "text": "b", "tags": ["pytorch"]}]}
    behavior.warn_unknown(suite, {"pytorch"}, "data/behavioral")
    assert capsys.readouterr().out == ("warning: data/behavioral: 1 tag(s) this dataset does not "
                                       "know, their cases skipped: node-classification\n")
    rates, _ = behavior.run(lambda texts: [["pytorch"]] * len(texts), suite, ["pytorch"])
    assert rates["all"]["skipped"] == 1 and rates["all"]["passed"] == 1
