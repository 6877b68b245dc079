"""The demo bot's brain: plan the brush strokes a painter would make of a content/style pair.

The plan is plain data (``PlannedStroke``) so the demo scene can replay it through the real paint
scene over time; ``render_plan`` paints it directly onto a brushes ``Canvas`` (tests, previews).

How a plan is made (all analysis on a grid of at most ANALYSIS_SIDE px, then scaled up):
  1. The content is restyled in Lab: lightness histogram-matched to the style (keeping some of
     its own, so the subject stays readable), chroma moved to the style's mean and spread.
  2. Every stroke's colour is that restyled colour snapped to the style's dominant colours
     (k-means), lightness first.
  3. Layers, coarse to fine, each placed where a cheap estimate of the canvas so far is still
     furthest from the restyled content:
       - watercolour washes (60-120 px), one zig-zag per SLIC region of similar colour,
         painted light to dark;
       - acrylic body strokes (20-40 px) and then detail strokes (6-12 px) on the strongest
         edges, traced as polylines along the structure-tensor orientation field (along edges,
         across the gradient), ending at strong colour changes or where the canvas is already
         right (Hertzmann-style long strokes).

Planning is numpy/scipy/scikit-image only: no pygame, no TensorFlow, no module-level state.

Modules, one job each: stroke (PlannedStroke, point spacing), images (input resizing),
palette (k-means style colours, snapping), scene (the restyled target), fields (orientation
and edges), layers (the passes), estimate (the canvas so far), starts (where strokes go),
trace (following the field), hatch and washes (the wash layer), plan (``plan_painting``),
render (``render_plan``).
"""
from __future__ import annotations

from game.bot.palette import PALETTE_SIZE, style_palette
from game.bot.plan import plan_painting
from game.bot.render import bot_painter, render_plan
from game.bot.scene import style_target
from game.bot.stroke import ACRYLIC, WATERCOLOUR, PlannedStroke

__all__ = ["ACRYLIC", "PALETTE_SIZE", "WATERCOLOUR", "PlannedStroke", "bot_painter",
           "plan_painting", "render_plan", "style_palette", "style_target"]
