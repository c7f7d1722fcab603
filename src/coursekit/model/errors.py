"""The error the models raise for settings outside what they describe (defined in coursekit.errors)."""

from __future__ import annotations

from coursekit.errors import ModelInputError

__all__ = ["ModelInputError"]
