"""The `tagbench` command."""

import argparse
from pathlib import Path

from tagbench import params, report
from tagbench.errors import exits_cleanly
from tagbench.io import read_json


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


def parser():
    p = argparse.ArgumentParser(
        prog="tagbench", description="Train and compare baselines for tagging ML projects. "
        "The pipeline itself runs with `dvc repro`; these commands read its outputs.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("baselines", help=cmd_baselines.__doc__).set_defaults(func=cmd_baselines)
    readme = sub.add_parser("readme", help=cmd_readme.__doc__)
    readme.add_argument("path", nargs="?", default="README.md")
    readme.set_defaults(func=cmd_readme)
    return p


@exits_cleanly
def main(argv=None):
    args = parser().parse_args(argv)
    args.func(args)
