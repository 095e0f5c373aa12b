"""Text cleaning and stemming, shared by every stage, the rule-based aliases and predict."""

import functools
import re
from importlib import resources

FILTERS = r"[!\"'#$%&()*\+,-./:;<=>?@\\\[\]^_`{|}~]"
LINK = r"https?://\S+|www\.\S+"
LESSON_LINK = r"http\S+"  # what the lesson removed, last: "http" and the word it touches


@functools.cache
def stopwords():
    """NLTK's standard English stopword list (179 words), shipped with the package."""
    text = resources.files("tagbench.data").joinpath("stopwords_en.txt").read_text()
    return tuple(text.split())


@functools.cache
def _stopword_pattern():
    return re.compile(r"\b(" + "|".join(stopwords()) + r")\b\s*")


def clean(text, lower=True, remove_stopwords=True, links="first"):
    """Drop links, lowercase, drop stopwords, punctuation and non-alphanumerics.

    links="last" removes them at the end, as the lesson did, when punctuation has already
    broken them up ("see http://x.io" became "see io"): params.lesson.yaml keeps it to
    reproduce the lesson."""
    if links == "first":
        text = re.sub(LINK, " ", text)
    if lower:
        text = text.lower()
    if remove_stopwords:
        text = _stopword_pattern().sub("", text)
    text = re.sub(r"([-;;.,!?<=>])", r" \1 ", text)  # space out punctuation
    text = re.sub(FILTERS, "", text)
    text = re.sub("[^A-Za-z0-9]+", " ", text)
    text = re.sub(" +", " ", text).strip()
    return re.sub(LESSON_LINK, "", text) if links == "last" else text


@functools.cache
def _stemmer():
    """NLTK's Porter stemmer, imported on first use: importing nltk takes ~2 s (it pulls in
    scipy and scikit-learn), which `tagbench predict` with an unstemmed baseline never needs."""
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@functools.lru_cache(maxsize=100_000)
def _stem_word(word):
    return _stemmer().stem(word)


def stem(text):
    """Porter-stem every space-separated word (the same function stems texts and aliases)."""
    return " ".join(_stem_word(word) for word in text.split(" "))


def prepare(raw, options, form="cleaned"):
    """Raw text as a baseline reads it (form: its config's input): as written (raw), cleaned
    with the pipeline's `text` params (the preprocess stage), or cleaned then stemmed (the
    stem stage)."""
    if form == "raw":
        return raw.strip()
    cleaned = clean(raw, lower=options["lower"], remove_stopwords=options["stopwords"],
                    links=options.get("links", "last"))  # a model saved before the option: last
    return stem(cleaned) if form == "stemmed" else cleaned
