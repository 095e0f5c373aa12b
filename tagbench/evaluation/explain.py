"""Explanations for every baseline through one code path, and how faithful they are.

Where a model offers an exact reading it is used: a linear TF-IDF model's coefficient × tf-idf
of each n-gram, shared among its words (`word_weights`). Every other baseline gets word
occlusion: a tag's attribution to a word is how far the tag's score drops when that word is
removed from the raw text; one batch per text (the text and each one-word deletion), scored
through predict's Tagger. The rule-based baselines' exact reading, the aliases that matched,
is what occlusion finds for them.

Faithfulness is ERASER's comprehensiveness: delete a predicted tag's k most attributed words
and measure the tag's score drop, against deleting k random words of the same text. Score
units differ between baselines (an SVM's margin, a probability, a 0/1 label), so the measure
compared across baselines is the share of predicted tags the deletion removes (the score falls
below the baseline's own threshold). A baseline whose explanations do not beat random
deletion does not explain itself.
"""

from contextlib import nullcontext

import numpy as np

from tagbench import data
from tagbench.core.io import read_json, write_json
from tagbench.core.memo import Memo
from tagbench.core.seeding import seed_everything
from tagbench.core.thresholds import decide
from tagbench.data import artifacts

KS = (1, 3, 5)
SHOWN = 6  # test projects on the explanations page
MEASURED = 500  # the first val rows whose explanations are measured: all of the projects' 215,
               # a tenth of GoEmotions' 5,426 (about 7,500 occluded texts each)


def method(tagger):
    """How a baseline's words are weighed: its exact reading, or word occlusion."""
    exact = getattr(tagger.model, "word_weights", None)
    return "coefficient x tf-idf" if exact and exact(["x"], tagger.prepare_one) is not None \
        else "word occlusion"


def scored(memo, lists, width):
    """One array of scores per list of texts, every list's texts through memo at once."""
    sizes = [len(texts) for texts in lists]
    flat = memo([t for texts in lists for t in texts]).reshape(sum(sizes), width)
    return np.split(flat, np.cumsum(sizes)[:-1])


def attributions(tagger, texts, memo=None):
    """Per text (words, its scores, weights[i, c]): the model's exact reading when it has
    one, else word occlusion (drops[i, c]: class c's score minus its score with word i
    removed). memo: a Memo of tagger.scores, which remembers every text scored."""
    exact = getattr(tagger.model, "word_weights", None)
    words = [text.split() for text in texts]
    weights = [exact(w, tagger.prepare_one) if exact else None for w in words]
    variants = [[text] if weight is not None else
                [text] + [" ".join(w[:i] + w[i + 1:]) for i in range(len(w))]
                for text, w, weight in zip(texts, words, weights)]
    scores = scored(memo or Memo(tagger.scores), variants, len(tagger.classes))
    return [(w, s[0], s[0] - s[1:] if weight is None else weight)
            for w, s, weight in zip(words, scores, weights)]


def explain(tagger, text, top=5):
    """{tag: {"score", "words": [(word, weight), ...]}} for each tag the baseline predicts,
    its top words by attribution (positive weights only); a hybrid's tags also say which
    members gave them ("from")."""
    (words, scores, weights), = attributions(tagger, [text])
    predicted = tagger.predict([text])[0]["tags"]
    given = sources(tagger, text)
    result = {}
    for tag in predicted:
        c = tagger.classes.index(tag)
        order = np.argsort(-weights[:, c], kind="stable")[:top]
        result[tag] = {"score": round(float(scores[c]), 6),
                       "words": [(words[i], round(float(weights[i, c]), 6)) for i in order
                                 if weights[i, c] > 0]}
        if given is not None:
            result[tag]["from"] = given[c]
    return result


