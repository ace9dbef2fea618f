"""The ``physio`` command a wheel installs: replaces itself with the bundled binary (same process, so exit
codes, signals and the terminal are physio's own)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from . import _binary
    from .errors import BinaryNotFound

    try:
        path = _binary.binary()
    except BinaryNotFound as error:
        print(f"physio: {error}", file=sys.stderr)
        sys.exit(1)
    os.execve(str(path), ["physio", *sys.argv[1:]], _binary.environment())


if __name__ == "__main__":
    main()
