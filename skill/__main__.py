"""``python -m skill``: the same as the ``meta-ads`` command."""

from skill.cli import main

raise SystemExit(main())
