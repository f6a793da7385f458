"""Make the repository root importable so tests can import the ``bench`` package.

pytest runs with ``--import-mode=importlib`` and ``bench`` is not an installed workspace member;
``pythonpath = ["."]`` in the root pytest configuration would make this file unnecessary.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
