"""The `tagbench` command."""

import argparse
import json
import sys
import textwrap
from pathlib import Path

from tagbench.core import params
from tagbench.core.errors import TagbenchError, exits_cleanly
from tagbench.core.io import read_json, write_json, write_text
from tagbench.data import artifacts
from tagbench.evaluation import params as full
from tagbench.report import lesson, readme, recommend, seeds
from tagbench.runs import flags, lockcheck


def cmd_baselines(args):
    """List every baseline in params.yaml with its val and test macro F1, its F1 on the
    future set (when the data has one), latency and size (from the tradeoff report) and,
    where a seed moves it, its test macro F1 over the noise floor's model seeds; or the
    command that builds it."""
    p = full.load()
    names = params.every_baseline(p)
    tradeoffs = recommend.tradeoff_rows()
    recommended = recommend.recommended_baseline(names)
    spread = seeds.committed()
    for name in names:
        path = artifacts.metrics_path(name)
        if not path.exists():
            stage = "hybrid" if name in p["hybrids"] else "evaluate"
            print(f"{name:24s} not built: dvc repro {stage}@{name}")
            continue
        scored = read_json(path)
        line = (f"{name:24s} val macro F1 {scored['val']['f1']:.3f}  test macro F1 "
                f"{scored['test']['f1']:.3f}")
        if "future" in scored:
            line += f"  future set F1 {readme.future_cell(scored['future'])}"
        if name in tradeoffs:
            row = tradeoffs[name]
            line += f"  {row['latency_ms']:7.2f} ms/project  {row['size_mb']:8.2f} MB"
        if name in spread:
            line += f"  seeds {seeds.cell(spread[name])}"
        print(line + ("  (recommended)" if name == recommended else ""))
    if not tradeoffs:
        print("latency and size: run `dvc repro report`")


def cmd_readme(args):
    """Regenerate the README's results table (metrics/baselines/) and the copies of the
    tradeoff report, the noise floor and the data-version comparison (reports/) in the README
    and docs/."""
    names = params.every_baseline(full.load())
    documents = {"README.md": {"results": readme.results_table(names)}}
    for block, (_, _, document) in readme.README_COPIES.items():
        documents.setdefault(document, {})[block] = readme.readme_copy(block)
    for document, blocks in documents.items():
        path = Path(document)
        text = path.read_text(encoding="utf-8")
        for block, content in blocks.items():
            text = readme.replace_block(text, block, content)
        path.write_text(text, encoding="utf-8")
        print(f"updated {', '.join(blocks)} in {path}")


def cmd_plots_template(args):
    """Write the offline HTML template for `dvc plots show` from the npm packages."""
    from tagbench.pipeline.vega import offline_template

    offline_template(args.node_modules, args.out)
    print(f"wrote {args.out}")


def cmd_tune(args):
    """Queue a grid for one baseline as DVC experiments, run it, rank it by val macro F1;
    or, spread over machines, run one point of it and rank what the others pushed."""
    from tagbench.runs import tune

    if args.baseline not in full.load()["baselines"]:
        raise TagbenchError(f"unknown baseline {args.baseline!r}")
    grid = tune.default_grid(args.baseline)
    if args.points:  # a CI job matrix: one job per point
        print(json.dumps(list(range(1, len(tune.points(grid)) + 1))))
        return
    if args.push is not None and not args.point:
        raise TagbenchError("--push goes with --point: the experiment of one point")
    if args.point:
        tune.run_point(args.baseline, grid, args.point, args.push)
        return
    if args.rank is not None:  # "" too: refused as a remote, not read as no --rank
        names = tune.pull_points(args.baseline, grid, args.rank)
    else:
        names = tune.queue(args.baseline, grid)
        print(f"queued {len(names)} experiment(s): {', '.join(names)}", flush=True)
        tune.run_queue(jobs=args.jobs)
    print(tune.table_markdown(tune.ranked(args.baseline, list(grid), names)))
    print("keep the best: `dvc exp apply <experiment>`, then `dvc repro` and commit")


