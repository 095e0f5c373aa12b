"""The shipped tagger: the ship stage's folder (the smoke DAG's), fetched with `dvc artifacts
get`, loaded by the Python API away from DVC and the repository, refused when a file is
missing or changed, and served over HTTP: the same tags and scores as `tagbench predict`, a
4xx JSON answer naming the field for each bad input, and still serving after each."""

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ENV, sh
from tagbench.core.errors import TagbenchError
from tagbench.serving import api, artifact

pytestmark = pytest.mark.slow

PROJECTS = [{"title": "DETR", "description": "End-to-end object detection with transformers"},
            {"title": "A PyTorch library for graph neural networks", "description": ""},
            {"text": "Forecasting energy demand with gradient boosting and Prophet"}]


@pytest.fixture(scope="module")
def shipped(dag, tmp_path_factory):
    """A copy of the smoke DAG's shipped folder, away from the repository."""
    folder = tmp_path_factory.mktemp("elsewhere") / "tagger"
    shutil.copytree(dag / artifact.SHIPPED, folder)
    return folder


@pytest.fixture(scope="module")
def client(shipped):
    from fastapi.testclient import TestClient

    from tagbench.serving.service import create_app

    with TestClient(create_app(shipped)) as test_client:
        yield test_client


def test_the_stage_ships_the_recommended_baseline_its_members_and_nothing_else(dag):
    manifest = json.loads((dag / "shipped" / "manifest.json").read_text())
    tradeoffs = json.loads((dag / "metrics" / "tradeoffs.json").read_text())
    p = yaml.safe_load((dag / "params.yaml").read_text())
    assert manifest["baseline"] == tradeoffs["recommended"]
    shipped = sorted(path.name for path in (dag / "shipped" / "models").iterdir())
    assert shipped == sorted(artifact.parts(manifest["baseline"], p))
    assert manifest["files"] == artifact.digests(dag / "shipped")
    assert manifest["dataset"]["md5"] and manifest["split"] == "temporal"
    assert manifest["classes"] == json.loads((dag / "data/processed/classes.json").read_text())
    card = (dag / "shipped" / "MODEL_CARD.md").read_text()
    for heading in ("## Data", "## Quality", "## Per tag (test)", "## Slices (test)",
                    "## Known limits", "## How to load it"):
        assert heading in card
    assert f"{tradeoffs['context']['projects']} projects" in card
    pipeline = yaml.safe_load((dag / "dvc.yaml").read_text())
    assert pipeline["artifacts"]["tagger"]["path"] == str(artifact.SHIPPED)


def test_the_api_works_from_the_folder_alone_without_dvc_and_tags_as_predict_does(
        dag, shipped):
    """In a fresh Python, in a folder with no params.yaml, no DVC imported; torch only where
    the baseline needs it. Its scores are `tagbench predict`'s to the last digit."""
    probe = ("import json, sys; from tagbench import load_tagger; "
             f"tagger = load_tagger({str(shipped)!r}); "
             f"found = tagger.tag({PROJECTS!r}, scores=True); "
             "print(json.dumps({'found': found, 'modules': sorted(m for m in "
             "('dvc', 'torch', 'transformers') if m in sys.modules)}))")
    result = json.loads(sh(shipped.parent, sys.executable, "-c", probe).stdout)
    manifest = json.loads((shipped / "manifest.json").read_text())
    assert "dvc" not in result["modules"] and "transformers" not in result["modules"]
    neural = any(".neural." in json.loads(meta.read_text())["implementation"]
                 for meta in shipped.glob("models/*/model/meta.json"))
    assert ("torch" in result["modules"]) == neural
    lines = "".join(json.dumps(p) + "\n" for p in PROJECTS)
    predicted = subprocess.run(["tagbench", "predict", "--jsonl", "--baseline",
                                manifest["baseline"]], cwd=dag, env=ENV, input=lines,
                               capture_output=True, text=True, check=True).stdout.splitlines()
    expected = [json.loads(line) for line in predicted]
    assert [{"tags": e["tags"], "scores": e["scores"]} for e in expected] == result["found"]


