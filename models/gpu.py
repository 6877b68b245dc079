"""Two TensorFlow processes on one GPU: each takes memory as it needs it, never all of it.

By default TensorFlow maps nearly all of a GPU's memory in the first process that touches
it, so a second process on the same card (the Gatys replica beside Magenta's, a kiosk's
local workers) fails with out-of-memory. Every TensorFlow process here calls `share_gpus`
before its first op: memory growth, or a hard cap per process when
$STYLE_DUEL_GPU_MEMORY_MB is set (a cap is the safer choice when several processes share
one card for days: growth never gives memory back).

On a machine without a GPU it finds none and does nothing, so the same path runs on every
CI machine.
"""
from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

MEMORY_ENV = "STYLE_DUEL_GPU_MEMORY_MB"


def share_gpus(tf) -> list[str]:
    """Memory growth (or the cap from $STYLE_DUEL_GPU_MEMORY_MB) on every visible GPU.

    Returns what was set, one line per GPU ([] without a GPU). Must run before TensorFlow
    initialises its devices; afterwards it is too late and the first setting stands.
    """
    limit = os.environ.get(MEMORY_ENV, "").strip()
    done = []
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            if limit:
                tf.config.set_logical_device_configuration(
                    gpu, [tf.config.LogicalDeviceConfiguration(memory_limit=int(limit))])
                done.append(f"{gpu.name}: memory capped at {int(limit)} MB")
            else:
                tf.config.experimental.set_memory_growth(gpu, True)
                done.append(f"{gpu.name}: memory growth")
        except (RuntimeError, ValueError) as error:
            # Devices already initialised in this process: the first configuration stands.
            log.info("GPU %s not reconfigured: %s", gpu.name, error)
    return done


def has_gpu(tf) -> bool:
    return bool(tf.config.list_physical_devices("GPU"))
