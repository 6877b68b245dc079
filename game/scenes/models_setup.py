"""Install the real networks from inside the game: download (online) or import a folder.

Runs `main.py models fetch` / `models import DIR` as a child process (TensorFlow and the
network stay out of the game process) and shows its progress lines as they come. Offline,
the fetch command fails at once with a clear message, shown here with the import option.
"""
from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

import pygame

from game.i18n import Msg
from game.scene import Scene
from game.ui.widgets import Button, Menu, draw_panel

MAIN = Path(__file__).resolve().parents[2] / "main.py"
PERCENT = re.compile(r"(\d{1,3})%")
# TensorFlow's start-up chatter is not for players.
NOISE = re.compile(r"^([IWE]\d{4} |WARNING: All log|To enable the following|INFO: )")


def _read_lines(stream, lines: "queue.SimpleQueue[str | None]") -> None:
    """Thread: a child's output, split on newlines and carriage returns (progress redraws)."""
    buffer = ""
    for chunk in iter(lambda: stream.read(1), ""):
        if chunk in "\r\n":
            if buffer.strip():
                lines.put(buffer.strip())
            buffer = ""
        else:
            buffer += chunk
    if buffer.strip():
        lines.put(buffer.strip())
    lines.put(None)


class ModelsScene(Scene):
    name = "models"

    def __init__(self, app, command: list[str] | None = None) -> None:
        super().__init__(app)
        self.base_command = command or [sys.executable, str(MAIN), "models"]
        self.process: subprocess.Popen | None = None
        self.lines: queue.SimpleQueue = queue.SimpleQueue()
        self.log: list[str] = []
        self.percent: int | None = None
        self.result: Msg | None = None

    def enter(self) -> None:
        self.menu = Menu(vertical=False)
        self.menu.add(Button(pygame.Rect(240, 600, 260, 56), Msg("models_setup.download"),
                             self.download,
                             (pygame.K_d,), "D"))
        self.menu.add(Button(pygame.Rect(520, 600, 300, 56), Msg("models_setup.import"),
                             self.ask_folder, (pygame.K_i,), "I"))
        self.menu.add(Button(pygame.Rect(840, 600, 200, 56), Msg("common.back"), self.back,
                             (pygame.K_ESCAPE,), "Esc"))

    def run(self, *args: str) -> None:
        if self.process is not None and self.process.poll() is None:
            return                                  # one command at a time
        self.log, self.percent, self.result = [], None, None
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        self.process = subprocess.Popen([*self.base_command, *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
        threading.Thread(target=_read_lines, args=(self.process.stdout, self.lines),
                         daemon=True).start()

    def download(self) -> None:
        self.run("fetch")

    def ask_folder(self) -> None:
        from game.scenes.prompt import TextPrompt

        def submit(text: str) -> str | None:
            folder = Path(text).expanduser()
            if not folder.is_dir():
                return self.app.t("models_setup.not_a_folder", path=text)
            self.run("import", str(folder))
            return None

        self.app.push(TextPrompt(self.app, Msg("models_setup.import_title"),
                                 Msg("models_setup.import_hint"), submit))

    def back(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()                # the fetch cleans up its temp file
        self.app.pop()

    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                break
            if line is None:
                self._finished()
                continue
            if NOISE.match(line):
                continue
            self.log = (self.log + [line])[-8:]
            match = PERCENT.search(line)
            if match:
                self.percent = min(100, int(match.group(1)))

    def _finished(self) -> None:
        code = self.process.wait() if self.process is not None else 1
        if code == 0:
            self.result = Msg("models_setup.installed")
            self.app.services.machines.close()      # fresh workers pick the new files up
            from game.launcher import MODELS_MISSING, models_notice
            notice = models_notice()
            self.app.services.notices = [n for n in self.app.services.notices
                                         if getattr(n, "key", "") != MODELS_MISSING]
            if notice:
                self.app.services.notices.append(notice)
        else:
            self.result = Msg("models_setup.failed")

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        theme.blit_text(surface, self.app.t("models_setup.heading"), (640, 40), "h1", c.accent,
                        "midtop")
        intro = self.app.t("models_setup.intro")
        for i, line in enumerate(theme.wrap(intro, "body", 1000)):
            theme.blit_text(surface, line, (640, 110 + i * 30), "body", c.text_dim, "midtop")
        box = pygame.Rect(140, 190, 1000, 330)
        draw_panel(surface, theme, box)
        wrapped = [part for line in self.log for part in theme.wrap(line, "small", box.width - 40)]
        for i, line in enumerate(wrapped[-10:]):
            theme.blit_text(surface, line, (box.x + 20, box.y + 16 + i * 26), "small")
        if self.percent is not None:
            bar = pygame.Rect(box.x + 20, box.bottom - 40, box.width - 40, 16)
            pygame.draw.rect(surface, c.panel_light, bar, border_radius=8)
            done = bar.copy()
            done.width = round(bar.width * self.percent / 100)
            pygame.draw.rect(surface, c.accent, done, border_radius=8)
        if self.result is not None:
            for i, line in enumerate(theme.wrap(self.result, "body", 1000)):
                theme.blit_text(surface, line, (640, 536 + i * 28), "body",
                                c.good if self.result.key == "models_setup.installed"
                                else c.urgent,
                                "midtop")
        self.menu.draw(surface, theme)