def test_a_missing_or_changed_file_stops_loading_with_one_line(shipped, tmp_path):
    broken = tmp_path / "tagger"
    shutil.copytree(shipped, broken)
    weights = sorted(p for p in broken.rglob("*") if p.is_file() and p.parent.name == "model")
    kept = weights[0].read_bytes()
    weights[0].write_bytes(kept + b" ")
    with pytest.raises(TagbenchError, match=f"{weights[0].name}: differs from its digest"):
        api.load_tagger(broken)
    served = subprocess.run(["tagbench", "serve", str(broken), "--port", "9"], env=ENV,
                            capture_output=True, text=True, timeout=60)
    assert served.returncode == 2 and "differs from its digest" in served.stderr
    assert len(served.stderr.strip().splitlines()) == 1
    weights[0].write_bytes(kept)
    weights[1].unlink()
    with pytest.raises(TagbenchError, match=f"{weights[1].name}: missing"):
        api.load_tagger(broken)
    with pytest.raises(TagbenchError, match="no manifest.json: not a shipped tagger"):
        api.load_tagger(tmp_path)


def test_the_service_tags_one_or_many_projects_as_the_api_does(client, shipped):
    tagger = api.load_tagger(shipped)
    answer = client.post("/tag", json={"projects": PROJECTS, "scores": True})
    assert answer.status_code == 200
    assert answer.json()["results"] == tagger.tag(PROJECTS, scores=True)
    one = client.post("/tag", json={"projects": PROJECTS[:1]}).json()
    assert one == {"baseline": tagger.name, "results": tagger.tag(PROJECTS[:1])}
    assert client.get("/health").json() == {"status": "ok", "baseline": tagger.name}
    assert client.get("/card").text.startswith(f"# Model card: {tagger.name}")
    assert client.get("/manifest").json() == tagger.manifest


LONG = "x " * 60_000


@pytest.mark.parametrize("body, field", [
    (b"{\"projects\": [", "body"),  # malformed JSON
    ({"projects": "DETR"}, "projects"),
    ({"projects": [{"title": 5}]}, "projects.0.title"),
    ({"projects": [{"title": "ok"}], "scores": "yes"}, "scores"),
    ({"projects": [{"title": "  ", "description": ""}]}, "projects.0"),  # empty text
    ({"projects": [{}]}, "projects.0"),
    ({"projects": []}, "projects"),
    ({"projects": [{"title": "t"}] * 257}, "projects"),  # too many texts
    ({"projects": [{"text": LONG}]}, "projects.0.text"),  # over-long text
    ({"projects": [{"title": "t", "body": "b"}]}, "projects.0.body"),  # unknown fields
    ({"projects": [{"title": "t"}], "model": "cnn"}, "model"),
])
def test_bad_input_is_a_4xx_naming_the_field_and_the_service_goes_on(client, body, field):
    sent = {"content": body} if isinstance(body, bytes) else {"json": body}
    answer = client.post("/tag", headers={"content-type": "application/json"}, **sent)
    assert 400 <= answer.status_code < 500
    assert field in [d["field"] for d in answer.json()["detail"]]
    assert client.post("/tag", json={"projects": PROJECTS[:1]}).status_code == 200


@pytest.mark.integration  # git, DVC remotes and a fetch: about half a minute
def test_dvc_artifacts_get_fetches_the_tagger_into_another_directory(dag, tmp_path):
    """The repository pushed to a bare git remote with the tag `tagger@v0.1.0` and its DVC
    outputs to a local remote; `dvc artifacts get` in an unrelated folder brings the folder,
    which loads."""
    origin, store = tmp_path / "origin.git", tmp_path / "store"
    sh(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(origin))
    sh(dag, "dvc", "remote", "add", "--local", "exchange", str(store))
    try:
        sh(dag, "dvc", "push", "-q", "-r", "exchange", "ship")
    finally:
        sh(dag, "dvc", "remote", "remove", "--local", "exchange")
    publisher = tmp_path / "publisher"
    sh(tmp_path, "git", "clone", "-q", str(dag), str(publisher))
    sh(publisher, "dvc", "remote", "add", "-d", "-f", "shared", str(store))
    sh(publisher, "git", "commit", "-qam", "the shared DVC remote")
    sh(publisher, "git", "tag", "-a", "tagger@v0.1.0", "-m", "the shipped tagger")
    sh(publisher, "git", "push", "-q", str(origin), "HEAD:refs/heads/main", "--tags")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sh(elsewhere, "dvc", "artifacts", "get", str(origin), "tagger", "-o", "tagger")
    tagger = api.load_tagger(elsewhere / "tagger")
    assert tagger.tag(PROJECTS[:1])[0]["tags"] == api.load_tagger(
        dag / "shipped").tag(PROJECTS[:1])[0]["tags"]
