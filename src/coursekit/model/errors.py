"""The error the models raise for settings outside what they describe."""

from __future__ import annotations

from coursekit.errors import CourseKitError

__all__ = ["ModelInputError"]


class ModelInputError(CourseKitError, ValueError):
    """A model input is invalid or outside the model's range.

    The message names the input, the value given, the valid range and what to do.

    >>> str(ModelInputError("hip_deg", 200, "must be between -30 and 120 degrees"))
    'hip_deg = 200: must be between -30 and 120 degrees'
    """

    def __init__(self, name: str, value: object, problem: str) -> None:
        self.name = name
        self.value = value
        self.problem = problem
        super().__init__(f"{name} = {value!r}: {problem}")
