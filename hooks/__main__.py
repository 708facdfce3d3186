from __future__ import annotations

from dockhooks.cli import main

raise SystemExit(main())
