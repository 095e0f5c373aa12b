"""The `tagbench` command."""

import argparse
import json
import sys
from pathlib import Path

from tagbench import lesson, lockcheck, params, report
from tagbench.errors import TagbenchError, exits_cleanly
from tagbench.io import read_json, write_text


def cmd_baselines(args):
    """List every baseline in params.yaml with its test macro F1, or how to build it."""
    for name in params.load()["baselines"]:
        path = report.METRICS / f"{name}.json"
        if path.exists():
            f1 = read_json(path)["test"]["f1"]
            print(f"{name:24s} test macro F1 {f1:.3f}")
        else:
            print(f"{name:24s} not built: dvc repro evaluate@{name}")


def cmd_readme(args):
    """Regenerate the README's results table from metrics/*.json."""
    path = Path(args.path)
    table = report.results_table(params.load()["baselines"])
    path.write_text(report.replace_block(path.read_text(), "results", table))
    print(f"updated the results table in {path}")


def cmd_preset(args):
    """Print the `dvc exp run -S ...` flags that apply a params preset file."""
    print(" ".join(params.set_flags(args.path)))


def cmd_lesson_report(args):
    """Write the lesson reproduction table from the workspace's metrics (run under the
    lesson preset: make reproduce-lesson)."""
    p = params.load()
    if p["data"]["version"] != "v0" or p["split"]["method"] != "lesson":
        raise TagbenchError("the workspace is not a lesson run (data.version=v0, "
                            "split.method=lesson): run `make reproduce-lesson`")
    def test_f1(name):
        return read_json(report.METRICS / f"{name}.json")["test"]["f1"]

    others = [n for n in p["baselines"] if n not in lesson.REPRODUCED and n in lesson.PUBLISHED_F1
              and (report.METRICS / f"{n}.json").exists()]
    write_text(args.out, lesson.reproduction_report(
        {n: test_f1(n) for n in lesson.REPRODUCED}, {n: test_f1(n) for n in others}))
    print(f"wrote {args.out}")


def cmd_check_lock(args):
    """Fail when dvc.lock does not describe the committed code, params and data."""
    stale = lockcheck.stale_stages(lockcheck.dvc_status())
    for stage, reasons in stale.items():
        print(f"{stage}: {', '.join(reasons)}")
    if stale:
        raise TagbenchError(f"dvc.lock is stale for {len(stale)} stage(s): "
                            f"{', '.join(stale)}; run `dvc repro` and commit dvc.lock and "
                            "metrics/")
    print("dvc.lock matches the code, params and data")


def _read_lines(source):
    if source == "-":
        return sys.stdin.buffer.read().split(b"\n")
    try:
        return Path(source).read_bytes().split(b"\n")
    except OSError as e:
        raise TagbenchError(f"{source}: cannot read ({e.strerror})") from None


def cmd_predict(args):
    """Tag text with a trained baseline (default: the best on val)."""
    from tagbench.predict import Tagger, parse_line, recommended

    names = params.load()["baselines"]
    name = args.baseline or recommended(names)
    if name not in names:
        raise TagbenchError(f"unknown baseline {name!r}; known: {', '.join(names)}")
    tagger = Tagger(name)
    if args.text:
        texts = [parse_line(t, i, jsonl=False) for i, t in enumerate(args.text, 1)]
        for result in tagger.predict(texts, top=args.top):
            print(_format(result, args))
        return
    texts, numbers, bad = [], [], 0
    for number, raw in enumerate(_read_lines(args.file), 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
            texts.append(parse_line(line, number, args.jsonl))
            numbers.append(number)
        except UnicodeDecodeError:
            bad += 1
            print(f"error: line {number}: not UTF-8 text", file=sys.stderr)
        except TagbenchError as e:
            bad += 1
            print(f"error: {e}", file=sys.stderr)
    for start in range(0, len(texts), args.batch_size):
        chunk = texts[start:start + args.batch_size]
        for text, result in zip(chunk, tagger.predict(chunk, top=args.top)):
            print(json.dumps({"text": text, **result}))
    if bad:
        raise TagbenchError(f"{bad} input line(s) could not be tagged (see above)")


def _format(result, args):
    if args.probs or args.top:
        shown = result["scores"] if args.top else {t: result["scores"][t] for t in result["tags"]}
        return ", ".join(f"{tag} ({score:.3f})" for tag, score in shown.items())
    return ", ".join(result["tags"])


def parser():
    p = argparse.ArgumentParser(
        prog="tagbench", description="Train and compare baselines for tagging ML projects. "
        "The pipeline itself runs with `dvc repro`; these commands read its outputs.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("baselines", help=cmd_baselines.__doc__).set_defaults(func=cmd_baselines)
    readme = sub.add_parser("readme", help=cmd_readme.__doc__)
    readme.add_argument("path", nargs="?", default="README.md")
    readme.set_defaults(func=cmd_readme)
    preset = sub.add_parser("preset", help=cmd_preset.__doc__)
    preset.add_argument("path")
    preset.set_defaults(func=cmd_preset)
    lesson_report = sub.add_parser("lesson-report", help=cmd_lesson_report.__doc__)
    lesson_report.add_argument("--out", default="reports/lesson_reproduction.md")
    lesson_report.set_defaults(func=cmd_lesson_report)
    sub.add_parser("check-lock", help=cmd_check_lock.__doc__).set_defaults(func=cmd_check_lock)
    predict = sub.add_parser("predict", help=cmd_predict.__doc__)
    predict.add_argument("text", nargs="*", help="texts to tag (else --file)")
    predict.add_argument("--baseline", help="a trained baseline (default: best val macro F1)")
    predict.add_argument("--file", default="-", help="one text per line; - is stdin")
    predict.add_argument("--jsonl", action="store_true",
                         help="input lines are JSON objects with title and description")
    predict.add_argument("--probs", action="store_true", help="show the predicted tags' scores")
    predict.add_argument("--top", type=int, default=0, help="show the K best tags with scores")
    predict.add_argument("--batch-size", type=int, default=64)
    predict.set_defaults(func=cmd_predict)
    return p


@exits_cleanly
def main(argv=None):
    args = parser().parse_args(argv)
    args.func(args)
