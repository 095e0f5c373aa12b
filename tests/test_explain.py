"""Word occlusion and comprehensiveness on hand-made models whose answers are known."""

import numpy as np
import pytest

from tagbench.core import thresholds
from tagbench.evaluation import explain


class LinearTagger:
    """A stub with predict's interface: each class's score is the sum of its words' weights."""

    classes = ["vision", "nlp"]
    model = None  # no exact reading: word occlusion
    threshold = {"threshold": 0.5, "at_least_one": False}
    weights = {"image": (0.6, 0.0), "pixels": (0.3, 0.0), "text": (0.0, 0.9),
               "the": (0.05, 0.05)}

    def scores(self, texts):
        return np.array([[sum(self.weights.get(w, (0, 0))[c] for w in t.split())
                          for c in range(2)] for t in texts])

    def predict(self, texts):
        decided = thresholds.decide(self.scores(texts), self.threshold)
        return [{"tags": [self.classes[c] for c in np.flatnonzero(row)]} for row in decided]


def test_occlusion_of_a_linear_model_is_its_exact_attribution():
    tagger = LinearTagger()
    (words, scores, drops), = explain.attributions(tagger, ["the image has pixels and text"])
    exact = np.array([tagger.weights.get(w, (0, 0)) for w in words])
    assert np.allclose(drops, exact) and np.allclose(scores, exact.sum(axis=0))
    explained = explain.explain(tagger, "the image has pixels and text", top=2)
    assert explained["vision"]["words"] == [("image", 0.6), ("pixels", 0.3)]
    assert [w for w, _ in explained["nlp"]["words"]] == ["text", "the"]
    assert "vision (" in explain.terminal(explained)


class Vectorised(LinearTagger):
    """The same stub, with an exact reading that differs from occlusion (doubled)."""

    class model:  # noqa: N801 - stands in for the Tagger's model
        @staticmethod
        def word_weights(words, prepare):
            return 2 * np.array([LinearTagger.weights.get(w, (0, 0)) for w in words])

    def prepare_one(self, text):
        return text


def test_a_models_exact_reading_replaces_occlusion():
    tagger = Vectorised()
    assert explain.method(tagger) == "coefficient x tf-idf"
    (_, _, weights), = explain.attributions(tagger, ["image text"])
    assert weights.tolist() == [[1.2, 0.0], [0.0, 1.8]]
    tagger.model = None
    assert explain.method(tagger) == "word occlusion"


def test_comprehensiveness_when_one_word_carries_the_tag():
    """"text" alone makes nlp: deleting the top word always removes it; deleting one of n
    random words removes it one time in n."""
    texts = [" ".join(["text"] + [f"filler{j}" for j in range(4)])] * 50
    rows = explain.comprehensiveness(LinearTagger(), texts, seed=0)
    summary = explain.summarise(rows, len(texts), resamples=200)
    assert summary["1"]["removed"] == 1.0
    assert summary["1"]["removed_random"] == pytest.approx(0.2, abs=0.1)
    assert summary["5"]["removed"] == summary["5"]["removed_random"] == 1.0  # every word gone
    assert summary["1"]["difference_low"] > 0.6


class Counting(LinearTagger):
    """The stub, counting its calls and the texts it scored."""

    def __init__(self):
        self.calls = self.texts = 0

    def scores(self, texts):
        self.calls, self.texts = self.calls + 1, self.texts + len(texts)
        return super().scores(texts)


def test_every_distinct_variant_is_scored_once_in_two_calls():
    """All texts' occlusions in one call, all their deletions in another; a deletion that is
    an occlusion already scored (any one-word deletion), or a repeated text, is not re-scored."""
    tagger = Counting()
    texts = ["the image has pixels and text", "text about pixels", "text about pixels"]
    rows = explain.comprehensiveness(tagger, texts, seed=0)
    occlusions = set(texts) | {" ".join(t.split()[:i] + t.split()[i + 1:])
                               for t in texts for i in range(len(t.split()))}
    assert tagger.calls == 2 and len(rows) == 4 * len(explain.KS)  # 4 predicted tags
    assert tagger.texts < len(occlusions) + len(rows) * 2


def test_a_text_without_a_predicted_tag_adds_nothing():
    rows = explain.comprehensiveness(LinearTagger(), ["nothing here at all"])
    assert rows.shape == (0, 6)
    assert explain.summarise(rows, 1, resamples=10)["3"] is None


def test_the_page_highlights_the_words_behind_each_tag():
    item = {"id": 7, "text": "the image has <pixels>",
            "tags": {"vision": {"score": 0.9, "words": [("image", 0.6)]}}}
    page = explain.html_page({"stub": [item]}, {"stub": "word occlusion"})
    assert "<mark" in page and "&lt;pixels&gt;" in page and "test project 7" in page
