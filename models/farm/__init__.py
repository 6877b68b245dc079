"""The render farm (issue 12): kiosks share GPU machines through Ray Serve.

    options.py   FarmOptions: every knob of the farm as data (roles, limits, cache, network)
    wire.py      the /v1 HTTP protocol both sides speak: routes, JSON bodies, images as PNG
    client.py    FarmClient: the kiosk's side of wire.py over stdlib urllib (no Ray here)
    auth.py      bearer tokens from a file, compared in constant time
    uploads.py   an upload's bytes -> a Job, through models.safe_image, with its limits
    cache.py     the farm's result cache by (content, style, engine, settings, model files)
    jobs.py      the job table: owners, in-flight caps, progress, previews, results
    replicas.py  what runs inside a replica: an engine host (Magenta, Gatys, Score)
    deployments.py  the Ray Serve deployments, one class per role, and the app graph
    api.py       the FastAPI ingress with the /v1 routes
    cli.py       `main.py farm serve | status | stop`

Importing this package imports nothing: the game imports client.py and wire.py, which
need neither Ray nor TensorFlow; everything else runs only on a farm machine.
"""
