"""Input that tries to break things (hypothesis): `predict --jsonl` lines, the dataset
readers and params values. Every bad input ends in one line naming the problem, exit 2; the
good lines of a batch are still answered; no traceback. Derandomized, so a run is
reproducible, with a bounded number of examples each."""

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from tagbench import cli
from tagbench.core.errors import TagbenchError
from tagbench.data import readers
from tagbench.evaluation import params
from tagbench.runs import tune


def fuzz(examples):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
HOSTILE = [b"\x00", b'{"text": "a\\u0000b"}', b'{"text": "\\ud800 lone"}',
           b'{"text": "' + b"x" * 1_048_576 + b'"}', b"[" * 100_000 + b"]" * 100_000,
           b'{"title": {"nested": [1, 2]}}', b"\xed\xa0\x80", b'"just a string"', b"null",
           b"1e999999", b'{"title": 1e400}']
LINES = st.one_of(
    st.binary(max_size=40),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({}, optional={"title": JSON, "description": JSON, "text": JSON})
      .map(lambda v: json.dumps(v).encode()),
    st.sampled_from(HOSTILE))


class Echo:
    """A tagger that answers every text: what the batch code does around the model."""
    name = "echo"

    def predict(self, texts, top=None):
        for text in texts:
            text.encode("utf-8")  # what any real model, and stdout, will need
        return [{"tags": ["x"], "scores": {"x": 1.0}} for _ in texts]


def run(main_args, capsys):
    try:
        cli.main(main_args)
        code = 0
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@fuzz(40)
@given(lines=st.lists(LINES, min_size=1, max_size=6))
def test_predict_jsonl_answers_good_lines_and_names_each_bad_one(lines, capsys, monkeypatch,
                                                                  tmp_path):
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(cli, "chosen_tagger", lambda name: Echo())
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    code, out, err = run(["predict", "--jsonl", "--file", str(batch)], capsys)
    answered = [json.loads(line) for line in out.splitlines()]
    problems = err.splitlines()
    assert "Traceback" not in err
    assert all(p.startswith("error: ") for p in problems)
    assert code == (2 if problems else 0)
    numbered = [p for p in problems if p.startswith("error: line ")]
    # one line per bad input line, one summary, and every other non-blank line answered
    blank = sum(not raw.strip() for chunk in lines for raw in chunk.split(b"\n"))
    total = sum(len(chunk.split(b"\n")) for chunk in lines)
    assert len(answered) + len(numbered) == total - blank
    assert len(problems) == len(numbered) + (1 if numbered else 0)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_each_hostile_line_is_one_line_and_exit_2(hostile, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(cli, "chosen_tagger", lambda name: Echo())
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(hostile + b'\n{"text": "graph neural networks"}\n')
    code, out, err = run(["predict", "--jsonl", "--file", str(batch)], capsys)
    assert code == 2 and len(out.splitlines()) == 1
    assert err.splitlines()[0].startswith("error: line 1: ") and len(err.splitlines()) == 2


CELL = st.text(alphabet=string.printable + "\x00\u00e9\u2028\"'", max_size=12)
DATASET = {"dir": ".", "files": "data", "format": None, "text": ["title"], "labels": "tags",
           "label_format": "delimited", "label_sep": ",", "labels_file": None, "id": None,
           "split": None, "date": None, "vocabulary": None, "columns": [],
           "unlabeled": "drop"}


def read(tmp_path, fmt, content):
    (tmp_path / "data").write_bytes(content)
    return readers.read_dataset({**DATASET, "dir": str(tmp_path), "format": fmt})


@fuzz(60)
@given(fmt=st.sampled_from(["csv", "tsv"]),
       rows=st.lists(st.lists(CELL, min_size=0, max_size=4), max_size=4),
       header=st.sampled_from([b"title,tags\n", b"title\ttags\n", b"tags\n", b""]))
def test_delimited_files_load_or_fail_in_one_line(fmt, rows, header, tmp_path):
    sep = "," if fmt == "csv" else "\t"
    body = "\n".join(sep.join(row) for row in rows).encode("utf-8", "surrogatepass")
    try:
        rows, vocabulary, _ = read(tmp_path, fmt, header + body)
    except TagbenchError as e:
        assert "\n" not in str(e) and str(tmp_path / "data") in str(e)
        return
    assert all(r["text"] and isinstance(r["text"], str) for r in rows)


@fuzz(60)
@given(lines=st.lists(st.one_of(LINES, st.fixed_dictionaries(
    {"title": st.text(max_size=8), "tags": st.one_of(st.text(max_size=8), JSON)},
    optional={"id": JSON}).map(lambda v: json.dumps(v).encode())), max_size=5),
    fmt=st.sampled_from(["jsonl", "json"]))
def test_json_files_load_or_fail_in_one_line(lines, fmt, tmp_path):
    content = b"\n".join(lines) if fmt == "jsonl" else b"[" + b",".join(lines) + b"]"
    try:
        rows, _, _ = read(tmp_path, fmt, content)
    except TagbenchError as e:
        assert "\n" not in str(e) and str(tmp_path / "data") in str(e)
        return
    assert all(r["text"] and isinstance(r["text"], str) for r in rows)


def keys(tree, prefix=""):
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            yield from keys(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


PARAMS = params.load(REPO / "params.yaml")


@fuzz(100)
@given(key=st.sampled_from(sorted(keys(PARAMS))), value=JSON)
def test_params_values_of_any_type_pass_or_fail_in_one_line(key, value):
    """Any JSON value at any key, set as a sweep sets it (`tune.check_grid`): it passes the
    declaration, or one line names the key."""
    try:
        tune.check_grid({key: [value]}, PARAMS)
    except TagbenchError as e:
        assert "\n" not in str(e)
        assert key.split(".")[-1] in str(e) or "baseline" in str(e), str(e)


def test_labels_ids_out_of_range_are_refused(tmp_path):
    (tmp_path / "labels.txt").write_text("a\nb\n")
    (tmp_path / "data").write_text('{"title": "x", "tags": [-1]}\n')
    d = {**DATASET, "dir": str(tmp_path), "format": "jsonl", "label_format": "ids",
         "labels_file": "labels.txt"}
    with pytest.raises(TagbenchError, match="label id -1"):
        readers.read_dataset(d)
