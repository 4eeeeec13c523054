"""Documents this module makes in jobs: kind -> renderer(document) -> (filename, mimetype, bytes)."""

RENDERERS: dict = {}
