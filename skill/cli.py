"""Command line entry point (placeholder until the command set lands)."""


def main(argv: list[str] | None = None) -> int:
    return 0
