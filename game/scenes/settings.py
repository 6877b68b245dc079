"""Settings: round time, what a round's style is, language, text size, volume, mute,
fullscreen; saved on leaving.

Up/Down choose a row, Left/Right change it (Enter toggles), Esc saves and goes back.
"""
from __future__ import annotations

import pygame

from game.config import STYLE_KINDS
from game.round import MAX_SECONDS, MIN_SECONDS
from game.i18n import LANGUAGE_NAMES, LANGUAGES, Msg
from game.scene import Scene
from game.ui.setting_rows import SettingRow, draw_setting_row

TEXT_SIZES = ("small", "medium", "large")


class SettingsScene(Scene):
    name = "settings"

    def enter(self) -> None:
        cfg = self.app.config
        self.index = 0
        self.message = ""
        self.rows = [
            SettingRow(Msg("settings.round_time"),
                       lambda: self.app.t("settings.seconds", seconds=cfg.round.seconds),
                       self._round_time),
            SettingRow(Msg("rounds.style_kind"),
                       lambda: self.app.t(f"rounds.style_kind_{cfg.round.style_kind}"),
                       self._style_kind),
            SettingRow(Msg("settings.language"),
                       lambda: LANGUAGE_NAMES.get(cfg.display.language, cfg.display.language),
                       self._language),
            SettingRow(Msg("settings.text_size"),
                       lambda: self.app.t(f"settings.size_{cfg.display.text_size}"),
                       self._text_size),
            SettingRow(Msg("settings.volume"),
                       lambda: self.app.t("settings.percent",
                                          percent=round(cfg.sound.volume * 100)),
                       self._volume),
            SettingRow(Msg("settings.mute"), lambda: self._on_off(cfg.sound.muted), self._mute),
            SettingRow(Msg("settings.fullscreen"), lambda: self._on_off(cfg.display.fullscreen),
                       self._fullscreen),
        ]

    def _on_off(self, value: bool) -> str:
        return self.app.t("settings.on" if value else "settings.off")

    # -- changes -------------------------------------------------------------------
    def _language(self, step: int) -> None:
        """Every scene draws its words from the catalogue, so the switch shows at once."""
        current = self.app.strings.language
        i = LANGUAGES.index(current) if current in LANGUAGES else 0
        self.app.set_language(LANGUAGES[(i + step) % len(LANGUAGES)])

    def _round_time(self, step: int) -> None:
        cfg = self.app.config.round
        cfg.seconds = max(MIN_SECONDS, min(MAX_SECONDS, cfg.seconds + 15 * step))

    def _style_kind(self, step: int) -> None:
        cfg = self.app.config.round
        i = STYLE_KINDS.index(cfg.style_kind) if cfg.style_kind in STYLE_KINDS else 0
        cfg.style_kind = STYLE_KINDS[(i + step) % len(STYLE_KINDS)]

    def _text_size(self, step: int) -> None:
        display = self.app.config.display
        i = TEXT_SIZES.index(display.text_size) if display.text_size in TEXT_SIZES else 1
        display.text_size = TEXT_SIZES[max(0, min(len(TEXT_SIZES) - 1, i + step))]
        self.app.theme.set_text_size(display.text_size)

    def _volume(self, step: int) -> None:
        sound = self.app.config.sound
        sound.volume = round(max(0.0, min(1.0, sound.volume + 0.1 * step)), 2)
        self._apply_sound()
        self.app.services.sound.play("click")

    def _mute(self, step: int) -> None:
        self.app.config.sound.muted = not self.app.config.sound.muted
        self._apply_sound()

    def _fullscreen(self, step: int) -> None:
        self.app.config.display.fullscreen = not self.app.config.display.fullscreen
        self.app.toggle_fullscreen()

    def _apply_sound(self) -> None:
        sound = self.app.config.sound
        self.app.services.sound.set_volume(sound.volume, sound.muted)

    def back(self) -> None:
        error = self.app.services.save_config()
        if error:
            self.message = error        # stay, so the player sees why (staff-facing path)
            return
        self.app.pop()

    # -- scene ---------------------------------------------------------------------
    def row_rect(self, i: int) -> pygame.Rect:
        return pygame.Rect(290, 130 + i * 64, 700, 54)

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
                self.back()
            elif event.key == pygame.K_UP:
                self.index = (self.index - 1) % len(self.rows)
            elif event.key in (pygame.K_DOWN, pygame.K_TAB):
                self.index = (self.index + 1) % len(self.rows)
            elif event.key in (pygame.K_LEFT, pygame.K_MINUS):
                self.rows[self.index].change(-1)
            elif event.key in (pygame.K_RIGHT, pygame.K_EQUALS, pygame.K_RETURN,
                               pygame.K_SPACE):
                self.rows[self.index].change(+1)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.back_rect().collidepoint(event.pos):
                self.back()
                return
            for i in range(len(self.rows)):
                rect = self.row_rect(i)
                if rect.collidepoint(event.pos):
                    self.index = i
                    self.rows[i].change(-1 if event.pos[0] < rect.x + 430 else 1)

    def back_rect(self) -> pygame.Rect:
        return pygame.Rect(540, 610, 200, 52)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        theme.blit_text(surface, self.app.t("settings.heading"), (640, 50), "h1", c.accent,
                        "midtop")
        for i, row in enumerate(self.rows):
            draw_setting_row(surface, theme, self.row_rect(i), row, i == self.index)
        back = self.back_rect()
        pygame.draw.rect(surface, c.panel_light, back, border_radius=8)
        theme.blit_text(surface, self.app.t("settings.save_back"), back.center, "body", c.text,
                        "center")
        note = self.app.strings(self.message) if self.message else self.app.t("settings.saved_to",
                                          path=self.app.services.config_path)
        theme.blit_text(surface, note[:130], (640, 690), "small",
                        c.urgent if self.message else c.text_dim, "center")
