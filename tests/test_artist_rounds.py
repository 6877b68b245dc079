"""Artist rounds: an artist's paintings played together as one style (issue 13, track B).

The acceptance test (test_both_machines_use_all_chosen_paintings) runs each machine on two
of Van Gogh's paintings alone and together: the blend must differ from each single result
and its style statistics must sit between theirs. The offline engines always run; the real
Magenta TFLite and real Gatys VGG run when STYLE_DUEL_SHARED_MODELS holds their files.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytest
from scene_kit import FakeService, app, drawn_text, make_app  # noqa: F401

from game.artists import ARTISTS, ArtistStyle, group_by_artist, mosaic
from game.catalogue import MASTERPIECES, default_art_dir, load_catalogue
from game.config import GameConfig
from game.image_loader import load_rgb
from game.nst.machines import Machines
from models.messages import Job

SHARED_ENV = "STYLE_DUEL_SHARED_MODELS"
VAN_GOGH = "artist:vincent-van-gogh"
DIFFERS = 3.0           # mean absolute difference, in levels of 255, that counts as different


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(default_art_dir(), check_images=False)


class RecordingService(FakeService):
    """The scene kit's fake service, keeping each job's styles (shape, weight)."""

    def __init__(self):
        super().__init__()
        self.styles = {}

    def submit(self, round_id, engine, content, styles, budget_s=35.0, **kwargs):
        job_id = super().submit(round_id, engine, content, styles, budget_s, **kwargs)
        self.styles[job_id] = [(image.shape, weight) for image, weight in styles]
        return job_id


# -- B1: who counts as an artist, and what a round draws ------------------------------------

def test_artists_group_famous_paintings_only(catalogue, tmp_path):
    artists = {artist.artist: artist for artist in catalogue.artists()}
    assert {name: len(a.members) for name, a in artists.items()} == {
        "Vincent van Gogh": 5, "Wassily Kandinsky": 2, "Claude Monet": 2,
        "Francis Picabia": 2}
    van_gogh = catalogue.item(VAN_GOGH)
    assert van_gogh == artists["Vincent van Gogh"] and van_gogh.group() == ARTISTS
    assert van_gogh.title == "Vincent van Gogh (5 paintings)"     # as the leaderboard stores it
    assert van_gogh.year == "1887–1889" and van_gogh.path == van_gogh.members[0].path
    assert all(m.group() == MASTERPIECES for a in artists.values() for m in a.members)
    # A museum's folder and the studio styles never make an artist, however many they hold.
    for name in ("a.png", "b.png", "c.png"):
        from PIL import Image
        Image.new("RGB", (8, 8)).save(tmp_path / name)
    with_museum = load_catalogue(default_art_dir(), user_style_dirs=[tmp_path],
                                 check_images=False)
    assert [a.id for a in with_museum.artists()] == [a.id for a in catalogue.artists()]
    assert not group_by_artist(catalogue.collection("studio"))


def test_an_artist_rounds_stored_title_is_shown_in_the_players_language(catalogue):
    """The leaderboard and gallery keep 'artist:<slug>' and the English title; a Romanian
    player reads it in Romanian, through the catalogue."""
    from game.catalogue import stored_title
    from game.i18n import Strings
    stored = catalogue.item(VAN_GOGH).title
    assert stored_title(catalogue, VAN_GOGH, stored, Strings("ro")) == \
        "Vincent van Gogh (5 tablouri)"
    assert stored_title(catalogue, VAN_GOGH, stored, Strings("en")) == stored


def test_random_pair_follows_the_round_type(catalogue):
    artist_ids = {a.id for a in catalogue.artists()}
    kinds = {}
    for kind in ("single", "artist", "mixed"):
        styles = [catalogue.random_pair(random.Random(seed), kind)[1] for seed in range(40)]
        kinds[kind] = [style.id in artist_ids for style in styles]
    assert not any(kinds["single"]) and all(kinds["artist"])
    assert 10 <= sum(kinds["mixed"]) <= 30          # a fair coin over 40 seeds
    # The same seed still gives the same single pair as before artist rounds.
    assert catalogue.random_pair(random.Random(3)) == catalogue.random_pair(random.Random(3),
                                                                             "single")
    rng = random.Random(1)
    van_gogh = catalogue.item(VAN_GOGH)
    shuffled = [catalogue.shuffle_style(van_gogh, rng) for _ in range(10)]
    assert all(s.id in artist_ids and s.id != VAN_GOGH for s in shuffled)
    painting = catalogue.item("vangogh_starry_night")
    assert all(catalogue.shuffle_style(painting, rng).id not in artist_ids for _ in range(10))


def test_mosaic_shows_every_painting_uncropped_in_its_cell():
    colours = [(250, 0, 0), (0, 250, 0), (0, 0, 250), (250, 250, 0), (0, 250, 250)]
    pictures = [np.full((30 + 10 * i, 50, 3), c, np.uint8) for i, c in enumerate(colours)]
    out = mosaic(pictures, (300, 200))          # two rows: three paintings, then two
    assert out.shape == (200, 300, 3)
    for (y, x), colour in zip([(50, 50), (50, 150), (50, 250), (150, 75), (150, 225)],
                              colours):
        assert tuple(out[y, x]) == colour


# -- B2: the machines get every painting ----------------------------------------------------

def test_machines_send_every_painting_of_the_artist(catalogue):
    from game.services import ImageCache
    from game.round import Round

    service = RecordingService()
    machines = Machines(None, service=service)
    images = ImageCache()
    van_gogh = catalogue.item(VAN_GOGH)
    content = catalogue.item("astronaut")
    round_ = Round(content, van_gogh, 60)
    machines.start_round(round_, images.array(content), images.style_inputs(van_gogh))
    assert sorted(job[1] for job in service.jobs) == ["gatys", "magenta"]
    for styles in service.styles.values():
        assert len(styles) == 5 and sum(w for _, w in styles) == pytest.approx(1.0)
        assert [w for _, w in styles] == pytest.approx([0.2] * 5)
    # The player's references are one picture: the mosaic of all five.
    assert images.array(van_gogh).shape == (640, 960, 3)
    single = catalogue.item("vangogh_starry_night")
    assert [w for _, w in images.style_inputs(single)] == [1.0]


# -- B3: the acceptance test ---------------------------------------------------------------

def small(path, side=160) -> np.ndarray:
    return load_rgb(path, max_side=side)


def contrasting(pictures: list[np.ndarray]) -> tuple[int, int]:
    """The two pictures whose mean colours are furthest apart."""
    means = [p.reshape(-1, 3).astype(np.float64).mean(0) for p in pictures]
    pairs = [(np.linalg.norm(means[i] - means[j]), i, j)
             for i in range(len(means)) for j in range(i + 1, len(means))]
    _, first, second = max(pairs)
    return first, second


def lab_statistics(image: np.ndarray) -> np.ndarray:
    """(6,) per-channel mean and spread of the picture in CIE Lab: its colour statistics."""
    from skimage.color import rgb2lab
    lab = rgb2lab(image).reshape(-1, 3)
    return np.concatenate([lab.mean(0), lab.std(0)])


def texture_statistics(image: np.ndarray) -> np.ndarray:
    """The flattened Gram matrix of block1_conv2 features of the seeded random VGG-19 (the
    statistics Gatys matches), the picture at 96 px, scaled to unit size for one colour."""
    tf = pytest.importorskip("tensorflow")
    from models import vgg
    from models.losses import gram_matrix
    from PIL import Image

    model = vgg.build_features(["block1_conv2"], seed=0)
    picture = Image.fromarray(image).resize((96, 96), Image.Resampling.BICUBIC)
    batch = vgg.preprocess(tf.constant(np.asarray(picture, np.float32)[None]))
    gram = gram_matrix(model(batch)["block1_conv2"]).numpy()
    return gram.ravel() / 1e4


def sits_between(blend, first, second, statistics) -> list[str]:
    """What is wrong with `blend` as a mix of the single-painting results (empty: nothing)."""
    problems = []
    for name, single in (("first", first), ("second", second)):
        diff = np.abs(blend.astype(np.float64) - single).mean()
        if diff <= DIFFERS:
            problems.append(f"the blend equals the {name} painting's result ({diff:.1f})")
    s_blend, s_first, s_second = (statistics(p) for p in (blend, first, second))
    apart = np.linalg.norm(s_first - s_second)
    for name, s_single in (("first", s_first), ("second", s_second)):
        near = np.linalg.norm(s_blend - s_single)
        if not near < apart:
            problems.append(f"{statistics.__name__}: the blend is {near:.2f} from the "
                            f"{name} result, further than the two are apart ({apart:.2f})")
    return problems


def shared_models() -> Path:
    folder = os.environ.get(SHARED_ENV)
    if not folder or not Path(folder).is_dir():
        pytest.skip(f"real model files not available (set {SHARED_ENV}; .ci/run does)")
    return Path(folder)


def machine(name: str, request):
    """(engine, job settings) for one of the machines the test runs."""
    from models import engines
    if name == "magenta-offline":
        return engines.StudioEngine([]), {}
    if name == "magenta-toys":
        # Tiny models in the real TFLite format (tests/magenta_toys.py): the bottleneck blend
        # through the engine, where the real files are not installed.
        from models.magenta import MagentaTFLite
        toys = request.getfixturevalue("toys")
        model = MagentaTFLite(toys / "prediction.tflite", toys / "transfer.tflite", threads=1)
        return engines.MagentaEngine(model, "Magenta (toy)", "toy", []), {}
    if name == "gatys-offline":
        # Untrained features at 64 px; an iteration cap, not the clock, ends it.
        return engines.GatysEngine(None, 5, False, 1, []), {"size": 64, "max_iterations": 10}
    folder = shared_models()
    if name == "magenta-real":
        from models.catalogue import MAGENTA_FP16_TRANSFER, MAGENTA_INT8_PREDICTION
        from models.magenta import MagentaTFLite
        files = [folder / f.filename for f in (MAGENTA_INT8_PREDICTION, MAGENTA_FP16_TRANSFER)]
        if not all(path.is_file() for path in files):
            pytest.skip(f"the Magenta TFLite files are not in {folder}")
        model = MagentaTFLite(*files, threads=1)
        return engines.MagentaEngine(model, "Magenta (TFLite fp16)", "fp16", []), {}
    weights = folder / "vgg19_blocks1-3_notop.h5"
    if not weights.is_file():
        pytest.skip(f"no VGG-19 weights in {folder}")
    return (engines.GatysEngine(weights, 3, False, 1, []),
            {"size": 96, "max_iterations": 15})


def paint(engine, settings, content, styles) -> np.ndarray:
    job = Job("job", "round", "test", content, styles, budget_s=600.0, settings=settings)
    return engine.run(job, lambda progress: None, lambda: False).image


@pytest.fixture(scope="module")
def toys(tmp_path_factory) -> Path:
    from magenta_toys import build_toys
    return build_toys(tmp_path_factory.mktemp("magenta-toys"))


@pytest.mark.parametrize("name", ["magenta-offline", "gatys-offline", "magenta-toys",
                                  "magenta-real", "gatys-real"])
def test_both_machines_use_all_chosen_paintings(catalogue, name, request):
    engine, settings = machine(name, request)
    van_gogh = catalogue.item(VAN_GOGH)
    paintings = [small(member.path) for member in van_gogh.members]
    a, b = (paintings[i] for i in contrasting(paintings))
    content = small(catalogue.item("astronaut").path, 96)
    first = paint(engine, settings, content, [(a, 1.0)])
    second = paint(engine, settings, content, [(b, 1.0)])
    blend = paint(engine, settings, content, [(a, 0.5), (b, 0.5)])
    for statistics in (lab_statistics, texture_statistics):
        assert sits_between(blend, first, second, statistics) == []
        # The test can fail: an engine that used only the heaviest style would give this.
        assert sits_between(first, first, second, statistics)
    if name.startswith("gatys"):
        return          # the whole artist once more would cost five more Gatys runs
    # The whole artist: the blend of all five sits nearer the five results' centre than
    # the furthest of them.
    singles = [lab_statistics(paint(engine, settings, content, [(p, 1.0)]))
               for p in paintings]
    centre = np.mean(singles, axis=0)
    everything = lab_statistics(paint(engine, settings, content,
                                      [(p, 0.2) for p in paintings]))
    assert np.linalg.norm(everything - centre) < max(np.linalg.norm(s - centre)
                                                     for s in singles)


# -- B4: what players see ------------------------------------------------------------------

@pytest.fixture
def artist_app():
    config = GameConfig()
    config.round.style_kind = "artist"
    yield from make_app(config)


def test_setup_lists_every_painting_of_the_artist(artist_app):
    from game.scenes.setup import SetupScene
    app = artist_app
    service = RecordingService()
    app.services.machines = Machines(None, service=service)
    setup = SetupScene(app, style=app.services.catalogue.item(VAN_GOGH))
    app.stack.push(setup)
    words = drawn_text(app)
    assert "Paint like Vincent van Gogh" in words
    line = app.strings(setup.paintings_line(setup.style))
    assert line.startswith("5 paintings: The Starry Night, The Night Café")
    assert "Wheat Field with Cypresses" in line
    assert any(word.startswith("5 paintings: The Starry Night") for word in words)
    app.set_language("ro")
    words = drawn_text(app)
    assert "Pictează ca Vincent van Gogh" in words
    assert any(word.startswith("5 tablouri: Noapte înstelată") for word in words)
    # A round drawn with the setting on is an artist's, and Start sends all five paintings.
    assert isinstance(SetupScene(app).style, ArtistStyle)
    setup.start()
    assert [len(styles) for styles in service.styles.values()] == [5, 5]


def test_picker_groups_by_artist(app):  # noqa: F811 - the scene kit's fixture
    from game.scenes.picker import OTHER_PAINTERS, CataloguePicker
    catalogue = app.services.catalogue
    picker = CataloguePicker(app, "style", catalogue.item(VAN_GOGH), lambda item: None)
    assert picker.items[picker.index].id == VAN_GOGH
    assert [i.id for i in picker.items[:4]] == [a.id for a in catalogue.artists()]
    subs = [row.sub for row in picker.rows if row.sub is not None]
    assert subs == ["Vincent van Gogh", "Wassily Kandinsky", "Claude Monet", "Francis Picabia",
                    OTHER_PAINTERS]
    current = None
    for row in picker.rows:
        if row.sub is not None:
            current = row.sub
        elif row.heading:
            current = None
        elif current:          # each painter's row holds only that painter's paintings
            assert {picker.items[i].artist for i in row.items} == {current}


def test_party_draws_artist_pairs(app):  # noqa: F811 - the scene kit's fixture
    from game.party import PARTY_COLOURS, PartySettings, Player
    from game.party_session import PartySession
    service = RecordingService()
    app.services.machines = Machines(None, service=service)
    players = [Player(name, PARTY_COLOURS[i]) for i, name in enumerate(("Ana", "Bogdan"))]
    settings = PartySettings(players, rounds=2, pair_mode="same", style_kind="artist")
    session = PartySession(settings, app.services, random.Random(5))
    for r in range(2):
        turn = session.party.round_turns(r)[0]
        assert turn.style_id.startswith("artist:")
        style = session.items(turn)[1]
        session.start_round_jobs(r)
        assert isinstance(style, ArtistStyle)
    counts = [len(styles) for styles in service.styles.values()]
    assert counts and all(n >= 2 for n in counts)


def test_stylize_artist_paints_in_every_painting(catalogue, tmp_path, capsys):
    """`main.py stylize PHOTO --artist NAME`: the artist's paintings are the styles."""
    import main
    photo = str(catalogue.item("coffee").path)
    paths = [str(m.path) for m in catalogue.item(VAN_GOGH).members]
    common = ["--size", "64", "--engine", "magenta"]
    outs = {name: tmp_path / f"{name}.png" for name in ("artist", "five", "one")}
    assert main.main(["stylize", photo, "--artist", "vincent van gogh", *common,
                      "--out", str(outs["artist"])]) == 0
    assert main.main(["stylize", photo, *paths, *common, "--out", str(outs["five"])]) == 0
    assert main.main(["stylize", photo, paths[0], *common, "--out", str(outs["one"])]) == 0
    pictures = {name: load_rgb(path) for name, path in outs.items()}
    if "studio filter" in capsys.readouterr().out:    # the offline stand-in is exact
        np.testing.assert_array_equal(pictures["artist"], pictures["five"])
    assert np.abs(pictures["artist"].astype(int) - pictures["one"]).mean() > DIFFERS
    assert main.main(["stylize", photo, "--artist", "Nobody", "--out",
                      str(tmp_path / "no.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert "no artist 'Nobody'" in error and "Vincent van Gogh" in error and "\n" not in error
