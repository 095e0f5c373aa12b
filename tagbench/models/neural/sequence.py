"""Character CNN and bidirectional GRU over token ids, wrapped as baselines."""

import warnings

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from tagbench.models.neural.tagger import TorchTagger, padding_mask
from tagbench.models.neural.vocabulary import Vocabulary
from tagbench.models.shared.configs import CNNConfig, RNNConfig, module_args

# SAME padding with even widths: torch warns that it pads a copy of the input; that is fine.
warnings.filterwarnings("ignore", message="Using padding='same' with even kernel lengths")


def drop_tokens(ids, p):
    """Training-time noise: each known token becomes unknown (id 1) with probability p."""
    return ids.masked_fill((torch.rand(ids.shape, device=ids.device) < p) & (ids > 1), 1)


class CNN(nn.Module):
    """Embeddings → 1D convolutions of several widths (SAME padding) → max-pool over real
    positions only → FC + dropout → FC.

    With a vocabulary no larger than the embedding (characters), the embedding is folded into
    the filters: conv(E[ids]) = conv'(one_hot(ids)), conv' = W·Eᵀ. Same function, same
    parameters, but the backward pass no longer goes through a (batch, dim, length) input:
    an epoch takes about half as long."""

    def __init__(self, vocab_size, num_classes, embedding_dim, num_filters, filter_sizes,
                 hidden_dim, dropout_p, token_dropout=0.0):
        super().__init__()
        self.num_classes, self.token_dropout = num_classes, token_dropout
        self.fold = vocab_size - 1 <= embedding_dim
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.convs = nn.ModuleList(
            nn.Conv1d(embedding_dim, num_filters, size, padding="same") for size in filter_sizes)
        self.fc1 = nn.Linear(num_filters * len(filter_sizes), hidden_dim)
        self.dropout = nn.Dropout(dropout_p)
        self.fc2 = nn.Linear(hidden_dim, num_classes)

    def forward(self, ids, lengths):
        if self.training and self.token_dropout:
            ids = drop_tokens(ids, self.token_dropout)
        padding = padding_mask(ids, lengths)
        pooled = [z.masked_fill(padding[:, None, :], float("-inf")).amax(dim=2)
                  for z in self.convolve(ids)]
        return self.fc2(self.dropout(self.fc1(torch.cat(pooled, dim=1))))

    def convolve(self, ids):
        """Each width's convolution of the embedded ids: (batch, filters, length) each."""
        if not self.fold:
            x = self.embeddings(ids).transpose(1, 2)  # (batch, channels, length)
            return [conv(x) for conv in self.convs]
        table = self.embeddings.weight[1:]  # the padding row (id 0) is zero: leave it out
        x = F.one_hot(ids, len(self.embeddings.weight))[..., 1:].transpose(1, 2).to(table.dtype)
        return [F.conv1d(x, torch.einsum("oek,ve->ovk", conv.weight, table), conv.bias,
                         padding="same") for conv in self.convs]


class RNN(nn.Module):
    """Embeddings → bidirectional GRU over the packed sequence → each direction's real final
    state (forward at the last token, backward at the first), with readout "last_max" also
    the max over the real positions of the outputs → FC + dropout → FC."""

    def __init__(self, vocab_size, num_classes, embedding_dim, rnn_hidden_dim, hidden_dim,
                 dropout_p, readout="last", token_dropout=0.0):
        super().__init__()
        self.num_classes, self.readout, self.token_dropout = num_classes, readout, token_dropout
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.rnn = nn.GRU(embedding_dim, rnn_hidden_dim, batch_first=True, bidirectional=True)
        features = 2 * rnn_hidden_dim * (2 if readout == "last_max" else 1)
        self.fc1 = nn.Linear(features, hidden_dim)
        self.dropout = nn.Dropout(dropout_p)
        self.fc2 = nn.Linear(hidden_dim, num_classes)

    def forward(self, ids, lengths):
        if self.training and self.token_dropout:
            ids = drop_tokens(ids, self.token_dropout)
        packed = pack_padded_sequence(self.embeddings(ids), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        outputs, final = self.rnn(packed)  # final: (2 directions, batch, hidden)
        z = torch.cat([final[0], final[1]], dim=1)
        if self.readout == "last_max":
            padded, _ = pad_packed_sequence(outputs, batch_first=True, padding_value=float("-inf"),
                                            total_length=ids.shape[1])
            z = torch.cat([z, padded.amax(dim=1)], dim=1)
        return self.fc2(self.dropout(self.fc1(z)))


ARCHITECTURES = {CNNConfig: CNN, RNNConfig: RNN}


class SequenceTagger(TorchTagger):
    """The CNN or RNN baseline (which one: the config's dataclass) over a character- (or
    word-) level tokenizer fitted on train, reading cleaned or stemmed text."""

    tokenizer = None

    def fit_tokenizer(self, texts):
        self.tokenizer = Vocabulary(self.config.tokenizer_level).fit(
            texts, min_freq=self.config.min_freq)

    def token_ids(self, texts):
        return [self.tokenizer.encode(t)[:self.config.max_len] for t in texts]

    def save_tokenizer(self, directory):
        self.tokenizer.save(f"{directory}/tokenizer.json")

    def load_tokenizer(self, directory):
        self.tokenizer = Vocabulary.load(f"{directory}/tokenizer.json")

    def build_module(self, pretrained, directory=None):
        return ARCHITECTURES[type(self.config)](len(self.tokenizer), len(self.classes),
                                                **module_args(self.config))
