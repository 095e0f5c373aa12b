"""The frozen-embeddings baseline: a tiny local BERT, so nothing is downloaded."""

import subprocess
import sys

import numpy as np
import pytest

from conftest import config_of
from tagbench.models import Run
from tagbench.models.neural.embeddings import EmbeddingTagger

# Every test here imports transformers (5 s) or builds the tiny BERT with it: `make test`,
# not the inner loop.
pytestmark = pytest.mark.slow

CLASSES = ["a", "b", "c"]
TEXTS = ["graph neural nets", "image segmentation", "language models", "object detection",
         "node classification", "text generation", "image generation gan", "graph attention"]
Y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 1],
              [1, 0, 1]], dtype=np.uint8)


def tagger(bert, **changes):
    config = config_of("embed_logreg", encoder=bert, device="cpu", batch_size=3, **changes)
    return EmbeddingTagger(CLASSES, config, Run("embed_logreg", 0, 1))


def test_embeddings_are_frozen_normalised_and_batch_independent(bert):
    model = tagger(bert).fit(TEXTS, Y)
    before = {k: v.clone() for k, v in model.encoder.state_dict().items()}
    vectors = model.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 32)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.allclose(model.embed(TEXTS[2:3]), vectors[2:3], atol=1e-5)  # alone = in a batch
    assert all((before[k] == v).all() for k, v in model.encoder.state_dict().items())
    raw = tagger(bert, normalize=False).fit(TEXTS, Y).embed(TEXTS)
    assert not np.allclose(np.linalg.norm(raw, axis=1), 1)
    # fitted in this process: joblib's workers would make the saved bytes vary (embeddings.py)
    assert model.classifier.n_jobs is None


def test_fit_scores_and_reloads_without_transformers(bert, tmp_path):
    model = tagger(bert).fit(TEXTS, Y)
    scores = model.predict_scores(TEXTS)
    assert scores.shape == Y.shape and ((scores >= 0) & (scores <= 1)).all()
    assert np.array_equal(scores, tagger(bert).fit(TEXTS, Y).predict_scores(TEXTS))
    model.save(tmp_path)
    assert model.num_parameters() > 3 * 32  # the encoder counts: it ships with the model
    check = (f"import sys, numpy as np; "
             f"from tagbench.models.neural.embeddings import EmbeddingTagger; "
             f"m = EmbeddingTagger.load({str(tmp_path)!r}); "
             f"np.save({str(tmp_path / 'reloaded.npy')!r}, m.predict_scores({TEXTS!r})); "
             f"assert 'transformers' not in sys.modules, 'transformers was imported'")
    subprocess.run([sys.executable, "-c", check], check=True)
    assert np.allclose(np.load(tmp_path / "reloaded.npy"), scores, atol=1e-5)
