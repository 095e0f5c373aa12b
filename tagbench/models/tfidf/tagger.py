"""TF-IDF features feeding one scikit-learn classifier (which one: the config's dataclass)."""

from functools import cached_property

import numpy as np
from scipy.special import expit
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils import check_random_state

from tagbench.core.errors import TagbenchError
from tagbench.models import Tagger
from tagbench.models.shared.persist import load_sklearn, save_sklearn


def vectorizer(c):
    return TfidfVectorizer(
        analyzer=c.analyzer, ngram_range=(c.ngram_min, c.ngram_max), min_df=c.min_df,
        max_df=c.max_df, sublinear_tf=c.sublinear_tf, max_features=c.max_features or None)


# The scikit-learn estimator each TF-IDF config asks for (its dataclass's `classifier`).
# One-vs-rest fits its tags one after another: in worker processes, each fitted estimator
# would come back unpickled with its own copies of shared strings, grouped by how joblib
# batched the jobs, and the saved model would change bytes from run to run (in threads,
# LinearSVC's C-level RNG is shared).
CLASSIFIERS = {
    "logreg": lambda c, rng, n_jobs: OneVsRestClassifier(LogisticRegression(
        C=c.C, class_weight=c.class_weight, max_iter=c.max_iter)),
    "knn": lambda c, rng, n_jobs: KNeighborsClassifier(
        n_neighbors=c.n_neighbors, weights=c.weights, metric=c.metric),
    "rf": lambda c, rng, n_jobs: RandomForestClassifier(
        n_estimators=c.n_estimators, max_depth=c.max_depth, min_samples_leaf=c.min_samples_leaf,
        class_weight=c.class_weight, random_state=rng, n_jobs=n_jobs),
    "gbm": lambda c, rng, n_jobs: OneVsRestClassifier(GradientBoostingClassifier(
        n_estimators=c.n_estimators, learning_rate=c.learning_rate, max_depth=c.max_depth,
        random_state=rng)),
    "svm": lambda c, rng, n_jobs: OneVsRestClassifier(LinearSVC(
        C=c.C, class_weight=c.class_weight, random_state=rng)),
    "nb": lambda c, rng, n_jobs: OneVsRestClassifier(ComplementNB(alpha=c.alpha)),
}


# What each classifier's saved Pipeline may hold, beyond persist.PLAIN: loading refuses
# anything else (tests/test_baselines.py saves and loads each).
_PIPELINE = ("sklearn.pipeline.Pipeline", "sklearn.feature_extraction.text.TfidfVectorizer",
             "sklearn.feature_extraction.text.TfidfTransformer")
# A tag with one class in train gets a _ConstantPredictor.
_OVR = ("sklearn.multiclass.OneVsRestClassifier", "sklearn.preprocessing._label.LabelBinarizer",
        "sklearn.multiclass._ConstantPredictor")
_RNG = "numpy.random.mtrand.RandomState"
TYPES = {
    "logreg": (*_PIPELINE, *_OVR, "sklearn.linear_model._logistic.LogisticRegression"),
    "knn": (*_PIPELINE, "sklearn.neighbors._classification.KNeighborsClassifier",
            "scipy.sparse._csr.csr_matrix"),
    "rf": (*_PIPELINE, _RNG, "sklearn.ensemble._forest.RandomForestClassifier",
           "sklearn.tree._classes.DecisionTreeClassifier", "sklearn.tree._tree.Tree"),
    "gbm": (*_PIPELINE, *_OVR, _RNG, "sklearn.ensemble._gb.GradientBoostingClassifier",
            "sklearn.dummy.DummyClassifier", "sklearn.tree._classes.DecisionTreeRegressor",
            "sklearn.tree._tree.Tree", "sklearn._loss.loss.HalfBinomialLoss",
            "sklearn._loss._loss.CyHalfBinomialLoss", "sklearn._loss.link.LogitLink",
            "sklearn._loss.link.Interval"),
    "svm": (*_PIPELINE, *_OVR, _RNG, "sklearn.svm._classes.LinearSVC"),
    "nb": (*_PIPELINE, *_OVR, "sklearn.naive_bayes.ComplementNB"),
}


def boosted_trees(clf):
    """Every tree of a one-vs-rest gradient boosting classifier (none for the others)."""
    return [tree for model in getattr(clf, "estimators_", [])
            for tree in getattr(model, "estimators_", np.empty(0)).ravel()]


def classifier(c, random_state, n_jobs=1):
    """The estimator a TF-IDF config asks for; an unknown one is refused, never replaced."""
    if c.classifier not in CLASSIFIERS:
        raise TagbenchError(f"{type(c).__name__}.classifier = {c.classifier!r}: known "
                            f"classifiers are {', '.join(CLASSIFIERS)}")
    return CLASSIFIERS[c.classifier](c, random_state, n_jobs)


def _positive_column(probabilities):
    """predict_proba of a multi-output estimator gives one (n, k) array per class: take P(1)."""
    return np.column_stack([
        p[:, 1] if p.shape[1] == 2 else np.zeros(len(p)) for p in probabilities])


def _learned(estimator):
    if hasattr(estimator, "estimators_"):  # a list, or (gradient boosting) an array of trees
        parts = estimator.estimators_
        return sum(_learned(e) for e in (parts.ravel() if isinstance(parts, np.ndarray) else
                                         parts))
    if hasattr(estimator, "tree_"):
        return estimator.tree_.node_count
    if hasattr(estimator, "feature_log_prob_"):  # naive Bayes: per class, each feature's weight
        return estimator.feature_log_prob_.size + estimator.class_log_prior_.size
    if hasattr(estimator, "coef_"):
        return estimator.coef_.size + np.size(estimator.intercept_)
    return 1  # a tag constant in train: the one value it predicts


