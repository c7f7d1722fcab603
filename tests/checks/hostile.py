"""Objects that try to fool a check (shared by the checks tests)."""

from __future__ import annotations


class AlwaysEqualStr(str):
    """A str that claims to equal everything."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = str.__hash__

    def lower(self) -> str:  # a check that calls .lower() gets a lie
        return "gluteus maximus"

    def __str__(self) -> str:
        return "gluteus maximus"


class LyingList(list):
    """A list that claims to hold other items than it does."""

    def __len__(self) -> int:
        return 2

    def __iter__(self):
        return iter(["gluteus maximus", "biceps femoris (long head)"])

    def __getitem__(self, index):
        return ["gluteus maximus", "biceps femoris (long head)"][index]

    def __eq__(self, other: object) -> bool:
        return True


class LyingFloat(float):
    """A float that equals every number."""

    def __eq__(self, other: object) -> bool:
        return True

    def __sub__(self, other):
        return 0.0

    def __rsub__(self, other):
        return 0.0

    def __abs__(self):
        return 0.0

    def __float__(self) -> float:
        return -15.0


class LyingDict(dict):
    """A dict whose items() lie."""

    def items(self):
        return [("name", "gluteus maximus")]

    def keys(self):
        return ["name"]


class Anything:
    """An object whose __eq__ always says yes and that pretends to be a str."""

    __class__ = str  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


def deep(levels: int) -> list:
    value: list = []
    for _ in range(levels):
        value = [value]
    return value
