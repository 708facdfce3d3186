"""dockhooks: pre-commit hooks for professional Docker practices."""
from __future__ import annotations

__version__ = '0.1.0'
