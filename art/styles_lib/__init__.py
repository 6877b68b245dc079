"""Painting routines for art/paint_styles.py, grouped by family (see kit.py for the shared
Painter). Each public `paint_*` function returns one (384, 512, 3) uint8 picture."""
