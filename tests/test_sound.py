"""Sound effects: real waveforms, and silence without an audio device."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from game import sound
from game.sound import EFFECTS, SoundBoard, to_pcm


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_each_effect_is_audible_and_never_clips(name):
    wave = EFFECTS[name]()
    assert 0.02 < len(wave) / sound.RATE < 3.0          # short effects, not silence
    assert np.abs(wave).max() <= 1.0
    assert np.sqrt(np.mean(wave ** 2)) > 0.01


def test_pcm_is_int16_with_one_column_per_channel():
    pcm = to_pcm(np.array([0.0, 1.0, -1.0, 2.0]), channels=2)
    assert pcm.dtype == np.int16 and pcm.shape == (4, 2)
    assert pcm[1, 0] == 32767 and pcm[3, 1] == 32767      # clipped, not wrapped


def test_board_plays_on_dummy_audio_and_respects_mute():
    pygame.init()
    board = SoundBoard(volume=0.5)
    try:
        assert board.available and set(board._sounds) == set(EFFECTS)
        board.play("tick")
        board.set_volume(0.5, muted=True)
        board.play("reveal")        # muted: a no-op, still no error
    finally:
        board.close()


def test_no_audio_device_means_silent_and_no_error(monkeypatch):
    def no_device(*args, **kwargs):
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    monkeypatch.setattr(pygame.mixer, "init", no_device)
    board = SoundBoard()
    assert board.available is False
    board.play("brush")
    board.close()
