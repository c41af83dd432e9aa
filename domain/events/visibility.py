"""Who reads which events: the log is the organisation's, but not every entry is every member's.

Webhook and token events describe what only admins manage (a webhook's URL often carries a
secret of its receiver; tokens are not listed to anyone else), and favourites are personal.
The same rule narrows the feed, `activity`, subscriptions' replay (in SQL) and their live
events (in Python), so no path shows more than another.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.access import Actor, Role

ADMIN_ONLY = ("webhook.", "token.")
"""Prefixes of the types only admins read."""
PERSONAL = frozenset({"asset.favourited", "asset.unfavourited"})
"""Types whose subject is a member, read by that member only."""


@dataclass(frozen=True, slots=True)
class Visibility:
    """What one reader may see of the log."""

    member_id: int
    hidden_prefixes: tuple[str, ...]
    personal_types: frozenset[str] = PERSONAL

    @classmethod
    def of(cls, actor: Actor) -> Visibility:
        """The rule for this actor's role and member."""
        return cls(member_id=actor.member_id, hidden_prefixes=() if actor.role is Role.ADMIN else ADMIN_ONLY)

    def allows(self, type_: str, subject_id: int) -> bool:
        """Whether the reader may see an event of this type about this subject."""
        if type_.startswith(self.hidden_prefixes):
            return False
        return type_ not in self.personal_types or subject_id == self.member_id
