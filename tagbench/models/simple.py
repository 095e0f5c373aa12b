"""Baselines without learning: random tags and alias matching."""

import numpy as np

from tagbench import text as textlib
from tagbench.io import read_json, write_json


class RandomTagger:
    """Each tag drawn independently with probability p: 0.5 (uniform) or the share of positive
    cells in train (weighted, the lesson's single p)."""

    kind, input, output, default_threshold = "random", "cleaned", "labels", 0.5

    def __init__(self, classes, strategy="uniform", p=None):
        self.classes, self.strategy, self.p = list(classes), strategy, p

    def fit(self, texts, y):
        self.p = 0.5 if self.strategy == "uniform" else float(np.mean(y))
        return self

    def predict_scores(self, texts):
        """Draws from numpy's global RNG (seeded by the stage), exactly as the lesson did."""
        size = (len(texts), len(self.classes))
        if self.strategy == "uniform":
            return np.random.randint(low=0, high=2, size=size).astype(np.float32)
        return np.random.choice(np.arange(2), size=size, p=[1 - self.p, self.p]).astype(np.float32)

    def num_parameters(self):
        return 1  # p

    def save(self, directory):
        write_json(f"{directory}/model.json",
                   {"classes": self.classes, "p": self.p, "strategy": self.strategy})

    @classmethod
    def load(cls, directory):
        return cls(**read_json(f"{directory}/model.json"))


class RuleBasedTagger:
    """A tag is predicted when its name or one of its aliases (cleaned like the text, stemmed
    for the stemmed variant) occurs in the text; its parents in play come with it.

    match='token' matches whole words and phrases; 'substring' is the lesson's raw `in`.
    """

    kind, output, default_threshold = "rule_based", "labels", 0.5

    def __init__(self, classes, vocabulary, stemmed=False, match="token"):
        self.classes, self.vocabulary = list(classes), vocabulary
        self.stemmed, self.match = stemmed, match
        self.input = "stemmed" if stemmed else "cleaned"
        self.aliases = self._aliases()

    def _normalise(self, phrase):
        phrase = textlib.clean(phrase)
        return textlib.stem(phrase) if self.stemmed else phrase

    def _aliases(self):
        """{normalised alias: tag}, in class order (a later alias overwrites, as in the lesson)."""
        aliases = {}
        for tag in self.classes:
            aliases[self._normalise(tag)] = tag
            for alias in self.vocabulary[tag]["aliases"]:
                aliases[self._normalise(alias)] = tag
        aliases.pop("", None)
        return aliases

    def tags(self, text):
        """The set of tags this text matches."""
        padded = f" {text} "
        found = set()
        for alias, tag in self.aliases.items():
            hit = f" {alias} " in padded if self.match == "token" else alias in text
            if hit:
                found.add(tag)
                found.update(self.vocabulary[tag]["parents"])
        return found & set(self.classes)

    def fit(self, texts, y):
        return self

    def predict_scores(self, texts):
        index = {c: i for i, c in enumerate(self.classes)}
        scores = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        for row, text in enumerate(texts):
            for tag in self.tags(text):
                scores[row, index[tag]] = 1
        return scores

    def num_parameters(self):
        return len(self.aliases)  # one rule per alias

    def save(self, directory):
        write_json(f"{directory}/model.json", {
            "classes": self.classes, "vocabulary": self.vocabulary,
            "stemmed": self.stemmed, "match": self.match})

    @classmethod
    def load(cls, directory):
        return cls(**read_json(f"{directory}/model.json"))

