"""`from tagbench import load_tagger`: a shipped tagger (the folder tagbench.serving.artifact
builds, or `dvc artifacts get` fetches) loaded from that folder alone, without DVC or the
repository. Every file is checked against the manifest's digest first, the model loads as
`tagbench predict` loads it (no pickles), and only what its baseline needs is imported: a
TF-IDF tagger loads without torch.

    tagger = load_tagger("shipped")
    tagger.tag(["A PyTorch library for graph neural networks"])
    # [{"tags": ["graph-neural-networks", "graphs", "pytorch"]}]
    tagger.tag([{"title": "DETR", "description": "object detection"}], scores=True)
    # [{"tags": [...], "scores": {tag: score, ...}}]: every class, best first
"""

from pathlib import Path

from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json
from tagbench.data import readers
from tagbench.predict import Predictor
from tagbench.serving.artifact import MANIFEST, sha256


def verify(folder):
    """The manifest of a shipped folder whose every listed file is there, unchanged; else one
    line naming the file."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise TagbenchError(f"{folder}: no {MANIFEST}: not a shipped tagger (build one with "
                            f"`dvc repro ship`, or fetch one with `dvc artifacts get <repo> "
                            f"tagger`)")
    manifest = read_json(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise TagbenchError(f"{path}: expected a manifest with its files' digests")
    for name, digest in manifest["files"].items():
        file = Path(folder) / name
        if not file.is_file():
            raise TagbenchError(f"{file}: missing: the shipped tagger is incomplete; fetch it "
                                f"again")
        if sha256(file) != digest:
            raise TagbenchError(f"{file}: differs from its digest in {path}: the shipped "
                                f"tagger was changed after it was built; fetch it again")
    return manifest


class ShippedTagger:
    """A shipped tagger, ready: `tag` takes projects, each a string (its text) or a mapping
    of the dataset's text fields (title and description) or of "text"."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.manifest = verify(self.folder)
        self.predictor = Predictor(self.manifest["baseline"], root=self.folder)
        self.name, self.classes = self.manifest["baseline"], self.predictor.classes
        self.fields = self.manifest["dataset"]["text"]

    def text(self, project, where):
        """A project's raw text, as the pipeline joins it; one line naming it when it cannot
        be tagged."""
        if isinstance(project, dict):
            fields = ["text"] if "text" in project else self.fields
            wrong = [f for f in project if f not in [*self.fields, "text"]]
            if wrong:
                raise TagbenchError(f"{where}: unknown field {wrong[0]!r}; expected "
                                    f"{' and '.join(self.fields)}, or text")
            project = readers.join_text(project, fields)
        if not isinstance(project, str):
            raise TagbenchError(f"{where}: expected a string or a mapping of "
                                f"{', '.join(self.fields)} or text, got "
                                f"{type(project).__name__}")
        return readers.check_text(project, where).strip()

    def tag(self, projects, scores=False):
        """[{"tags": [...]}] for each project, in order, with "scores" ({tag: score} for every
        class, best first) when asked."""
        texts = [self.text(p, f"project {i}") for i, p in enumerate(projects)]
        found = self.predictor.predict(texts) if texts else []
        return [r if scores else {"tags": r["tags"]} for r in found]


def load_tagger(folder):
    """The shipped tagger in folder (ShippedTagger), checked and loaded."""
    return ShippedTagger(folder)
