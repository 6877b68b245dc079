"""Title: play, party, leaderboard, settings, quit.

In kiosk mode visitors get play, gallery, leaderboard and (kiosk.language_button) a
language switch, with big touch targets; no quit or settings (staff use the admin chord
and the config file), no party (its name entry bypasses the kiosk's on-screen keyboard
and block-list) and no model download.
"""
from __future__ import annotations

import math

import pygame

from game.i18n import LANGUAGE_NAMES, LANGUAGES, Msg
from game.launcher import MODELS_MISSING
from game.scene import Scene
from game.ui.widgets import Button, Menu, column_rects


class TitleScene(Scene):
    name = "title"

    def enter(self) -> None:
        self.time = 0.0
        self.menu = Menu()
        self.language_button: Button | None = None
        if self.app.config.kiosk.enabled:
            self._kiosk_menu()
        else:
            self._solo_menu()
        self.backdrop = self._make_backdrop()

    def _solo_menu(self) -> None:
        entries = [
            (Msg("title.play"), self.play, (pygame.K_p,), "P"),
            (Msg("title.party"), self.party, (pygame.K_y,), "Y"),
            (Msg("title.leaderboard"), self.leaderboard, (pygame.K_l,), "L"),
            (Msg("title.settings"), self.settings, (pygame.K_s,), "S"),
            (Msg("title.quit"), self.app.quit, (pygame.K_q, pygame.K_ESCAPE), "Q"),
        ]
        if any(getattr(n, "key", "") == MODELS_MISSING for n in self.app.services.notices):
            entries.insert(4, (Msg("title.get_models"), self.get_models, (pygame.K_m,), "M"))
        rects = column_rects(640, 290, len(entries), width=380,
                             height=50 if len(entries) == 5 else 44, gap=12)
        for rect, (label, action, keys, hint) in zip(rects, entries):
            self.menu.add(Button(rect, label, action, keys, hint))

    def _kiosk_menu(self) -> None:
        entries = [
            (Msg("title.play"), self.play, (pygame.K_p,), "P"),
            (Msg("kiosk.gallery"), self.gallery, (pygame.K_g,), "G"),
            (Msg("title.leaderboard"), self.leaderboard, (pygame.K_l,), "L"),
        ]
        if self.app.config.kiosk.language_button:
            entries.append((self._other_language_name(), self.switch_language,
                            (pygame.K_t,), "T"))
        # Taller than the solo menu's buttons: fingers, not a mouse pointer.
        rects = column_rects(640, 296, len(entries), width=400, height=62, gap=14)
        for rect, (label, action, keys, hint) in zip(rects, entries):
            self.menu.add(Button(rect, label, action, keys, hint))
        if self.app.config.kiosk.language_button:
            self.language_button = self.menu.buttons[-1]

    def _next_language(self) -> str:
        current = self.app.strings.language
        index = LANGUAGES.index(current) if current in LANGUAGES else -1
        return LANGUAGES[(index + 1) % len(LANGUAGES)]

    def _other_language_name(self) -> str:
        # Each language is named in its own words, so a tourist finds theirs.
        return LANGUAGE_NAMES[self._next_language()]

    def switch_language(self) -> None:
        self.app.services.sound.play("click")
        self.app.set_language(self._next_language())
        if self.language_button is not None:
            self.language_button.label = self._other_language_name()

    def _make_backdrop(self) -> pygame.Surface | None:
        """A dimmed strip of style paintings behind the title: the game's own gallery."""
        styles = self.app.services.catalogue.styles[:6]
        if not styles:
            return None
        strip = pygame.Surface((1280, 230))
        strip.fill(self.app.theme.colors.background)
        width = 1280 // len(styles)
        for i, item in enumerate(styles):
            thumb = self.app.services.images.surface(item, (width * 2, 460))
            area = pygame.Rect(0, 0, width, 230)
            area.center = thumb.get_rect().center
            strip.blit(thumb, (i * width, 0), area)
        shade = pygame.Surface(strip.get_size(), pygame.SRCALPHA)
        shade.fill((22, 22, 28, 150))
        strip.blit(shade, (0, 0))
        return strip

    def play(self) -> None:
        from game.scenes.setup import SetupScene
        self.app.services.sound.play("click")
        self.app.push(SetupScene(self.app))

    def party(self) -> None:
        from game.scenes.lobby import LobbyScene
        self.app.services.sound.play("click")
        self.app.push(LobbyScene(self.app))

    def gallery(self) -> None:
        from game.scenes.gallery_view import GalleryViewScene
        self.app.services.sound.play("click")
        self.app.push(GalleryViewScene(self.app))

    def leaderboard(self) -> None:
        from game.scenes.leaderboard import LeaderboardScene
        self.app.push(LeaderboardScene(self.app))

    def get_models(self) -> None:
        from game.scenes.models_setup import ModelsScene
        self.app.push(ModelsScene(self.app))

    def settings(self) -> None:
        from game.scenes.settings import SettingsScene
        self.app.push(SettingsScene(self.app))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_SPACE) \
                and self.menu.focus == 0:
            self.play()
            return
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.time += dt

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        if self.backdrop is not None:
            surface.blit(self.backdrop, (0, 40))
        bob = math.sin(self.time * 1.6) * 4
        theme.blit_text(surface, self.app.t("title.logo"), (640, 150 + bob), "title", c.accent,
                        "center")
        theme.blit_text(surface, self.app.t("title.tagline"),
                        (640, 228), "h2", c.text, "center")
        self.menu.draw(surface, theme)
        y = 714
        # Notices are for whoever runs the machine; a museum's public screen is no place
        # for them (the kiosk logs them at start-up instead).
        notices = [] if self.app.config.kiosk.enabled else self.app.services.notices[-3:]
        for notice in reversed(notices):
            for line in reversed(theme.wrap(notice, "small", 1200)):
                theme.blit_text(surface, line, (640, y), "small", c.text_dim, "midbottom")
                y -= 22
        if not self.app.config.kiosk.enabled:     # a touch screen has no letter keys
            theme.blit_text(surface, self.app.t("title.controls"),
                            (1270, 10), "small", c.text_dim, "topright")

