"""Character CNN and bidirectional GRU over token ids, wrapped as a baseline."""

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from tagbench.io import read_json, write_json
from tagbench.tokenizer import Tokenizer
from tagbench.trainer import Trainer, resolve_device, score, set_seeds


class CNN(nn.Module):
    """Embeddings → 1D convolutions of several widths (SAME padding) → max-pool over real
    positions only → FC + dropout → FC."""

    def __init__(self, vocab_size, num_classes, embedding_dim, num_filters, filter_sizes,
                 hidden_dim, dropout_p):
        super().__init__()
        self.num_classes = num_classes
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.convs = nn.ModuleList(
            nn.Conv1d(embedding_dim, num_filters, size, padding="same") for size in filter_sizes)
        self.fc1 = nn.Linear(num_filters * len(filter_sizes), hidden_dim)
        self.dropout = nn.Dropout(dropout_p)
        self.fc2 = nn.Linear(hidden_dim, num_classes)

    def forward(self, ids, lengths):
        x = self.embeddings(ids).transpose(1, 2)  # (batch, channels, length)
        padding = torch.arange(ids.shape[1], device=ids.device)[None, :] >= lengths[:, None]
        pooled = [conv(x).masked_fill(padding[:, None, :], float("-inf")).amax(dim=2)
                  for conv in self.convs]
        return self.fc2(self.dropout(self.fc1(torch.cat(pooled, dim=1))))


class RNN(nn.Module):
    """Embeddings → bidirectional GRU over the packed sequence → each direction's real final
    state (forward at the last token, backward at the first) → FC + dropout → FC."""

    def __init__(self, vocab_size, num_classes, embedding_dim, rnn_hidden_dim, hidden_dim,
                 dropout_p):
        super().__init__()
        self.num_classes = num_classes
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.rnn = nn.GRU(embedding_dim, rnn_hidden_dim, batch_first=True, bidirectional=True)
        self.fc1 = nn.Linear(2 * rnn_hidden_dim, hidden_dim)
        self.dropout = nn.Dropout(dropout_p)
        self.fc2 = nn.Linear(hidden_dim, num_classes)

    def forward(self, ids, lengths):
        packed = pack_padded_sequence(self.embeddings(ids), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, final = self.rnn(packed)  # (2 directions, batch, hidden)
        z = torch.cat([final[0], final[1]], dim=1)
        return self.fc2(self.dropout(self.fc1(z)))


ARCHITECTURES = {"cnn": CNN, "rnn": RNN}
ARCH_KEYS = {
    "cnn": ("embedding_dim", "num_filters", "filter_sizes", "hidden_dim", "dropout_p"),
    "rnn": ("embedding_dim", "rnn_hidden_dim", "hidden_dim", "dropout_p"),
}


class Encoded:
    """Token ids of a list of texts (truncated to max_len, at least one token) and labels."""

    def __init__(self, tokenizer, texts, max_len, y=None):
        self.ids = [(tokenizer.encode(t)[:max_len] or [1]) for t in texts]
        self.lengths = np.array([len(i) for i in self.ids])
        self.y = y


def collate(indices, data):
    """Pad the chosen examples to their longest: {ids, lengths}, targets."""
    width = int(data.lengths[indices].max())
    ids = torch.zeros((len(indices), width), dtype=torch.long)
    for row, i in enumerate(indices):
        ids[row, :data.lengths[i]] = torch.tensor(data.ids[i])
    batch = {"ids": ids, "lengths": torch.as_tensor(data.lengths[indices])}
    targets = None if data.y is None else torch.as_tensor(data.y[indices], dtype=torch.float32)
    return batch, targets


class NeuralTagger:
    """A CNN or RNN baseline: fit trains with the shared Trainer; save writes a state_dict,
    the tokenizer and the hyper-parameters (nothing pickled)."""

    kind, input, output, default_threshold = "neural", "cleaned", "scores", 0.5

    def __init__(self, classes, arch, hparams, class_weights=None, tokenizer=None):
        self.classes, self.arch, self.hparams = list(classes), arch, dict(hparams)
        self.class_weights = class_weights
        self.tokenizer = tokenizer
        self.module = None
        self.history = []

    def _build(self):
        set_seeds(self.hparams["seed"])
        args = {k: self.hparams[k] for k in ARCH_KEYS[self.arch]}
        self.module = ARCHITECTURES[self.arch](len(self.tokenizer), len(self.classes), **args)

    def fit(self, texts, y, val=None, live=None):
        self.tokenizer = Tokenizer(self.hparams["tokenizer_level"]).fit(texts)
        self._build()
        max_len = self.hparams["max_len"]
        trainer = Trainer(self.module, collate, [self.class_weights[c] for c in self.classes],
                          self.hparams, live=live, name=self.arch)
        trainer.fit(Encoded(self.tokenizer, texts, max_len, y),
                    Encoded(self.tokenizer, val[0], max_len, val[1]))
        self.history = trainer.history
        self.module = trainer.model.cpu()
        return self

    def predict_scores(self, texts, batch_size=None):
        device = resolve_device(self.hparams["device"])
        scores, _ = score(self.module.to(device), collate,
                          Encoded(self.tokenizer, texts, self.hparams["max_len"]),
                          batch_size or self.hparams["batch_size"], device)
        return scores.astype(np.float64)

    def save(self, directory):
        torch.save(self.module.state_dict(), f"{directory}/weights.pt")
        self.tokenizer.save(f"{directory}/tokenizer.json")
        write_json(f"{directory}/model.json", {
            "classes": self.classes, "arch": self.arch, "hparams": self.hparams})

    @classmethod
    def load(cls, directory):
        model = cls(**read_json(f"{directory}/model.json"),
                    tokenizer=Tokenizer.load(f"{directory}/tokenizer.json"))
        model._build()
        model.module.load_state_dict(torch.load(f"{directory}/weights.pt", weights_only=True))
        return model
