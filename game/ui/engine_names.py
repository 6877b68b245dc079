"""One name for what really ran, in the player's language, wherever a machine is named.

A slot's label is the worker's word for its engine: a model's own name ("Magenta (TFLite
fp16)", "Gatys VGG-19 blocks 1–3", kept as it is), an offline stand-in's locale key
(game.nst.machines puts the stand-ins into words), or, before the worker has said which
engine it runs, the slot's default label ("Gatys (starting)": it claims no model). The
score line and the party's thumbnails need the same name in a word or two, so it is derived
here from that one label rather than written per screen ("vs Magenta" under a
studio-filter picture was the bug).

The settings caption is written by the worker in English model terms; its words are put
into the player's language from the locale's [settings_terms] (the identifiers, block names
and numbers stay as they are), so a Romanian screen shows no English sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from game.i18n import Msg, Strings, Text

# The stand-ins' locale keys -> their short names (a default label: the slot's engine's).
SHORT_KEYS = {"machines.label_studio": "machines.short_studio",
              "machines.label_untrained": "machines.short_untrained"}
# English terms in the workers' settings text (models.engines) -> their locale keys.
SETTINGS_TERMS = {"histogram match": "histogram_match", "style texture": "style_texture",
                  "style weight": "style_weight", "style at": "style_at",
                  "strength": "strength", "threads": "threads", "thread": "thread",
                  "content": "content", "style": "style", "budget": "budget", "seed": "seed"}


def short_name(slot) -> Text:
    """The engine that fills `slot`, in a word or two: 'Magenta', 'studio filter'."""
    label = slot.label
    if isinstance(label, Msg):
        return Msg(SHORT_KEYS.get(label.key, f"machines.short_{slot.engine}"))
    # A model's own label names its family first ("Magenta (TFLite fp16)", "Gatys VGG-19").
    words = re.split(r"[\s,(]+", label.strip())
    return words[0] if words[0] else Msg(f"machines.short_{slot.engine}")


@lru_cache(maxsize=1)
def _terms_pattern() -> re.Pattern:
    longest_first = sorted(SETTINGS_TERMS, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(term) for term in longest_first) + r")\b")


def settings_caption(strings: Strings, settings: Text) -> str:
    """A slot's settings caption in the player's language (model identifiers kept)."""
    if isinstance(settings, Msg) and isinstance(settings.params.get("text"), str):
        words = _terms_pattern().sub(
            lambda match: strings.get(f"settings_terms.{SETTINGS_TERMS[match.group(1)]}"),
            settings.params["text"])
        return strings.get(settings.key, **{**settings.params, "text": words})
    return strings(settings)