def cmd_compare(args):
    """Every baseline's test macro F1 in two revisions (git revisions, experiments or the
    workspace), the difference with a 95% bootstrap interval, and a verdict against noise."""
    from tagbench.runs import compare, revisions

    if args.seeds:
        from tagbench.runs import replicate

        if args.check:
            raise TagbenchError("--check compares one reproduction with its commit: use it "
                                "without --seeds")
        result = replicate.replicated(args.a, args.b, args.seeds, args.resamples,
                                      args.baselines, args.jobs)
    else:
        result = compare.compare(args.a, args.b, resamples=args.resamples)
    if args.comment:
        stages = compare.rerun(revisions.resolve(args.a), revisions.resolve(args.b))
        print(compare.comment(result, stages), end="")
    else:
        print(compare.markdown(result), end="")
    if args.check:
        failures = compare.reproduction_failures(result)
        for line in failures:
            print(line, file=sys.stderr)
        if failures:
            raise TagbenchError(f"{len(failures)} baseline(s) moved beyond what they are held to "
                                f"between {args.a} and {args.b} (see above)")
        print(f"every baseline of {args.b} reproduces {args.a}: identical where exact, "
              f"else within its floor")


def cmd_published(args):
    """Write a run on a public dataset against its published results (reports/<dataset>.md)."""
    from tagbench.runs import published

    write_text(args.out, published.markdown(args.rev, published.load(args.published),
                                            args.resamples))
    print(f"wrote {args.out}")


def cmd_versions(args):
    """Write reports/dataset_versions.md from two runs kept in git (a commit, an experiment
    or the workspace on each data version)."""
    from tagbench.runs import versions

    a, b = versions.side(args.a, args.resamples, 0), versions.side(args.b, args.resamples, 0)
    change = versions.relabelling(a["dataset"], b["dataset"])
    write_text(args.out, versions.markdown(a, b, change, versions.best_on_val(a)))
    print(f"wrote {args.out}")


def cmd_noise_floor(args):
    """Keep a noise run's metrics/noise.json (from an experiment or revision) as the
    committed noise floor: reports/noise_floor.json and .md (`make noise` calls it). A run
    that covered some baselines replaces their rows and keeps the others'."""
    from tagbench.runs import revisions
    from tagbench.studies import noise

    commit = revisions.resolve(args.rev)
    ran = (params.parse_yaml(revisions.read_at(commit, "params.yaml") or "{}") or {}).get(
        "noise", {}).get("baselines") or []
    texts = [revisions.read_at(commit, artifacts.noise_path(name)) for name in ran]
    if not ran or None in texts:
        raise TagbenchError(f"{args.rev} has no noise run in {artifacts.NOISE}/: run "
                            f"`make noise`")
    result = noise.combined(json.loads(text) for text in texts)
    kept = read_json(artifacts.NOISE_FLOOR) if artifacts.NOISE_FLOOR.exists() else None
    result = noise.merge(kept, result, f"{args.rev} ({commit[:10]})")
    write_json(artifacts.NOISE_FLOOR, result)
    write_text(artifacts.NOISE_FLOOR.with_suffix(".md"), noise.markdown(result))
    print(f"wrote {artifacts.NOISE_FLOOR} and its .md")


def cmd_float_drift(args):
    """Rebuild every baseline under other float paths (DVC experiments of HEAD) and keep how
    far each moved as reports/float_drift.json and .md (`make drift` calls it)."""
    from tagbench.runs import float_drift

    float_drift.measure(args.paths or tuple(float_drift.PATHS), args.of)
    print(f"wrote {artifacts.FLOAT_DRIFT} and its .md")


def cmd_float_path(args):
    """Print one float path's environment: `env $(tagbench float-path) dvc repro` rebuilds as
    CI's simulated second machine does."""
    from tagbench.runs import float_drift

    print(float_drift.environment(args.path or float_drift.SECOND_MACHINE))


def cmd_preset(args):
    """Print the `dvc exp run -S ...` flags that apply a params preset file."""
    printed(*flags.set_flags(args.path))


def cmd_only(args):
    """Print the `dvc exp run -S ...` flags that narrow a run to the baselines named (their
    hybrids too, when both members are in): `dvc exp run $(tagbench only a b c)`."""
    printed(*flags.only(args.names, full.load()))


