"""Allow ``python -m kek_geo``."""

from kek_geo.cli import main

raise SystemExit(main())
