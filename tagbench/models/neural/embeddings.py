"""Frozen pretrained sentence embeddings feeding one logistic regression per tag: the encoder
(all-MiniLM-L6-v2 by default) is never trained, so each text is encoded once, and only the
linear classifier learns. The cheapest strong representation the lesson never tries."""

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from tokenizers import Tokenizer

from tagbench.models import Tagger
from tagbench.models.neural.encoder import (
    encode,
    fast_tokenizer,
    from_pretrained,
    saved_encoder,
)
from tagbench.models.neural.tagger import Encoded, collate
from tagbench.models.neural.trainer import length_grouped_batches, resolve_device
from tagbench.models.shared.persist import load_sklearn, load_weights, save_sklearn, save_weights

# What the saved classifier may hold, beyond persist.PLAIN; loading refuses anything else.
CLASSIFIER = ("sklearn.multiclass.OneVsRestClassifier", "sklearn.multiclass._ConstantPredictor",
              "sklearn.preprocessing._label.LabelBinarizer",
              "sklearn.linear_model._logistic.LogisticRegression")


class EmbeddingTagger(Tagger):
    """Text → WordPiece ids → frozen encoder → pooled (and normalised) vector → one-vs-rest
    logistic regression. Saves the encoder with it, so the artifact tags text on its own."""

    def __init__(self, classes, config, run=None, encoder=None, tokenizer=None,
                 classifier=None):
        super().__init__(classes, config)
        self.run, self.encoder, self.classifier = run, encoder, classifier
        self.tokenizer = tokenizer and self.configure(tokenizer)

    @classmethod
    def create(cls, classes, config, run):
        return cls(classes, config, run)

    def configure(self, tokenizer):
        tokenizer.no_padding()
        tokenizer.enable_truncation(self.config.max_len)
        return tokenizer

    @torch.no_grad()
    def embed(self, texts):
        """One vector per text, in the texts' order."""
        device = resolve_device(self.config.device)
        self.encoder.to(device).eval()
        data = Encoded([e.ids for e in self.tokenizer.encode_batch(list(texts))])
        vectors = None
        for indices in length_grouped_batches(data.lengths, self.config.batch_size):
            batch, _ = collate(indices, data)
            pooled = encode(self.encoder, batch["ids"].to(device), batch["lengths"].to(device),
                            self.config.pooling)
            if self.config.normalize:
                pooled = torch.nn.functional.normalize(pooled, dim=1)
            if vectors is None:
                vectors = np.zeros((len(data.lengths), pooled.shape[1]), dtype=np.float32)
            vectors[indices] = pooled.cpu().numpy()
        return vectors

    def fit(self, texts, y, val=None, live=None):
        from transformers import AutoModel

        torch.set_num_threads(self.run.threads)
        self.tokenizer = self.configure(fast_tokenizer(self.config.encoder))
        self.encoder = from_pretrained(AutoModel, self.config.encoder)
        c = self.config
        # One tag after another, in this process: fitted in joblib's worker processes, each
        # estimator comes back unpickled with its own copies of shared objects, grouped by
        # how joblib batched the jobs (timing-dependent), and the saved classifier would change
        # bytes from run to run with the same coefficients (seen: 73,151 then 73,119 bytes).
        self.classifier = OneVsRestClassifier(
            LogisticRegression(C=c.C, class_weight=c.class_weight, max_iter=c.max_iter)
        ).fit(self.embed(texts), y)
        return self

    def predict_scores(self, texts):
        return self.classifier.predict_proba(self.embed(texts)).astype(np.float64)

    def num_parameters(self):
        learned = sum(getattr(e, "coef_", np.zeros(0)).size + np.size(getattr(e, "intercept_", 0))
                      for e in self.classifier.estimators_)
        return learned + sum(p.numel() for p in self.encoder.parameters())

    def save(self, directory):
        save_weights(self.encoder, f"{directory}/encoder.safetensors")
        self.encoder.config.save_pretrained(directory)
        self.tokenizer.save(f"{directory}/tokenizer.json")
        save_sklearn(self.classifier, f"{directory}/classifier.skops")
        self.save_config(directory)

    @classmethod
    def load(cls, directory):
        classes, config, _ = cls.read_config(directory)
        encoder, _ = saved_encoder(directory)
        load_weights(encoder, f"{directory}/encoder.safetensors")
        return cls(classes, config, encoder=encoder.eval(),
                   tokenizer=Tokenizer.from_file(f"{directory}/tokenizer.json"),
                   classifier=load_sklearn(f"{directory}/classifier.skops", CLASSIFIER))
