"""The score: how well a painting matches the machines' pictures, in three parts, 0.0-10.0.

    scorer = Scorer.load()                    # ScoreUnavailable with a clear message if not
    verdict = scorer.verdict(painting, {"magenta": picture, "gatys": picture})
    verdict.score, verdict.parts, verdict.cost, verdict.vs

A painting is judged against each machine picture on its own (models.score_parts: layout,
colour, brushwork, calibrated on that picture's own trivial canvases), and the round's score is
the mean of those per-picture scores: one machine or two, the same rule. How much the two
machines agree is measured the same way, in both directions, and is never an anchor.

The encoder is the project's own (models.encoder, committed weights and training record);
the score's features are its maps (models.score_features). TensorFlow loads in Scorer.load
only: a worker, the score command, the training command, the benchmark.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.encoder import RECORD_FILE, WEIGHTS_FILE, EncoderConfig
from models.score_canvases import anchor_canvases
from models.score_features import FeatureNet, PictureFeatures
from models.score_parts import PARTS, Judgement, Reference, ScoreConfig, costliest, measure

SCORE_MODEL_ENV = "STYLE_DUEL_SCORE_MODEL"  # a folder with the weights and record instead
PAINTING = "painting"                       # ScoreJob.images' name for the player's picture
REFERENCES_KEPT = 6                         # machine pictures whose anchors stay cached


class ScoreUnavailable(RuntimeError):
    """The score model cannot be used; str(error) says why in a sentence for staff."""


def rounded(grade: float) -> float:
    return round(min(10.0, max(0.0, grade)), 1)


def mean_score(scores: list[float]) -> float | None:
    """The round's score from the shown (rounded) per-picture scores: the same arithmetic as
    game.round.round_score, so the score command prints what the reveal shows."""
    return round(sum(scores) / len(scores), 1) if scores else None


@dataclass
class Verdict:
    """A painting against one or two machine pictures, as the reveal shows it."""

    score: float | None                                   # mean of vs, one decimal
    parts: dict[str, float] = field(default_factory=dict)  # mean over the references
    cost: str = ""                                        # models.messages.COST_KEYS or ""
    vs: dict[str, float] = field(default_factory=dict)    # reference name -> score


def model_dir() -> Path:
    folder = os.environ.get(SCORE_MODEL_ENV)
    return Path(folder) if folder else WEIGHTS_FILE.parent


def picture_key(image: np.ndarray) -> str:
    array = np.ascontiguousarray(image)
    return hashlib.sha256(str(array.shape).encode() + array.tobytes()).hexdigest()


class Scorer:
    """The encoder's feature net, loaded once, and the machine pictures already prepared."""

    def __init__(self, model, label: str, config: ScoreConfig | None = None):
        self.model, self.label = model, label
        self.config = config or ScoreConfig()
        self.net = FeatureNet(model)
        # sha256 of a machine picture -> its Reference (features + anchors), newest last.
        self._references: OrderedDict[str, Reference] = OrderedDict()

    @classmethod
    def load(cls, folder: Path | None = None) -> Scorer:
        """Build the autoencoder, load the committed weights and check them against the record."""
        folder = Path(folder) if folder is not None else model_dir()
        weights, record_path = folder / WEIGHTS_FILE.name, folder / RECORD_FILE.name
        if not weights.is_file():
            raise ScoreUnavailable(f"the score model file is missing ({weights})")
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            config = EncoderConfig.from_json(record["encoder"])
            expected = record["weights"]["sha256"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ScoreUnavailable(f"the score model's record {record_path} is missing or "
                                   f"unreadable ({type(error).__name__}: {error})") from error
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()
        if digest != expected:
            raise ScoreUnavailable(f"the score model file {weights} is damaged (its checksum "
                                   "does not match its training record)")
        import tensorflow as tf

        from models.encoder import build_autoencoder
        from models.gpu import share_gpus

        share_gpus(tf)            # the scorer may share a GPU with the engines (models.gpu)
        try:
            model = build_autoencoder(config)
            model.load_weights(weights)
        except Exception as error:        # noqa: BLE001 - h5py/keras raise many kinds
            raise ScoreUnavailable(f"the score model file {weights} could not be loaded "
                                   f"({type(error).__name__}: {error})") from error
        return cls(model, f"encoder {digest[:8]}")

    def features(self, image: np.ndarray) -> PictureFeatures:
        """(H, W, 3) uint8 -> what the score compares (raises ValueError for other arrays)."""
        return self.net.features(image)

    def reference(self, image: np.ndarray) -> Reference:
        """A machine picture with its anchors measured (about a second, then cached)."""
        key = picture_key(image)
        if key in self._references:
            self._references.move_to_end(key)
            return self._references[key]
        features = self.features(image)
        anchors = {kind: {name: measure(self.features(canvas), features)
                          for name, canvas in canvases.items()}
                   for kind, canvases in anchor_canvases(np.asarray(image)).items()}
        reference = Reference(features, anchors, self.config)
        self._references[key] = reference
        while len(self._references) > REFERENCES_KEPT:
            self._references.popitem(last=False)
        return reference

    def judge(self, painting: np.ndarray | PictureFeatures, reference: np.ndarray) -> Judgement:
        """A painting (or its features) against one machine picture, unrounded."""
        if not isinstance(painting, PictureFeatures):
            painting = self.features(painting)
        return self.reference(reference).judge(painting)

    def score(self, painting: np.ndarray, reference: np.ndarray) -> float:
        """The shown score (one decimal) of a painting against one machine picture."""
        return rounded(self.judge(painting, reference).score)

    def agreement(self, a: np.ndarray, b: np.ndarray) -> float:
        """How alike two machine pictures are: each judged against the other, averaged, so
        neither is the right answer (and the result is symmetric by construction)."""
        ab = self.reference(b).judge(self.reference(a).features).score
        ba = self.reference(a).judge(self.reference(b).features).score
        return rounded(0.5 * (ab + ba))

    def verdict(self, painting: np.ndarray | PictureFeatures,
                references: dict[str, np.ndarray]) -> Verdict:
        """A painting against one or more machine pictures: what the reveal shows."""
        if not references:
            return Verdict(None)
        if not isinstance(painting, PictureFeatures):
            painting = self.features(painting)
        judgements = {name: self.judge(painting, image) for name, image in references.items()}
        vs = {name: rounded(j.score) for name, j in judgements.items()}
        parts = {k: rounded(float(np.mean([j.parts[k] for j in judgements.values()])))
                 for k in PARTS}
        return Verdict(mean_score(list(vs.values())), parts,
                       costliest(list(judgements.values()), self.config), vs)

    def compare(self, images: dict[str, np.ndarray],
                pairs: tuple[tuple[str, str], ...]) -> tuple[dict[str, float], Verdict]:
        """A ScoreJob's pictures -> ({"painting~magenta": 6.2, "magenta~gatys": 7.1, ...},
        the painting's verdict against the machine pictures it is paired with). Pairs whose
        two pictures are not both there are left out."""
        present = [(a, b) for a, b in pairs if a in images and b in images]
        machines = {b: images[b] for a, b in present if a == PAINTING}
        verdict = (self.verdict(images[PAINTING], machines) if machines else Verdict(None))
        scores = {f"{a}~{b}": (verdict.vs[b] if a == PAINTING
                               else self.agreement(images[a], images[b]))
                  for a, b in present}
        return scores, verdict