def sources(tagger, text):
    """A hybrid's members behind each class on one text: the learned one when its score
    alone clears the threshold, the rules when they fire; None for any other baseline."""
    split = getattr(tagger.model, "member_scores", None)
    if split is None:
        return None
    found = split([tagger.prepare_one(text)])
    config = tagger.model.config
    by_model, by_rules = decide(found["model"], tagger.threshold)[0], found["rules"][0]
    return [[name for name, gave in ((config.model, by_model[c]), (config.rules, by_rules[c]))
             if gave] for c in range(len(tagger.classes))]


def without(words, drop):
    return " ".join(w for i, w in enumerate(words) if i not in drop)


def comprehensiveness(tagger, texts, seed=0, memo=None):
    """One row per (text, predicted tag, k): [text index, k, score drop deleting the top-k
    words, the same deleting k random words, tag removed (1/0) by the top-k deletion, by the
    random one]. Every text's variants are scored together, each distinct one once (memo:
    a Memo of tagger.scores)."""
    rng = np.random.RandomState(seed)
    memo = memo or Memo(tagger.scores)
    plans = []
    for words, scores, weights in attributions(tagger, texts, memo):
        predicted = np.flatnonzero(decide(scores[None, :], tagger.threshold)[0])
        variants, keys = [], []
        for c in predicted:
            order = np.argsort(-weights[:, c], kind="stable")
            for k in KS:
                k_ = min(k, len(words))
                variants += [without(words, set(order[:k_].tolist())),
                             without(words, set(rng.choice(len(words), k_, replace=False)))]
                keys.append((c, k))
        plans.append((scores, keys, variants))
    rows = []
    deletions = scored(memo, [variants for *_, variants in plans], len(tagger.classes))
    for index, ((scores, keys, _), deleted) in enumerate(zip(plans, deletions)):
        kept = decide(deleted, tagger.threshold) if keys else deleted
        for j, (c, k) in enumerate(keys):
            rows.append([index, k, float(scores[c] - deleted[2 * j, c]),
                         float(scores[c] - deleted[2 * j + 1, c]),
                         1 - int(kept[2 * j, c]), 1 - int(kept[2 * j + 1, c])])
    return np.array(rows, dtype=float).reshape(-1, 6)


def summarise(rows, n_texts, resamples=1000, seed=0):
    """{k: {removed, removed_random, difference, difference_low, difference_high, drop,
    drop_random, pairs}} over (text, tag) pairs: the share of tags removed by deleting the
    top-k or k random words (difference: top-k minus random, with a 95% interval that
    resamples the texts) and the mean score drops (in the baseline's own score units)."""
    from tagbench.core.metrics import interval, resample_counts

    counts = resample_counts(n_texts, resamples, seed)
    result = {}
    for k in KS:
        at_k = rows[rows[:, 1] == k]
        if not len(at_k):
            result[str(k)] = None
            continue
        per_text = np.zeros((n_texts, 2))
        pairs = np.zeros(n_texts)
        np.add.at(per_text, at_k[:, 0].astype(int), at_k[:, 4:6])
        np.add.at(pairs, at_k[:, 0].astype(int), 1)
        resampled = (counts @ per_text) / np.maximum(counts @ pairs, 1)[:, None]
        low, high = interval(resampled[:, 0] - resampled[:, 1])
        means = at_k[:, 2:6].mean(axis=0)
        result[str(k)] = {
            "removed": round(means[2], 6), "removed_random": round(means[3], 6),
            "difference": round(means[2] - means[3], 6), "difference_low": round(low, 6),
            "difference_high": round(high, 6), "drop": round(means[0], 6),
            "drop_random": round(means[1], 6), "pairs": int(len(at_k))}
    return result


def terminal(explanations):
    """The readable form: one line per predicted tag, its words and their weights."""
    lines = []
    for tag, e in explanations.items():
        words = ", ".join(f"{w} ({weight:+.3f})" for w, weight in e["words"]) or "no word alone"
        given = f", from {' and '.join(e['from'])}" if e.get("from") else ""
        lines.append(f"  {tag} ({e['score']:.3f}{given}): {words}")
    return "\n".join(lines) or "  no tag"


