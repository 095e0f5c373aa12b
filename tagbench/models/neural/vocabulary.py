"""The CNN and GRU baselines' vocabulary: characters (or words) seen in train, each an id;
pad = 0, unknown = 1."""

from collections import Counter

from tagbench.core.io import read_json, write_json

PAD, UNK = "<PAD>", "<UNK>"


class Vocabulary:
    def __init__(self, level="char", token_to_index=None):
        self.level = level
        self.token_to_index = token_to_index or {PAD: 0, UNK: 1}
        self.index_to_token = {i: t for t, i in self.token_to_index.items()}

    def __len__(self):
        return len(self.token_to_index)

    def tokens(self, text):
        return list(text) if self.level == "char" else text.split()

    def fit(self, texts, min_freq=1):
        """Index every token seen at least min_freq times in texts, most frequent first (ties
        alphabetically); rarer tokens will encode as unknown."""
        counts = Counter(token for text in texts for token in self.tokens(text))
        for token, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            if count >= min_freq and token not in self.token_to_index:
                self.index_to_token[len(self)] = token
                self.token_to_index[token] = len(self)
        return self

    def encode(self, text):
        unknown = self.token_to_index[UNK]
        return [self.token_to_index.get(token, unknown) for token in self.tokens(text)]

    def decode(self, ids):
        separator = "" if self.level == "char" else " "
        return separator.join(self.index_to_token.get(i, UNK) for i in ids if i != 0)

    def save(self, path):
        write_json(path, {"level": self.level, "token_to_index": self.token_to_index})

    @classmethod
    def load(cls, path):
        return cls(**read_json(path))
