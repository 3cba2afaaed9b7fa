"""Command line entry point (being written)."""

import sys


def main(argv: list[str] | None = None) -> int:
    from hunk import __version__

    print(f"hunk {__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