def html_page(explanations, methods):
    """reports/explanations.html, offline: for each shown test project, every baseline's
    predicted tags with the words behind them highlighted (darker: a larger weight).
    explanations: {baseline: [{"id", "text", "tags": explain()}]}; methods: {baseline: how}."""
    from html import escape

    def highlighted(text, tags):
        weight = {}
        for e in tags.values():
            for word, w in e["words"]:
                weight[word] = max(weight.get(word, 0.0), w)
        top = max(weight.values(), default=0.0) or 1.0
        return " ".join(
            f'<mark style="background: rgba(255, 140, 0, {min(1.0, weight[w] / top):.2f})" '
            f'title="{weight[w]:+.3f}">{escape(w)}</mark>' if w in weight else escape(w)
            for w in text.split())

    def cell(item):
        tags = "".join(
            f"<li><b>{escape(tag)}</b> ({e['score']:.2f}): "
            + (", ".join(f"{escape(w)} {v:+.2f}" for w, v in e["words"]) or "no word alone")
            + "</li>" for tag, e in item["tags"].items()) or "<li>no tag</li>"
        return f"<td><p>{highlighted(item['text'], item['tags'])}</p><ul>{tags}</ul></td>"

    names = list(explanations)
    rows = [f"<tr><th>{escape(n)}<br><small>{escape(methods[n])}</small></th>"
            + "".join(cell(item) for item in explanations[n]) + "</tr>" for n in names]
    projects = next(iter(explanations.values()), [])
    head = "<tr><th>baseline</th>" + "".join(f"<th>test project {item['id']}</th>"
                                             for item in projects) + "</tr>"
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>tagbench explanations"
            "</title><style>body{font-family:sans-serif} td,th{vertical-align:top;border:1px "
            "solid #ccc;padding:6px;min-width:260px} mark{padding:0 2px}</style></head><body>"
            "<h1>Which words drove each predicted tag</h1><p>Word occlusion: a word's weight "
            "is how far the tag's score drops without it; coefficient x tf-idf: a linear "
            "model's exact reading. Darker: a larger weight.</p><table>"
            + head + "".join(rows) + "</table></body></html>\n")


def members_known(tagger):
    """A hybrid's model member looks up the texts its own evaluate stage scored (most of the
    hybrid's: the same val texts, the same one-word deletions), while it is explained."""
    reusing = getattr(tagger.model, "reusing", None)
    return reusing(artifacts.load_scored(tagger.model.config.model)) if reusing \
        else nullcontext()


def write(tagger, p):
    """One baseline's (or hybrid's) faithfulness on val (which the recommendation may read,
    so not test) and its explanations of the first test projects, written."""
    name = tagger.name
    seed_everything(p["seed"])  # the random baselines draw while being explained
    raw = {r["id"]: r["raw"] for r in read_json(data.PROCESSED)}
    splits = read_json(data.SPLITS)

    def texts(split):
        return [raw[i] for i in splits[split]]

    val, memo = texts("val")[:MEASURED], Memo(tagger.scores)
    with members_known(tagger):
        rows = comprehensiveness(tagger, val, p["seed"], memo)
    # every text scored, as the baseline reads it: its hybrids look them up (save_scored)
    artifacts.save_scored(name, dict(zip(tagger.prepare(list(memo.rows)), memo.rows.values())))
    summary = summarise(rows, len(val), p["report"]["resamples"], p["seed"])
    write_json(artifacts.faithfulness_path(name), summary)
    write_json(artifacts.explanations_path(name), {
        "method": method(tagger),
        "projects": [{"id": i, "text": t, "tags": explain(tagger, t)}
                     for i, t in zip(splits["test"][:SHOWN], texts("test")[:SHOWN])]})
    at3 = summary["3"]
    print(f"{name}: deleting the 3 most attributed words removes " + (
        f"{at3['removed']:.0%} of its tags, 3 random words {at3['removed_random']:.0%}"
        if at3 else "nothing (no tag predicted)"))

