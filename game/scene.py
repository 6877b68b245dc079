"""Scenes and the scene stack (Game Programming Patterns: State, pushdown automaton).

A scene has enter(), exit(), handle_event(event), update(dt) and draw(surface), like
Arcade's View. `update` computes, `draw` only draws. Overlays (pause, pickers) are
pushed on top and draw the scene below them first.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from game.app import App


class Scene:
    name = "scene"          # used for screenshots and the demo bot
    is_overlay = False      # True: the scene below is drawn first and keeps its picture

    def __init__(self, app: "App") -> None:
        self.app = app

    def enter(self) -> None: ...

    def exit(self) -> None: ...

    def resume(self) -> None:
        """Called when an overlay above this scene is popped."""

    def handle_event(self, event: pygame.event.Event) -> None: ...

    def update(self, dt: float) -> None: ...

    def draw(self, surface: pygame.Surface) -> None: ...


class SceneStack:
    def __init__(self) -> None:
        self._scenes: list[Scene] = []

    @property
    def top(self) -> Scene | None:
        return self._scenes[-1] if self._scenes else None

    def __len__(self) -> int:
        return len(self._scenes)

    def push(self, scene: Scene) -> None:
        self._scenes.append(scene)
        scene.enter()

    def pop(self) -> Scene | None:
        if not self._scenes:
            return None
        scene = self._scenes.pop()
        scene.exit()
        if self._scenes:
            self._scenes[-1].resume()
        return scene

    def replace(self, scene: Scene) -> None:
        """Swap the whole stack for one scene (e.g. back to the title from a pause menu)."""
        while self._scenes:
            self._scenes.pop().exit()
        self.push(scene)

    def visible(self) -> list[Scene]:
        """The scenes to draw, bottom first: down to the first non-overlay."""
        start = len(self._scenes) - 1
        while start > 0 and self._scenes[start].is_overlay:
            start -= 1
        return self._scenes[max(start, 0):]
