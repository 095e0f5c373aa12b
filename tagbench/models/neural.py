"""Character CNN and bidirectional GRU over token ids, wrapped as baselines."""

import warnings

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from tagbench.models.torch_tagger import TorchTagger, padding_mask
from tagbench.tokenizer import Tokenizer

# SAME padding with even widths: torch warns that it pads a copy of the input; that is fine.
warnings.filterwarnings("ignore", message="Using padding='same' with even kernel lengths")


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
        padding = padding_mask(ids, lengths)
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


class NeuralTagger(TorchTagger):
    """The CNN or RNN baseline over a character- (or word-) level tokenizer fitted on train."""

    kind = "neural"
    tokenizer = None

    def fit_tokenizer(self, texts):
        self.tokenizer = Tokenizer(self.hparams["tokenizer_level"]).fit(texts)

    def token_ids(self, texts):
        return [self.tokenizer.encode(t)[:self.hparams["max_len"]] for t in texts]

    def save_tokenizer(self, directory):
        self.tokenizer.save(f"{directory}/tokenizer.json")

    def load_tokenizer(self, directory):
        self.tokenizer = Tokenizer.load(f"{directory}/tokenizer.json")

    def build_module(self, pretrained, directory=None):
        args = {k: self.hparams[k] for k in ARCH_KEYS[self.arch]}
        return ARCHITECTURES[self.arch](len(self.tokenizer), len(self.classes), **args)
