"""TF-IDF features on the stemmed text feeding one scikit-learn classifier."""

import joblib
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from tagbench.io import read_json, write_json


def global_rng():
    """numpy's global RandomState, which the training stage seeds: the models draw from it as
    the lesson's did (random_state=None), but also in worker processes, where the global
    RNG itself would be unseeded."""
    return np.random.mtrand._rand


def vectorizer(p):
    return TfidfVectorizer(
        analyzer=p["analyzer"], ngram_range=(p["ngram_min"], p["ngram_max"]),
        min_df=p["min_df"], max_df=p["max_df"], sublinear_tf=p["sublinear_tf"],
        max_features=p["max_features"] or None)


def classifier(name, p, random_state, n_jobs=1):
    """The scikit-learn estimator for one TF-IDF baseline."""
    if name == "logreg":
        return OneVsRestClassifier(LogisticRegression(
            C=p["C"], class_weight=p["class_weight"], max_iter=p["max_iter"]), n_jobs=n_jobs)
    if name == "knn":
        return KNeighborsClassifier(n_neighbors=p["n_neighbors"], weights=p["weights"],
                                    metric=p["metric"])
    if name == "rf":
        return RandomForestClassifier(
            n_estimators=p["n_estimators"], max_depth=p["max_depth"],
            min_samples_leaf=p["min_samples_leaf"], class_weight=p["class_weight"],
            random_state=random_state, n_jobs=n_jobs)
    if name == "gbm":
        return OneVsRestClassifier(GradientBoostingClassifier(
            n_estimators=p["n_estimators"], learning_rate=p["learning_rate"],
            max_depth=p["max_depth"], random_state=random_state), n_jobs=n_jobs)
    if name == "svm":
        return OneVsRestClassifier(LinearSVC(
            C=p["C"], class_weight=p["class_weight"], random_state=random_state),
                                   n_jobs=n_jobs)
    raise ValueError(f"unknown TF-IDF model {name!r}")


def _positive_column(probabilities):
    """predict_proba of a multi-output estimator gives one (n, k) array per class: take P(1)."""
    return np.column_stack([
        p[:, 1] if p.shape[1] == 2 else np.zeros(len(p)) for p in probabilities])


def _learned(estimator):
    if hasattr(estimator, "estimators_"):
        return sum(_learned(e) for e in np.ravel(estimator.estimators_))
    if hasattr(estimator, "tree_"):
        return estimator.tree_.node_count
    if hasattr(estimator, "coef_"):
        return estimator.coef_.size + np.size(estimator.intercept_)
    return estimator._fit_X.nnz  # k-NN keeps the train matrix


class TfidfModel:
    """A scikit-learn Pipeline(TfidfVectorizer, classifier) over the stemmed text."""

    kind, input, output = "tfidf", "stemmed", "scores"

    def __init__(self, classes, name, vectorizer_params=None, model_params=None, pipeline=None,
                 n_jobs=1):
        self.classes, self.name = list(classes), name
        self.pipeline = pipeline or Pipeline([
            ("tfidf", vectorizer(vectorizer_params)),
            ("clf", classifier(name, model_params, random_state=global_rng(), n_jobs=n_jobs))])
        # LinearSVC's decision_function is a margin: its own predict cuts at 0.
        self.default_threshold = 0.0 if name == "svm" else 0.5

    def fit(self, texts, y):
        self.pipeline.fit(texts, y)
        return self

    def predict_scores(self, texts):
        if self.name == "svm":
            return self.pipeline.decision_function(texts).astype(np.float64)
        scores = self.pipeline.predict_proba(texts)
        if isinstance(scores, list):
            scores = _positive_column(scores)
        return np.asarray(scores, dtype=np.float64)

    def num_parameters(self):
        """Learned numbers: idf weights plus coefficients, tree nodes or (k-NN) the stored
        non-zero train features."""
        return self.pipeline["tfidf"].idf_.size + _learned(self.pipeline["clf"])

    def save(self, directory):
        joblib.dump(self.pipeline, f"{directory}/model.joblib")
        write_json(f"{directory}/model.json", {"classes": self.classes, "name": self.name})

    @classmethod
    def load(cls, directory):
        return cls(**read_json(f"{directory}/model.json"),
                   pipeline=joblib.load(f"{directory}/model.joblib"))
