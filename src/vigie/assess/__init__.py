"""assess: what a leak exposes, about how many people, how severe.

Public entry: `assess(paths, progress=None) -> Assessment` (engine.py); the model mirrors
assessment.json version 1 (model.py); the ENISA 2013 severity proposal is severity.py.
"""

from vigie.assess.engine import assess
from vigie.assess.model import Assessment

__all__ = ["Assessment", "assess"]
