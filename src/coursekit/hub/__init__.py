"""The course on a JupyterHub: layout, set-up and grading on submission.

See ``hub/jupyterhub_config.py`` and the README section "Running the course on a hub".
"""

from __future__ import annotations

from coursekit.hub.autograde import AutogradeService, FeedbackPolicy, Inbound
from coursekit.hub.layout import HubLayout

__all__ = ["AutogradeService", "FeedbackPolicy", "HubLayout", "Inbound"]