class TfidfTagger(Tagger):
    """A scikit-learn Pipeline(TfidfVectorizer, classifier).

    The classifiers draw from numpy's global RandomState, which the training stage seeds, as
    the lesson's did with random_state=None; it is passed as an object
    (check_random_state(None)), so that a random forest draws its trees' seeds from it in
    this process, before any thread fits a tree."""

    def __init__(self, classes, config, n_jobs=1, pipeline=None, train_nonzeros=0):
        super().__init__(classes, config)
        self.pipeline = pipeline or Pipeline([
            ("tfidf", vectorizer(config.vectorizer)),
            ("clf", classifier(config, check_random_state(None), n_jobs))])
        self.train_nonzeros = train_nonzeros  # what k-NN stores: the train matrix
        # LinearSVC's decision_function is a margin: its own predict cuts at 0.
        self.default_threshold = 0.0 if config.classifier == "svm" else 0.5

    @classmethod
    def create(cls, classes, config, run):
        return cls(classes, config, n_jobs=run.threads)

    def fit(self, texts, y, val=None, live=None):
        features = self.pipeline["tfidf"].fit_transform(texts)
        self.pipeline["clf"].fit(features, y)
        self.train_nonzeros = int(features.nnz)
        for cached in ("stacked", "reading"):
            vars(self).pop(cached, None)
        return self

    @cached_property
    def stacked(self):
        """(coefficients, intercepts) of the linear model of every tag, stacked, or None (not
        linear, or a tag without a model): one product scores all tags, the same numbers bit
        for bit as each model's own, without scikit-learn's checks per model and call (35
        models: 7 of the 8 ms a single text took)."""
        estimators = getattr(self.pipeline["clf"], "estimators_", [])
        if self.config.classifier not in ("logreg", "svm") or \
                not all(hasattr(e, "coef_") for e in estimators):
            return None
        return self.reading[1], np.array([e.intercept_[0] for e in estimators])

    def predict_scores(self, texts):
        if self.stacked is not None:
            coef, intercept = self.stacked
            margin = np.asarray(self.pipeline["tfidf"].transform(texts) @ coef.T) + intercept
            return margin if self.config.classifier == "svm" else expit(margin)
        if self.config.classifier == "svm":
            return self.pipeline.decision_function(texts).astype(np.float64)
        scores = self.pipeline.predict_proba(texts)
        if isinstance(scores, list):
            scores = _positive_column(scores)
        return np.asarray(scores, dtype=np.float64)

    @cached_property
    def reading(self):
        """(each feature's n-gram, every tag's coefficient on it: 0 for a constant tag), taken
        once: sorting the vocabulary again for each explained text took half of evaluate@'s
        time on GoEmotions (58k n-grams)."""
        names = self.pipeline["tfidf"].get_feature_names_out()
        return names, np.vstack([getattr(e, "coef_", np.zeros((1, len(names))))[0]
                                 for e in self.pipeline["clf"].estimators_])

    def word_weights(self, words, prepare):
        """The exact reading of a linear classifier over word n-grams: each feature's
        coefficient × tf-idf value in this text, shared among the words it is made of;
        (len(words), classes). None for the other classifiers and analyzers.
        prepare: a raw text -> the text this model reads."""
        if self.config.classifier not in ("logreg", "svm") or \
                self.config.vectorizer.analyzer != "word":
            return None
        x = self.pipeline["tfidf"].transform([prepare(" ".join(words))]).tocoo()
        (names, coef), forms = self.reading, [prepare(w) for w in words]
        weights = np.zeros((len(words), len(self.classes)))
        for feature, value in zip(x.col, x.data):
            tokens = names[feature].split()
            owners = [i for i, form in enumerate(forms) if form and form in tokens]
            if owners:
                weights[owners] += value * coef[:, feature] / len(owners)
        return weights

    def num_parameters(self):
        """Learned numbers: idf weights plus coefficients, tree nodes or (k-NN) the stored
        non-zero train features."""
        clf = self.pipeline["clf"]
        learned = self.train_nonzeros if self.config.classifier == "knn" else _learned(clf)
        return self.pipeline["tfidf"].idf_.size + learned

    def save(self, directory):
        # Two attributes differ from process to process: stop_words_, a set pickled in hash
        # order and kept for introspection only, and _stop_words_id, the memory address of
        # the stop-word list, a cache of a check that is meaningless after loading. Both go,
        # and the artifact is the same bytes each time the model is trained.
        vectorizer = self.pipeline["tfidf"]
        vectorizer.stop_words_ = None
        vars(vectorizer).pop("_stop_words_id", None)
        # Each boosted tree keeps the generator its ensemble drew from as its random_state,
        # which skops writes once per tree: 7,000 copies of 2.5 KB, 19 of the 26 MB and a
        # third of the time to save and load. A fitted tree never draws again.
        for tree in boosted_trees(self.pipeline["clf"]):
            tree.random_state = None
        save_sklearn(self.pipeline, f"{directory}/model.skops")
        self.save_config(directory, train_nonzeros=self.train_nonzeros)

    @classmethod
    def load(cls, directory):
        classes, config, state = cls.read_config(directory)
        pipeline = load_sklearn(f"{directory}/model.skops", TYPES[config.classifier])
        # A loaded model tags a few texts a call: in one thread. joblib's threads cost a
        # forest 70 ms a call, waiting, more than its 100 trees take on one project.
        if "n_jobs" in pipeline["clf"].get_params(deep=False):
            pipeline["clf"].set_params(n_jobs=1)
        return cls(classes, config, pipeline=pipeline, **state)
