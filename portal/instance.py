"""The instance folder holds personal data (SQLite file, embedded Redis, secret): owner only.

Any local account could otherwise read every password hash, photo and document: the folder is
0700 and its files 0600, also when an older installation made them 0755/0644.
"""

import os
from contextlib import contextmanager
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_private(folder: Path) -> None:
    """Create `folder` (0700) and make it and every file directly in it private."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(FOLDER_MODE)
    for path in folder.iterdir():
        if path.is_file() and not path.is_symlink():
            path.chmod(FILE_MODE)


def private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if missing (SQLite and its journals then follow it)."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    path.chmod(FILE_MODE)


@contextmanager
def private_umask():
    """Files a child process creates (redis-server's dump) are the owner's only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)
