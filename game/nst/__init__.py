"""The NST client: the game's one room for talking to the style-transfer models.

service.py     NSTService: spawns the workers, submit/poll/cancel, heartbeats, restarts
workers.py     one worker process, its queues and answer pump; status and crash sentences
machines.py    a round's two jobs and its score, and the routing of answers to its slots
result_cache.py  NST results on disk by (content, style, engine, settings, model files)

Nothing here imports TensorFlow: the models run in worker processes (models.worker).
"""
