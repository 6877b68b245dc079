"""What the replay screen hands the duel export, and what it says while the export runs."""
from __future__ import annotations

import os

from game.config import resolved_data_dir
from game.duel_export import (DUELS_FOLDER, KIOSK_KEEP, DuelExportJob, ExportStatus, Still,
                              stem_for)
from game.duel_view import DuelTexts
from game.i18n import Msg
from game.round import Round


def export_job(app, round_: Round, stroke_log: list, texts: DuelTexts) -> DuelExportJob:
    """Everything the export process needs, as plain data (it has no App)."""
    config = app.config
    kiosk = config.kiosk
    magenta, gatys = round_.slots["magenta"], round_.slots["gatys"]
    stills = [Still(float(s.seconds), int(s.iteration), s.image) for s in gatys.snapshots]
    return DuelExportJob(
        stem=stem_for(texts.content),
        out_dir=str(resolved_data_dir(config) / DUELS_FOLDER),
        usb_dir=kiosk.usb_dir if kiosk.enabled else "",
        painting=round_.painting,
        stroke_log=[r if isinstance(r, dict) else r.to_dict() for r in stroke_log],
        canvas_size=round_.canvas_size, canvas_seed=round_.canvas_seed,
        origin=round_.origin,
        magenta=(magenta.image, float(magenta.seconds or 0.0))
        if magenta.image is not None else None,
        gatys=(gatys.image, float(gatys.seconds or 0.0), stills)
        if gatys.image is not None else None,
        texts=texts, round_elapsed=round_.elapsed,
        keep=KIOSK_KEEP if kiosk.enabled else 0,
        text_size=config.display.text_size)


def status_text(status: ExportStatus) -> Msg:
    """One line for the player: how far the save got, where the files are, or why not."""
    if status.stage == "failed":
        return Msg("replay.failed", reason=status.reason)
    if status.stage == "done":
        folder = os.path.dirname(status.paths[0]) if status.paths else ""
        if status.reason == "usb":
            return Msg("replay.saved_usb", folder=folder)
        if status.reason == "no_usb":
            return Msg("replay.saved_no_usb", folder=folder)
        return Msg("replay.saved", folder=folder)
    return Msg("replay.saving", percent=round(100 * status.fraction))
