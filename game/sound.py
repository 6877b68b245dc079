"""Sound effects the project makes itself: synthesised with numpy at start-up.

Where there is no audio device (kiosk without speakers, CI's dummy driver) every call is
silently a no-op: the game never fails because of sound.
"""
from __future__ import annotations

import logging

import numpy as np
import pygame

log = logging.getLogger(__name__)

RATE = 22050            # Hz; plenty for short effects, half the memory of 44.1 kHz


def _envelope(n: int, attack: float, release: float) -> np.ndarray:
    """Linear attack, exponential release; (n,) float32."""
    t = np.arange(n) / RATE
    env = np.minimum(1.0, t / max(attack, 1e-4))
    return (env * np.exp(-t / max(release, 1e-4))).astype(np.float32)


def synth_tick() -> np.ndarray:
    """A short woodblock click for the last ten seconds."""
    n = int(0.08 * RATE)
    t = np.arange(n) / RATE
    wave = np.sin(2 * np.pi * 1250 * t) + 0.4 * np.sin(2 * np.pi * 2500 * t)
    return wave * _envelope(n, 0.001, 0.015) * 0.5


def synth_brush(seed: int = 0) -> np.ndarray:
    """Bristles on canvas: band-passed noise with a soft swell."""
    rng = np.random.default_rng(seed)
    n = int(0.35 * RATE)
    noise = rng.standard_normal(n)
    # crude band-pass: difference of two moving averages keeps the 'shhh' band
    fast = np.convolve(noise, np.ones(3) / 3, mode="same")
    slow = np.convolve(noise, np.ones(40) / 40, mode="same")
    t = np.arange(n) / n
    return (fast - slow) * np.sin(np.pi * t) ** 2 * 0.25


def synth_chime() -> np.ndarray:
    """The reveal: a rising major arpeggio with bell-like partials."""
    notes = (523.25, 659.25, 783.99, 1046.5)
    step = int(0.11 * RATE)
    total = step * len(notes) + int(0.9 * RATE)
    out = np.zeros(total)
    for i, freq in enumerate(notes):
        n = total - i * step
        t = np.arange(n) / RATE
        tone = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(2 * np.pi * freq * 2.76 * t)
        out[i * step:] += tone * _envelope(n, 0.004, 0.45) * 0.22
    return out


def synth_click() -> np.ndarray:
    n = int(0.03 * RATE)
    t = np.arange(n) / RATE
    return np.sin(2 * np.pi * 880 * t) * _envelope(n, 0.001, 0.006) * 0.35


def synth_gong() -> np.ndarray:
    """Time is up: a low, slightly inharmonic gong."""
    n = int(1.2 * RATE)
    t = np.arange(n) / RATE
    wave = sum(a * np.sin(2 * np.pi * f * t) for f, a in ((196, 1.0), (293.7, 0.5), (466, 0.3)))
    return wave * _envelope(n, 0.005, 0.35) * 0.3


EFFECTS = {"tick": synth_tick, "brush": synth_brush, "reveal": synth_chime,
           "click": synth_click, "time_up": synth_gong}


def to_pcm(wave: np.ndarray, channels: int) -> np.ndarray:
    """float wave in [-1, 1] -> int16 samples shaped for the mixer's channel count."""
    pcm = (np.clip(wave, -1.0, 1.0) * 32767).astype(np.int16)
    return np.repeat(pcm[:, None], channels, axis=1) if channels > 1 else pcm


class SoundBoard:
    def __init__(self, volume: float = 0.8, muted: bool = False) -> None:
        self.volume = volume
        self.muted = muted
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self.available = self._open_mixer()

    def _open_mixer(self) -> bool:
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=RATE, size=-16, channels=2, buffer=512)
            init = pygame.mixer.get_init()
            if not init:
                return False
            channels = init[2]
            for name, make in EFFECTS.items():
                self._sounds[name] = pygame.sndarray.make_sound(to_pcm(make(), channels))
        except (pygame.error, ValueError, TypeError) as exc:
            log.info("sound off: %s", exc)
            self._sounds.clear()
            return False
        return True

    def set_volume(self, volume: float, muted: bool) -> None:
        self.volume, self.muted = volume, muted

    def play(self, name: str) -> None:
        sound = self._sounds.get(name)
        if sound is None or self.muted or self.volume <= 0:
            return
        sound.set_volume(self.volume)
        sound.play()

    def close(self) -> None:
        self._sounds.clear()
        if self.available and pygame.mixer.get_init():
            pygame.mixer.quit()
