"""Models of this module (none yet)."""
