"""Baselines without learning (random tags, alias matching), and alias matching that mines
more aliases from train."""

from collections import Counter

import numpy as np

from tagbench import data
from tagbench.core.io import read_json
from tagbench.data import text as textlib
from tagbench.models import Tagger


class RandomTagger(Tagger):
    """Each tag drawn independently with probability p: 0.5 (uniform) or the share of positive
    cells in train (weighted, the lesson's single p)."""

    input, output = "cleaned", "labels"

    def __init__(self, classes, config, p=None):
        super().__init__(classes, config)
        self.p = p

    def fit(self, texts, y, val=None, live=None):
        self.p = 0.5 if self.config.strategy == "uniform" else float(np.mean(y))
        return self

    def predict_scores(self, texts):
        """Draws from numpy's global RNG (seeded by the stage), exactly as the lesson did."""
        size = (len(texts), len(self.classes))
        if self.config.strategy == "uniform":
            return np.random.randint(low=0, high=2, size=size).astype(np.float32)
        return np.random.choice(np.arange(2), size=size, p=[1 - self.p, self.p]).astype(np.float32)

    def num_parameters(self):
        return 1  # p

    def save(self, directory):
        self.save_config(directory, p=self.p)

    @classmethod
    def load(cls, directory):
        classes, config, state = cls.read_config(directory)
        return cls(classes, config, **state)


class RuleBasedTagger(Tagger):
    """A tag is predicted when its name or one of its aliases (cleaned like the text, stemmed
    when the baseline reads stemmed text) occurs in the text; its parents in play come with it.

    match='token' matches whole words and phrases; 'substring' is the lesson's raw `in`.
    With mine_min_count > 0, fit adds the aliases train proposes (`mine`): the vocabulary
    grows from the data, and the artifact lists what was mined.
    """

    output = "labels"

    def __init__(self, classes, config, vocabulary, mined=None):
        super().__init__(classes, config)
        self.vocabulary, self.mined = vocabulary, mined or {}
        self.aliases = self._aliases()

    @classmethod
    def create(cls, classes, config, run):
        return cls(classes, config, read_json(data.VOCABULARY))

    def _normalise(self, phrase):
        phrase = textlib.clean(phrase)
        return textlib.stem(phrase) if self.input == "stemmed" else phrase

    def _aliases(self):
        """{normalised alias: [tags]}, in class order (a later alias overwrites, as in the
        lesson), then the mined phrases (one that is already an alias keeps its tag)."""
        aliases = {}
        for tag in self.classes:
            aliases[self._normalise(tag)] = [tag]
            for alias in self.vocabulary[tag]["aliases"]:
                aliases[self._normalise(alias)] = [tag]
        aliases.pop("", None)
        for phrase, tags in self.mined.items():
            aliases.setdefault(phrase, tags)
        return aliases

    def fit(self, texts, y, val=None, live=None):
        if self.config.mine_min_count:
            self.mined = self.mine(texts, y)
            self.aliases = self._aliases()
        return self

    def mine(self, texts, y):
        """{phrase: [tags]}: every phrase of 1 to mine_max_words words (of the text as the
        baseline reads it) in at least mine_min_count train projects, of which at least
        mine_min_precision carry the tag; numbers and phrases under 3 characters left out."""
        c = self.config
        seen, tagged = Counter(), [Counter() for _ in self.classes]
        for text, row in zip(texts, np.asarray(y, dtype=bool)):
            phrases = set(phrases_of(text, c.mine_max_words))
            seen.update(phrases)
            for j in np.flatnonzero(row):
                tagged[j].update(phrases)
        mined = {}
        for tag, counts in zip(self.classes, tagged):
            for phrase, n in sorted(counts.items()):
                if (n >= c.mine_min_count and n >= c.mine_min_precision * seen[phrase]
                        and len(phrase) > 2 and not phrase.isdigit()):
                    mined.setdefault(phrase, []).append(tag)
        return dict(sorted(mined.items()))

    def tags(self, text):
        """The set of tags this text matches."""
        padded = f" {text} "
        found = set()
        for alias, tags in self.aliases.items():
            hit = f" {alias} " in padded if self.config.match == "token" else alias in text
            if hit:
                found.update(tags)
                for tag in tags:
                    found.update(self.vocabulary[tag]["parents"])
        return found & set(self.classes)

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
        self.save_config(directory, vocabulary=self.vocabulary, mined=self.mined)

    @classmethod
    def load(cls, directory):
        classes, config, state = cls.read_config(directory)
        return cls(classes, config, **state)


def phrases_of(text, words):
    """Every run of 1 to `words` consecutive words of a text."""
    tokens = text.split()
    return (" ".join(tokens[i:i + n]) for n in range(1, words + 1)
            for i in range(len(tokens) - n + 1))