def printed(flagged, notes):
    """Flags on stdout for `$(...)`, a line per note on stderr."""
    for note in notes:
        print(note, file=sys.stderr)
    print(" ".join(flagged))


def cmd_lesson_report(args):
    """Write the lesson reproduction table from the workspace's metrics (run under the
    lesson preset: make reproduce-lesson)."""
    p = full.load()
    if p["dataset"]["dir"] != "data/raw/v0" or p["split"]["method"] != "lesson":
        raise TagbenchError("the workspace is not a lesson run (dataset.dir=data/raw/v0, "
                            "split.method=lesson): run `make reproduce-lesson`")
    def test_f1(name):
        return read_json(artifacts.metrics_path(name))["test"]["f1"]

    others = [n for n in p["baselines"] if n not in lesson.REPRODUCED and n in lesson.PUBLISHED_F1
              and (artifacts.metrics_path(n)).exists()]
    write_text(args.out, lesson.reproduction_report(
        {n: test_f1(n) for n in lesson.REPRODUCED}, {n: test_f1(n) for n in others}))
    print(f"wrote {args.out}")


def cmd_check_lock(args):
    """Fail when a stage's code deps do not follow its imports, or when dvc.lock does not
    describe the committed code, params and data."""
    from tagbench.pipeline import stagedeps

    wrong = stagedeps.mismatches(".", stagedeps.dvc_stages("."))
    for stage, problems in wrong.items():
        print(f"{stage}: {'; '.join(problems)}")
    if wrong:
        raise TagbenchError(f"dvc.yaml's deps do not follow the imports of {len(wrong)} "
                            f"stage(s): {', '.join(wrong)}; fix their deps in dvc.yaml")
    print("dvc.yaml's code deps follow every stage's imports")
    stale = lockcheck.stale_stages(lockcheck.dvc_status())
    for stage, reasons in stale.items():
        print(f"{stage}: {', '.join(reasons)}")
    if stale:
        raise TagbenchError(f"dvc.lock is stale for {len(stale)} stage(s): "
                            f"{', '.join(stale)}; run `dvc repro` and commit dvc.lock and "
                            "metrics/")
    print("dvc.lock matches the code, params and data")


def positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def at_least_two(text):
    value = positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"{text!r}: at least 2 seeds (1 is the comparison "
                                         f"without --seeds)")
    return value


def names_list(text):
    names = [n for n in text.split(",") if n]
    if not names or any(n.startswith("-") for n in names):
        raise argparse.ArgumentTypeError(f"{text!r}: baseline names, separated by commas")
    return names


def _read_lines(source):
    if source == "-":
        return sys.stdin.buffer.read().split(b"\n")
    try:
        return Path(source).read_bytes().split(b"\n")
    except OSError as e:
        raise TagbenchError(f"{source}: cannot read ({e.strerror})") from None


def chosen_tagger(baseline):
    """The named trained baseline, or the report's recommendation."""
    from tagbench.predict import Predictor

    names = params.every_baseline(full.load())
    name = baseline or recommend.recommended_baseline(names)
    if name is None:
        raise TagbenchError("no trained baseline: run `dvc repro`")
    if name not in names:
        raise TagbenchError(f"unknown baseline {name!r}; known: {', '.join(names)}")
    return Predictor(name)


def cmd_explain(args):
    """For each tag a baseline predicts, the words that drove it (word occlusion: how far the
    tag's score drops without each word), as text or JSON."""
    from tagbench.evaluation import explain
    from tagbench.predict import parse_line

    tagger = chosen_tagger(args.baseline)
    texts = [parse_line(t, i) for i, t in enumerate(args.text, 1)]
    for text in texts:
        explained, how = explain.explain(tagger, text, top=args.words), explain.method(tagger)
        if args.json:
            print(json.dumps({"text": text, "baseline": tagger.name, "method": how,
                              "tags": explained}))
        else:
            print(f"{tagger.name} ({how}): {text}\n{explain.terminal(explained)}")


