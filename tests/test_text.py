import pytest

from tagbench.data import text


@pytest.mark.parametrize("raw, cleaned", [
    ("Hello, World!", "hello world"),
    ("State-of-the-art GANs: a survey.", "state art gans survey"),
    ("Computer Vision with PyTorch", "computer vision pytorch"),
    ("This is the best of all the models", "best models"),
    ("C++/CUDA kernels (fast!)", "ccuda kernels fast"),  # "/" is dropped, not spaced
    ("see https://github.com/x for code", "see code"),
    ("Code at https://github.com/a/b and CUDA.", "code cuda"),
    ("see http://x.io", "see"),
    ("docs at www.example.org/guide.", "docs"),
    ("   lots   of    spaces   ", "lots spaces"),
])
def test_clean_exact_strings(raw, cleaned):
    assert text.clean(raw) == cleaned


def test_the_lessons_order_removes_links_last():
    """params.lesson.yaml reproduces the lesson's cleaning: links removed after punctuation
    broke them up."""
    assert text.clean("see http://x.io", links="last") == "see  io"
    assert text.clean("Code at https://github.com/a/b and CUDA.", links="last") == "code  comb cuda"


def test_clean_switches():
    assert text.clean("The Model", lower=False, remove_stopwords=False) == "The Model"
    assert text.clean("The Model", lower=True, remove_stopwords=False) == "the model"


def test_stopword_list_is_nltks_179_words():
    words = text.stopwords()
    assert len(words) == 179 and len(set(words)) == 179
    assert {"the", "and", "wouldn't", "ourselves"} <= set(words)
    assert "computer" not in words and "vision" not in words


def test_stem():
    assert text.stem("gans") == "gan"
    assert text.stem("democracies") == "democraci"
    assert text.stem(text.clean("Generative adversarial networks")) == "gener adversari network"
