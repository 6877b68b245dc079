"""Everything a farm can be told, as data: one dataclass per concern, no module state.

`farm serve` builds FarmOptions from its command line; tests build small ones (fractional
CPUs, test behaviours allowed). The deployments read their Ray options from RoleOptions,
so a GPU fraction or a replica count is a value here, never a decorator argument.
"""
from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_PORT = 8710
ROLES = ("magenta", "gatys", "score")


@dataclass(frozen=True)
class RoleOptions:
    """How one role is deployed (Ray Serve and Ray actor options, as plain values)."""
    replicas: int = 1
    # A replica reserves this much of a node. Fractions let every role fit a small node
    # (a 2-CPU test cluster holds the ingress and three roles at 0.25 each).
    num_cpus: float = 0.25
    # GPU share per replica when the cluster has GPUs, else 0 (a replica asking for a GPU
    # that no node has would never start). Fractions let Magenta and Gatys share one card.
    num_gpus: float = 0.0
    max_ongoing_requests: int = 1     # Gatys: one job per replica; Magenta: its batch
    threads: int = 1                  # TF / LiteRT threads inside the replica


@dataclass(frozen=True)
class BatchOptions:
    """Magenta's @serve.batch: pictures from several kiosks in one replica call."""
    max_batch_size: int = 8
    # Short: a lone kiosk's picture must not wait long for company (Magenta itself takes
    # a few ms a picture on a GPU, ~200 ms on a CPU).
    wait_s: float = 0.05


@dataclass(frozen=True)
class LimitOptions:
    """What one request and one client may ask of the farm."""
    max_body_bytes: int = 24 * 1024 * 1024   # a request's body, before it is read
    max_pixels: int = 16_000_000            # per uploaded picture, read from its header
    max_side: int = 1024                    # uploads are decoded down to this long side
    max_styles: int = 4
    max_budget_s: float = 600.0             # Gatys's time budget (the longest round)
    max_gatys_size: int = 1024              # a job may not ask Gatys for a larger picture
    max_iterations: int = 5000
    jobs_in_flight_per_client: int = 8      # queued or running, per client address
    jobs_in_flight_total: int = 256
    finished_kept_s: float = 600.0          # a result can be fetched this long after


@dataclass(frozen=True)
class FarmOptions:
    host: str = "127.0.0.1"           # the Serve port's address; the kiosks' network side
    port: int = DEFAULT_PORT
    # sha256 hex digests of the accepted bearer tokens (never the tokens themselves).
    token_digests: tuple[str, ...] = ()
    models_dir: str | None = None      # each node's model cache; None: models.cache default
    score_dir: str | None = None       # None: the committed score model
    cache_dir: str | None = None       # the farm's result cache on disk; None: memory only
    cache_entries: int = 500
    # Load engines when a replica starts (a kiosk's first picture is quick), or on the
    # first job (tests with scripted behaviours need no TensorFlow at all).
    preload: bool = True
    # Job.settings[TEST_BEHAVIOUR] (crash, slow, echo, ...) is refused unless this is on:
    # a kiosk on the museum network must not be able to crash a replica on purpose.
    test_behaviours: bool = False
    # Gatys on a GPU replica: the full network at this size (on a CPU the CPU defaults).
    gatys_gpu_size: int = 512
    roles: dict[str, RoleOptions] = field(default_factory=lambda: {
        "magenta": RoleOptions(max_ongoing_requests=16, num_gpus=0.25),
        "gatys": RoleOptions(num_gpus=0.5),
        "score": RoleOptions(max_ongoing_requests=4, num_gpus=0.25)})
    ingress_cpus: float = 0.25
    batch: BatchOptions = field(default_factory=BatchOptions)
    limits: LimitOptions = field(default_factory=LimitOptions)
    app_name: str = "style-duel"

    def actor_options(self, role: str, cluster_gpus: float) -> dict:
        """ray_actor_options for a role's replicas, given the GPUs the cluster has."""
        role_options = self.roles[role]
        gpus = role_options.num_gpus if cluster_gpus > 0 else 0.0
        threads = str(role_options.threads)
        return {"num_cpus": role_options.num_cpus, "num_gpus": gpus,
                # Read by OpenMP, MKL and TF when they load: a replica must not take every
                # core of a machine it shares with other replicas (models.worker does the same).
                "runtime_env": {"env_vars": {"OMP_NUM_THREADS": threads,
                                             "TF_NUM_INTRAOP_THREADS": threads,
                                             "TF_NUM_INTEROP_THREADS": threads,
                                             "TF_CPP_MIN_LOG_LEVEL": "2"}}}