def cmd_predict(args):
    """Tag text with a trained baseline (default: the report's recommendation)."""
    from tagbench.predict import parse_line

    if args.explain:
        if not args.text:
            raise TagbenchError("--explain takes the texts on the command line")
        args.json, args.words = False, 5
        return cmd_explain(args)
    tagger = chosen_tagger(args.baseline)
    if args.text:
        texts = [parse_line(t, i) for i, t in enumerate(args.text, 1)]
        for result in tagger.predict(texts, top=args.top):
            print(_format(result, args))
        return
    fields = full.load()["dataset"]["text"] if args.jsonl else None
    texts, numbers, bad = [], [], 0
    for number, raw in enumerate(_read_lines(args.file), 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
            texts.append(parse_line(line, number, fields))
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


def cmd_serve(args):
    """Serve a shipped tagger over HTTP: POST /tag, GET /health, /card and /manifest
    (tagbench/serving/service.py). Stateless: more cores are --workers, more machines are
    replicas behind a load balancer."""
    from tagbench.serving import service

    print(f"serving {args.folder} on http://{args.host}:{args.port} ({args.workers} "
          f"worker(s)); Ctrl-C stops it", flush=True)
    service.serve(args.folder, args.host, args.port, args.workers, args.batch)


def _format(result, args):
    if args.probs or args.top:
        shown = result["scores"] if args.top else {t: result["scores"][t] for t in result["tags"]}
        return ", ".join(f"{tag} ({score:.3f})" for tag, score in shown.items())
    return ", ".join(result["tags"])


def at_least_one(value):
    """An argparse type: an integer of 1 or more."""
    if not value.lstrip("-").isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {value!r}")
    return int(value)


def first_line(func):
    return " ".join(func.__doc__.split()).split(". ")[0].rstrip(".")


MAINTAINER_COMMANDS = {  # the project's own upkeep: listed after what users run
    "check-lock": cmd_check_lock, "readme": cmd_readme, "noise-floor": cmd_noise_floor,
    "float-drift": cmd_float_drift, "float-path": cmd_float_path,
    "tune": cmd_tune, "preset": cmd_preset, "lesson-report": cmd_lesson_report,
    "plots-template": cmd_plots_template}


def parser():
    p = argparse.ArgumentParser(
        prog="tagbench", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train and compare baselines for tagging ML projects. The pipeline itself "
        "runs with `dvc repro`; these commands read its outputs.",
        epilog="maintainer commands (each with --help):\n" + "\n".join(
            textwrap.fill(first_line(func), 88, initial_indent=f"  {name:16s}",
                          subsequent_indent=" " * 18)
            for name, func in MAINTAINER_COMMANDS.items()))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           title="commands")

    def command(name, func):
        """A subcommand; only the users' ones are listed under `commands`."""
        help_ = first_line(func).replace("%", "%%")  # argparse %-formats help
        listed = {} if name in MAINTAINER_COMMANDS else {"help": help_}
        parser_ = sub.add_parser(name, description=func.__doc__, **listed)
        parser_.set_defaults(func=func)
        return parser_

    predict = command("predict", cmd_predict)
    predict.add_argument("text", nargs="*", help="texts to tag (else --file)")
    predict.add_argument("--baseline", help="a trained baseline (default: the report's "
                         "recommendation, else the best val macro F1)")
    predict.add_argument("--file", default="-", help="one text per line; - is stdin")
    predict.add_argument("--jsonl", action="store_true",
                         help="input lines are JSON objects with title and description")
    predict.add_argument("--probs", action="store_true", help="show the predicted tags' scores")
    predict.add_argument("--top", type=at_least_one, default=0,
                         help="show the K best tags with scores")
    predict.add_argument("--batch-size", type=int, default=64)
    predict.add_argument("--explain", action="store_true",
                         help="the words behind each predicted tag (see `tagbench explain`)")
    explain = command("explain", cmd_explain)
    explain.add_argument("text", nargs="+", help="texts to explain")
    explain.add_argument("--baseline", help="a trained baseline (default: the recommendation)")
    explain.add_argument("--words", type=positive_int, default=5, help="words shown per tag")
    explain.add_argument("--json", action="store_true", help="one JSON object per text")
    serve = command("serve", cmd_serve)
    serve.add_argument("folder", nargs="?", default="shipped",
                       help="a shipped tagger (default: shipped, what `dvc repro` builds)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=positive_int, default=8000)
    serve.add_argument("--workers", type=positive_int, default=1,
                       help="processes, each with its own copy of the model (one per core)")
    serve.add_argument("--batch", type=positive_int, default=64,
                       help="projects of waiting requests tagged together")
    command("baselines", cmd_baselines)
    command("only", cmd_only).add_argument("names", nargs="+", metavar="baseline")
    compare = command("compare", cmd_compare)
    compare.add_argument("a", nargs="?", default="HEAD",
                         help="git revision, experiment name or 'workspace' (default HEAD)")
    compare.add_argument("b", nargs="?", default="workspace", help="the same (default workspace)")
    compare.add_argument("--resamples", type=positive_int, default=1000)
    compare.add_argument("--check", action="store_true",
                         help="exit 2 when a baseline exact under every float path moved at "
                         "all, or another beyond its floor (CI's reproduction check)")
    compare.add_argument("--seeds", type=at_least_two, default=0, metavar="N",
                         help="replicate each changed baseline that a seed moves over N model "
                         "seeds a side (DVC experiments; runs made before are reused)")
    compare.add_argument("--baselines", type=names_list, default=None, metavar="A,B",
                         help="with --seeds: replicate these baselines, changed or not")
    compare.add_argument("-j", "--jobs", type=positive_int, default=1,
                         help="with --seeds: experiments run at once")
    compare.add_argument("--comment", action="store_true",
                         help="print it as a pull request's comment: the stages b re-ran "
                         "since a (their dvc.lock entries differ), then the table")
    data_versions = command("dataset-versions", cmd_versions)
    data_versions.add_argument("a", help="the run on one data version (revision, experiment)")
    data_versions.add_argument("b", help="the run on the other")
    data_versions.add_argument("--resamples", type=positive_int, default=1000)
    data_versions.add_argument("--out", default=str(artifacts.DATASET_VERSIONS))

    held = command("published-report", cmd_published)
    held.add_argument("rev", help="the run on the public dataset (revision, experiment)")
    held.add_argument("published", help="its published results (benchmarks/published/*.yaml)")
    held.add_argument("--out", required=True, help="e.g. reports/goemotions.md")
    held.add_argument("--resamples", type=positive_int, default=1000)
    command("check-lock", cmd_check_lock)
    command("readme", cmd_readme)
    command("noise-floor", cmd_noise_floor).add_argument(
        "rev", help="the experiment (or revision) that ran the noise stage")
    drift = command("float-drift", cmd_float_drift)
    drift.add_argument("paths", nargs="*", help="float paths to rebuild under (default: every one)")
    drift.add_argument("--of", default="HEAD", help="use the rebuilds of this earlier commit, "
                       "one whose pipeline computes what HEAD's does (default HEAD)")
    command("float-path", cmd_float_path).add_argument(
        "path", nargs="?", help="one of tagbench/runs/float_drift.py's PATHS (default: the "
        "second machine CI reproduces on)")
    tune = command("tune", cmd_tune)
    tune.add_argument("baseline")
    tune.add_argument("-j", "--jobs", type=positive_int, default=1,
                      help="experiments run at once (each gets its share of the cores)")
    spread = tune.add_mutually_exclusive_group()  # over machines: .github/workflows/sweep.yml
    spread.add_argument("--points", action="store_true",
                        help="print the grid's point numbers as JSON (a CI job matrix)")
    spread.add_argument("--point", type=positive_int,
                        help="run this point alone, as the experiment <baseline>-<point>")
    spread.add_argument("--rank", metavar="REMOTE",
                        help="pull every point's experiment from this git remote and rank them")
    tune.add_argument("--push", metavar="REMOTE", help="with --point: push the experiment there")
    command("preset", cmd_preset).add_argument("path")
    command("lesson-report", cmd_lesson_report).add_argument(
        "--out", default=str(artifacts.LESSON_REPRODUCTION))
    template = command("plots-template", cmd_plots_template)
    template.add_argument("--node-modules", default="node_modules")
    template.add_argument("--out", default="plots/template.html")
    return p


@exits_cleanly
def main(argv=None):
    args = parser().parse_args(argv)
    args.func(args)
