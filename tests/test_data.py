import json

import numpy as np
import pytest

from tagbench import data
from tagbench.core.errors import TagbenchError
from tagbench.data import preprocess, readers

VOCAB = {"nlp": {"aliases": [], "parents": []}, "cv": {"aliases": [], "parents": []},
         "python": {"aliases": [], "parents": []}, "rare": {"aliases": [], "parents": []}}


def project(i, tags):
    return {"id": i, "date": None, "split": None, "text": "t d", "fields": {}, "tags": tags}


def test_filter_tags_on_a_small_vocabulary():
    projects = [project(1, ["nlp", "python", "unknown"]), project(2, ["cv", "nlp"]),
                project(3, ["rare", "python"]), project(4, ["cv"])]
    kept, classes = preprocess.filter_tags(projects, VOCAB, exclude=["python"], min_freq=2)
    assert classes == ["cv", "nlp"]
    assert [(p["id"], p["tags"]) for p in kept] == [(1, ["nlp"]), (2, ["cv", "nlp"]), (4, ["cv"])]


def test_min_tag_freq_that_leaves_no_class():
    with pytest.raises(TagbenchError, match="min_tag_freq = 99 leaves no class"):
        preprocess.filter_tags([project(1, ["nlp"])], VOCAB, [], min_freq=99)


@pytest.mark.parametrize("version, projects, classes", [("v1", 1444, 35), ("v2", 1293, 26),
                                                        ("v0", 1444, 35)])
def test_real_counts(version, projects, classes, repo_params):
    """Every version of the projects data through the one description (v0: the older tags
    schema, no created_on)."""
    from conftest import projects as description
    rows, vocabulary, _ = readers.read_dataset(description(version))
    records, class_list, stats = preprocess.apply(rows, vocabulary, repo_params["data"],
                                                 repo_params["text"], repo_params["seed"])
    assert (stats["projects"], stats["classes"]) == (projects, classes)
    assert len(records) == projects and class_list == sorted(class_list)


def test_both_tag_schemas_read_alike(tmp_path):
    as_list = [{"tag": "nlp", "aliases": ["natural language"], "parents": []}]
    as_dict = {"nlp": {"aliases": ["natural language"], "parents": []}}
    (tmp_path / "a.json").write_text(json.dumps(as_list))
    (tmp_path / "b.json").write_text(json.dumps(as_dict))
    assert readers.read_tags(tmp_path / "a.json") == readers.read_tags(tmp_path / "b.json")


@pytest.mark.parametrize("content, message", [
    ("[1, 2]", "expected a list of {tag, aliases, parents}"),
    ('"tags"', "expected a list of {tag, aliases, parents}"),
    ("{not json", "malformed JSON"),
])
def test_bad_tags_file(tmp_path, content, message):
    (tmp_path / "tags.json").write_text(content)
    with pytest.raises(TagbenchError, match=message) as error:
        readers.read_tags(tmp_path / "tags.json")
    assert "tags.json" in str(error.value)


def test_binarize_ignores_unknown_tags():
    y = data.binarize([["b"], ["a", "zzz"], []], ["a", "b"])
    assert y.tolist() == [[0, 1], [1, 0], [0, 0]]


def test_sqrt_ratio_class_weights():
    from tagbench.data.weights import class_weights

    y = np.array([[1, 1], [0, 1], [0, 1], [0, 0], [0, 1]])
    weights = class_weights(y, ["rare", "common"], "sqrt_ratio")
    assert weights == {"rare": pytest.approx(2.0), "common": pytest.approx(0.5)}
