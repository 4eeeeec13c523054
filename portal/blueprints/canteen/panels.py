"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

PANELS: list = []
