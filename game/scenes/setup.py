"""Setup: the round's photo and painting side by side; shuffle, pick, or load your own."""
from __future__ import annotations

from pathlib import Path

import pygame

from game.artists import is_artist
from game.catalogue import ArtItem, add_user_image, shown
from game.image_loader import ImageLoadError
from game.i18n import Msg
from game.round import Round
from game.scene import Scene
from game.ui.layout import LayoutReport, Panel, line_height
from game.ui.widgets import Button, Menu

IMAGE_BOX = (560, 360)
SLOTS = {"content": pygame.Rect(50, 110, 560, 360), "style": pygame.Rect(670, 110, 560, 360)}
BUTTONS_TOP = 560       # the shuffle and pick rows; the footer line goes under them
FOOTER = pygame.Rect(0, 666, 1280, 52)


class SetupScene(Scene):
    name = "setup"
    heading = Msg("setup.heading")      # the party's host pick reuses this screen

    def __init__(self, app, content: ArtItem | None = None, style: ArtItem | None = None):
        super().__init__(app)
        catalogue = app.services.catalogue
        pair = catalogue.random_pair(app.rng, self.style_kind())
        self.content = content or pair[0]
        self.style = style or pair[1]
        self.message: object = ""     # an error to show: a Msg or an image loader's text
        self._apply_command_line_images()

    def _apply_command_line_images(self) -> None:
        options = self.app.options
        for kind, path in (("content", options.content_path), ("style", options.style_path)):
            if path is not None:
                self.message = self.load_user_image(str(path), kind) or self.message

    def enter(self) -> None:
        row1 = [(Msg("setup.shuffle_photo"), self.shuffle_content, (pygame.K_c,), "C"),
                (Msg("setup.shuffle_painting"), self.shuffle_style, (pygame.K_v,), "V"),
                (Msg("setup.shuffle_both"), self.shuffle_both, (pygame.K_r,), "R")]
        row2 = [(Msg("setup.pick_photo"), lambda: self.pick("content"), (pygame.K_k,), "K"),
                (Msg("setup.pick_painting"), lambda: self.pick("style"), (pygame.K_j,), "J"),
                (Msg("setup.load_image"), self.ask_path, (pygame.K_o,), "O")]
        if self.app.config.kiosk.enabled:
            # A visitor must not open files on the museum's computer.
            row2.pop()
        self.menu = Menu(vertical=False)
        for row, y in ((row1, 560), (row2, 616)):
            for i, (label, action, keys, hint) in enumerate(row):
                rect = pygame.Rect(50 + i * 250, y, 236, 46)
                self.menu.add(Button(rect, label, action, keys, hint))
        uploads = self.offers_upload()
        # With uploads, the two ways to begin share the start column: paint, or bring one.
        start = pygame.Rect(860, 560, 370, 46 if uploads else 102)
        self.start_button = self.menu.add(Button(start, Msg("setup.start"),
                                                 self.start, (pygame.K_RETURN, pygame.K_SPACE),
                                                 "Enter"))
        if uploads:
            self.menu.add(Button(pygame.Rect(860, 616, 370, 46), Msg("attempt.use_picture"),
                                 self.open_attempt, (pygame.K_u,), "U"))
        self.menu.add(Button(pygame.Rect(1080, 24, 150, 40), Msg("common.back"), self.back,
                             (pygame.K_ESCAPE,), "Esc"))
        self.menu.focus = self.menu.buttons.index(self.start_button)
        self.app.services.machines.start()    # TensorFlow loads in the workers meanwhile
        attempt_path = self.app.options.attempt_path
        if attempt_path is not None and uploads:
            # Used once: the next round is painted unless the player brings another.
            self.app.options.attempt_path = None
            self.open_attempt(str(attempt_path))

    def offers_upload(self) -> bool:
        """The player's own picture as the attempt: not in a kiosk (a visitor must not open
        files on the museum's computer), and not where a party's host picks the pair."""
        return not self.app.config.kiosk.enabled and self.name == SetupScene.name

    def open_attempt(self, path: str | None = None) -> None:
        from game.scenes.attempt import AttemptScene
        self.app.push(AttemptScene(self.app, self.content, self.style, self.start_uploaded,
                                   path))

    def start_uploaded(self, image) -> None:
        """A confirmed picture (h, w, 3) uint8 as the attempt: the round and its machines as
        start() makes them (same budget, so the same cached results as painters), scored at
        once, and the reveal without a stroke log."""
        from game.scenes.reveal import RevealScene
        from game.scenes.title import TitleScene
        round_ = self._round_with_machines()
        if round_ is None:
            return
        round_.origin = "uploaded"
        round_.canvas_size = (image.shape[1], image.shape[0])
        round_.start()
        round_.finish(image)
        self.app.replace(TitleScene(self.app))
        self.app.push(RevealScene(self.app, round_, None))

    def round_seconds(self) -> int:
        """The clock the round will have (a party sets its own)."""
        return self.app.config.round.seconds

    def style_kind(self) -> str:
        """The round type the pair is drawn for (config.STYLE_KINDS; Settings → Paintings)."""
        return self.app.config.round.style_kind

    # -- actions -------------------------------------------------------------------
    def back(self) -> None:
        self.app.pop()

    def shuffle_content(self) -> None:
        self.content = self.app.services.catalogue.shuffle_content(self.content, self.app.rng)
        self.message = ""

    def shuffle_style(self) -> None:
        self.style = self.app.services.catalogue.shuffle_style(self.style, self.app.rng)
        self.message = ""

    def shuffle_both(self) -> None:
        self.shuffle_content()
        self.shuffle_style()

    def pick(self, kind: str) -> None:
        from game.scenes.picker import CataloguePicker
        current = self.content if kind == "content" else self.style
        self.app.push(CataloguePicker(self.app, kind, current, lambda item: self.set(kind, item)))

    def set(self, kind: str, item: ArtItem) -> None:
        if kind == "content":
            self.content = item
        else:
            self.style = item
        self.message = ""

    def ask_path(self) -> None:
        from game.scenes.prompt import TextPrompt
        kind = "content"

        def submit(text: str) -> str | None:
            if not text:
                return self.app.t("setup.type_a_path")
            return self.load_user_image(text, kind)

        self.app.push(TextPrompt(self.app, Msg("setup.load_title"), Msg("setup.load_hint"),
                                 submit))

    def load_user_image(self, path: str, kind: str) -> str | None:
        """Adds a player's file; returns an error message for the screen, or None."""
        try:
            item = add_user_image(self.app.services.catalogue, Path(path).expanduser(), kind)
            self.app.services.images.array(item)
        except ImageLoadError as exc:
            return str(exc)
        self.set(kind, item)
        return None

    def start(self) -> None:
        from game.scenes.paint import PaintScene
        round_ = self._round_with_machines()
        if round_ is not None:
            self.app.services.sound.play("click")
            self.app.push(PaintScene(self.app, round_))

    def _round_with_machines(self) -> Round | None:
        """The pair's round with both machines already at work on it (they start now,
        before the clock does); None, with the reason on screen, if a picture cannot load."""
        images = self.app.services.images
        try:
            # An artist's paintings all go to the machines (the player sees their mosaic).
            content, style = images.array(self.content), images.style_inputs(self.style)
        except ImageLoadError as exc:
            self.message = str(exc)
            return None
        round_ = Round(self.content, self.style, self.app.config.round.seconds)
        self.app.services.machines.start_round(round_, content, style)
        return round_

    # -- scene ---------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.DROPFILE and not self.app.config.kiosk.enabled:
            kind = "style" if pygame.mouse.get_pos()[0] >= 640 else "content"
            self.message = self.load_user_image(event.file, kind) or ""
            return
        self.menu.handle_event(event)

    def layout(self) -> LayoutReport:
        """The heading, each picture's caption, title and artist, and the footer line,
        measured so a long title or a translation is cut with '…', never run into the
        buttons or the neighbouring picture."""
        theme = self.app.theme
        c = theme.colors
        root = Panel.screen(theme, "setup")
        back = self.menu.buttons[-1].rect
        top = root.panel("top", pygame.Rect(50, 14, back.x - 16 - 50, SLOTS["content"].y - 30))
        seconds = Msg("setup.seconds", seconds=self.round_seconds())
        room = top.rect.width - min(theme.fonts["body"].size(theme.strings(seconds))[0],
                                    top.rect.width // 3) - 28     # the heading comes first
        heading = top.text_in(pygame.Rect(50, 30, room, 0), self.heading, "h1", c.accent)
        x = heading.rect.right + 28
        top.text_in(pygame.Rect(x, heading.rect.y, top.rect.right - x, heading.rect.height),
                    seconds, "body", c.text_dim, valign="centre")
        for kind, item, caption in (("content", self.content, Msg("setup.paint_this")),
                                    ("style", self.style, Msg("setup.in_style_of"))):
            slot = SLOTS[kind]
            words = shown(item, self.app.strings)     # in the player's language
            below = root.panel(kind, pygame.Rect(slot.x, slot.bottom + 10, slot.width,
                                                 BUTTONS_TOP - 4 - slot.bottom - 10))
            below.text(Msg("artists.in_style_of") if is_artist(item) else caption, "small",
                       c.text_dim)
            # The title steps down a size when all three lines would not fit.
            lines = line_height(theme, "small") * 2 + line_height(theme, "h2")
            size = "h2" if lines <= below.rect.height else "body"
            if is_artist(item):
                # "Paint like Vincent van Gogh", then every painting the machines use.
                below.text(Msg("artists.paint_like", artist=words.artist), size, c.text)
                below.text(self.paintings_line(item), "small", c.text_dim)
            else:
                below.text(words.title, size, c.text)
                below.text(f"{words.artist} · {words.year}", "small", c.text_dim)
        footer = root.panel("footer", FOOTER)
        if self.message:
            footer.text(self.message, "small", c.urgent, lines=2, align="centre")
        elif not self.app.config.kiosk.enabled:
            footer.text(Msg("setup.tip"), "small", c.text_dim, lines=2, align="centre")
        return root.report

    def paintings_line(self, artist) -> Msg:
        """'5 paintings: The Starry Night, The Night Café, …' (the layout cuts it to fit)."""
        titles = [shown(member, self.app.strings).title for member in artist.members]
        return Msg("artists.paintings", count=len(titles), titles=", ".join(titles))

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        for kind, item in (("content", self.content), ("style", self.style)):
            slot = SLOTS[kind]
            pygame.draw.rect(surface, c.panel, slot.inflate(16, 16), border_radius=10)
            image = self.app.services.images.surface(item, IMAGE_BOX)
            surface.blit(image, image.get_rect(center=slot.center))
        self.layout().draw_text(surface, theme)
        self.menu.draw(surface, theme)
