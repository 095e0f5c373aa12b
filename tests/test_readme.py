"""The README's numbers come from the metrics files, not from a keyboard: those of the
workspace or, after a rebuild on another machine (other latencies, neural baselines moved
within their floors), those of the commit, which the README describes."""

import subprocess

import pytest
import yaml

from conftest import REPO
from tagbench.report import readme


def committed(path):
    """A file's text at HEAD (None when it is not there)."""
    result = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=REPO, capture_output=True,
                            text=True)
    return result.stdout if result.returncode == 0 else None


def in_workspace(path):
    return readme.workspace(REPO / path)


def test_readme_results_table_matches_metrics():
    p = yaml.safe_load((REPO / "params.yaml").read_text())
    names = [*p["baselines"], *p["hybrids"]]  # hybrids are rows too
    document = (REPO / "README.md").read_text()
    assert any(readme.replace_block(document, "results", readme.results_table(names, read))
               == document for read in (in_workspace, committed)), \
        "README results table is stale: run `tagbench readme`"


@pytest.mark.parametrize("block", sorted(readme.README_COPIES))
def test_readme_copies_match_the_reports(block):
    path, _, document = readme.README_COPIES[block]
    text = (REPO / document).read_text()
    assert any(readme.replace_block(text, block, readme.readme_copy(block, read)) == text
               for read in (in_workspace, committed)), \
        f"{document}'s copy of {path} is stale: run `tagbench readme`"

