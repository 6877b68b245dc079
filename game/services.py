"""What every scene shares: config, catalogue, images, leaderboard, sound.

Built once in main.py and handed to the App (no module-level singletons). The
leaderboard opens on first use so the title screen does not wait for it; so do the kiosk's
gallery and name block-list.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pygame

from game.artists import is_artist, mosaic
from game.catalogue import ArtItem, Catalogue
from game.blocklist import BlockList
from game.config import GameConfig, leaderboard_path, resolved_data_dir, save_config
from game.gallery import Gallery
from game.i18n import Msg, Strings
from game.image_loader import ImageLoadError, load_rgb
from game.nst.machines import Machines, service_for
from game.sound import SoundBoard
from game.store import Leaderboard

log = logging.getLogger(__name__)

ART_MAX_SIDE = 1024      # a round never needs more; caps memory for museum-sized scans


class ImageCache:
    """Decoded art as numpy arrays and as scaled pygame surfaces, by item id."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}
        self._surfaces: dict[tuple, pygame.Surface] = {}

    def array(self, item: ArtItem) -> np.ndarray:
        """(H, W, 3) uint8; raises ImageLoadError with a clear message.

        An artist (game.artists) is a mosaic of its paintings: what the player sees, the
        paint scene's references and eyedropper; the machines get style_inputs instead."""
        if item.id not in self._arrays:
            if is_artist(item):
                members = [self.array(member) for member in item.members]
                self._arrays[item.id] = mosaic(members)
            else:
                self._arrays[item.id] = load_rgb(item.path, max_side=ART_MAX_SIDE)
        return self._arrays[item.id]

    def style_inputs(self, item: ArtItem) -> list[tuple[np.ndarray, float]]:
        """What the NST machines paint in: [(painting, weight)], (H, W, 3) uint8 each. One
        painting for a painting; every painting of an artist, equal weights summing to 1."""
        members = item.members if is_artist(item) else (item,)
        return [(self.array(member), 1.0 / len(members)) for member in members]

    def surface(self, item: ArtItem, box: tuple[int, int]) -> pygame.Surface:
        """The item scaled to fit box (w, h); a labelled grey card if it cannot be read."""
        key = (item.id, box)
        if key not in self._surfaces:
            try:
                surface = array_to_surface(self.array(item))
                self._surfaces[key] = fit_surface(surface, box)
            except ImageLoadError as exc:
                log.warning("%s", exc)
                card = pygame.Surface(box)
                card.fill((60, 60, 66))
                self._surfaces[key] = card
        return self._surfaces[key]


def array_to_surface(array: np.ndarray) -> pygame.Surface:
    """(H, W, 3) uint8 -> Surface (pygame's surfarray is column-major, hence the swap)."""
    return pygame.surfarray.make_surface(np.ascontiguousarray(array.swapaxes(0, 1)))


def surface_to_array(surface: pygame.Surface) -> np.ndarray:
    """Surface -> (H, W, 3) uint8 copy."""
    return np.ascontiguousarray(pygame.surfarray.array3d(surface).swapaxes(0, 1))


def fit_surface(surface: pygame.Surface, box: tuple[int, int]) -> pygame.Surface:
    w, h = surface.get_size()
    scale = min(box[0] / w, box[1] / h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return pygame.transform.smoothscale(surface, size)


class Services:
    def __init__(self, config: GameConfig, config_path: Path, catalogue: Catalogue,
                 sound: SoundBoard, notices: list[str] | None = None) -> None:
        self.config = config
        self.config_path = config_path
        self.catalogue = catalogue
        self.sound = sound
        self.images = ImageCache()
        self.strings = Strings(config.display.language)
        self.notices = list(notices or [])
        self._leaderboard: Leaderboard | None = None
        self._gallery: Gallery | None = None
        self._blocklist: BlockList | None = None
        # The running KioskController (game.kiosk_mode) when kiosk mode is on, else None:
        # scenes ask it to keep finished paintings for the gallery.
        self.kiosk = None
        if config.kiosk.enabled:
            _ = self.blocklist      # now, so a bad block-list file is reported on the title
        # The NST workers start once the title is on screen (App.run calls warm_up; they
        # spawn in the background), so the title stays fast and the engines are loaded by
        # the time anyone presses Start. STYLE_DUEL_WARM_MACHINES=0: on the setup screen.
        # With [farm] url set, a render farm paints and the local workers stand by. Its
        # client is imported here, on the loop's thread: the service is made in the start
        # thread, and no two threads may import at once.
        if config.farm.url:
            import game.nst.farm_backend  # noqa: F401
        cache_dir = resolved_data_dir(config) / "nst-cache"
        self.machines = Machines(cache_dir,
                                 make_service=lambda: service_for(config.farm, cache_dir))

    @property
    def leaderboard(self) -> Leaderboard:
        if self._leaderboard is None:
            self._leaderboard = Leaderboard(leaderboard_path(self.config))
            if self._leaderboard.notice:
                self.notices.append(self._leaderboard.notice)
        return self._leaderboard

    @property
    def gallery(self) -> Gallery:
        """The kiosk's recent paintings, inside the data folder like everything we write."""
        if self._gallery is None:
            self._gallery = Gallery(resolved_data_dir(self.config) / "gallery",
                                    keep=self.config.kiosk.gallery_size)
        return self._gallery

    @property
    def blocklist(self) -> BlockList:
        """Words kiosk names may not contain; problems with the list go to the notices."""
        if self._blocklist is None:
            settings = self.config.kiosk
            self._blocklist, warnings = BlockList.from_sources(settings.blocklist,
                                                               settings.blocklist_file)
            for warning in warnings:
                log.warning("%s", warning)
            self.notices += warnings
        return self._blocklist

    def save_config(self) -> Msg | None:
        """Writes the config file; returns an error message instead of raising."""
        try:
            save_config(self.config, self.config_path)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)
            return Msg("settings.save_failed", path=self.config_path, reason=exc.strerror)
        return None

    def close(self) -> None:
        self.machines.close()
        if self._leaderboard is not None:
            self._leaderboard.close()
            self._leaderboard = None
        self.sound.close()
