"""A Round driven without a window: clock, phases, painting hand-over and the pair lock."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from game.i18n import Msg
from game.round import MAX_SECONDS, MIN_SECONDS, URGENT_SECONDS, Round


@dataclass(frozen=True)
class Item:
    id: str
    title: str


CAT = Item("cat", "A Cat")
DOG = Item("dog", "A Dog")
WAVE = Item("wave", "The Great Wave")
STARRY = Item("starry", "Starry Night")


def make_round(seconds: float = 30) -> Round:
    return Round(CAT, WAVE, seconds)


def canvas(fill: int = 7) -> np.ndarray:
    return np.full((6, 8, 3), fill, dtype=np.uint8)


def test_countdown_finishes_exactly_once_at_zero() -> None:
    game = make_round(30)
    game.start()
    frame = 1 / 60
    timeouts = 0
    frames = 0
    while frames < 60 * 40:  # 40 s of frames: well past the 30 s round
        timeouts += game.tick(frame)
        frames += 1
        assert game.remaining >= 0
    assert timeouts == 1
    assert game.phase == "finished"
    assert game.remaining == 0
    assert game.elapsed == 30
    assert not game.finished_early


def test_huge_tick_clamps_to_zero_and_reports_time_out() -> None:
    game = make_round(30)
    game.start()
    assert game.tick(1000) is True
    assert game.remaining == 0.0
    assert game.elapsed == 30
    assert game.tick(1) is False


def test_clock_does_not_run_before_start_or_backwards() -> None:
    game = make_round(30)
    assert game.tick(5) is False
    assert game.remaining == 30 and game.phase == "setup"
    game.start()
    game.tick(5)
    game.tick(-3)
    game.tick(float("nan"))
    assert game.remaining == 25


def test_urgent_only_in_the_last_ten_seconds_of_painting() -> None:
    game = make_round(30)
    assert not game.is_urgent
    game.start()
    game.tick(30 - URGENT_SECONDS - 0.5)
    assert game.remaining == 10.5
    assert not game.is_urgent
    game.tick(0.5)
    assert game.remaining == URGENT_SECONDS
    assert game.is_urgent
    game.tick(9)
    assert game.is_urgent
    game.tick(1)
    assert game.phase == "finished"
    assert not game.is_urgent


def test_finishing_early_keeps_a_copy_of_the_first_painting() -> None:
    game = make_round(60)
    game.start()
    game.tick(12)
    submitted = canvas(7)
    game.finish(submitted)
    submitted[:] = 0  # the live canvas keeps changing after submission
    game.finish(canvas(99))  # a second call must not swap the painting
    assert game.phase == "finished"
    assert game.finished_early
    assert game.remaining == 48
    assert game.painting is not None
    assert (game.painting == 7).all()
    assert game.tick(1) is False
    assert game.remaining == 48


def test_painting_can_be_handed_over_after_time_out() -> None:
    game = make_round(30)
    game.start()
    assert game.tick(31)
    assert game.painting is None
    game.finish(canvas(3))
    assert game.painting is not None and (game.painting == 3).all()
    assert not game.finished_early


def test_finish_rejects_a_painting_of_the_wrong_shape() -> None:
    game = make_round(30)
    game.start()
    with pytest.raises(ValueError, match="uint8"):
        game.finish(np.zeros((6, 8, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        game.finish(np.zeros((6, 8, 3), dtype=np.float32))


def test_give_up_sets_the_flag_and_finishes() -> None:
    game = make_round(30)
    game.start()
    game.give_up()
    assert game.gave_up
    assert game.phase == "finished"
    assert game.painting is None


def test_pair_can_change_in_setup_only() -> None:
    game = make_round(30)
    game.set_pair(content=DOG)
    game.set_pair(style=STARRY)
    assert (game.content, game.style) == (DOG, STARRY)
    game.start()
    with pytest.raises(RuntimeError):
        game.set_pair(content=CAT)
    game.finish()
    with pytest.raises(RuntimeError):
        game.set_pair(style=WAVE)
    assert (game.content, game.style) == (DOG, STARRY)


def test_start_twice_is_harmless_but_not_after_finish() -> None:
    game = make_round(30)
    game.start()
    game.tick(4)
    game.start()
    assert game.elapsed == 4
    game.finish()
    with pytest.raises(RuntimeError):
        game.start()


@pytest.mark.parametrize(
    ("asked", "expected"),
    [(5, MIN_SECONDS), (-1, MIN_SECONDS), (90, 90), (10_000, MAX_SECONDS), (45.5, 45.5)],
)
def test_seconds_are_clamped(asked: float, expected: float) -> None:
    assert Round(CAT, WAVE, asked).seconds == expected


def test_nan_seconds_are_refused() -> None:
    with pytest.raises(ValueError):
        Round(CAT, WAVE, float("nan"))


def test_slots_start_waiting_and_are_not_shared_between_rounds() -> None:
    first, second = make_round(), make_round()
    assert set(first.slots) == {"magenta", "gatys"}
    for name, slot in first.slots.items():
        assert slot.engine == name
        assert slot.status == "waiting"
        assert slot.progress == 0.0
        assert slot.image is None and slot.seconds is None
        assert slot.detail == Msg("machines.waiting")
    first.slots["gatys"].status = "running"
    assert second.slots["gatys"].status == "waiting"
    assert first.score is None


def test_round_ids_are_unique_unless_given() -> None:
    assert make_round().round_id != make_round().round_id
    assert Round(CAT, WAVE, 30, round_id="r-1").round_id == "r-1"
