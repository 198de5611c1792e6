"""The one place that decides every permission. Web, API and CLI all ask here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from camwarden.errors import Forbidden
from camwarden.governance.roles import ROLE_PERMISSIONS, ZONE_SCOPED, Permission, Role


@dataclass(frozen=True)
class Actor:
    """Who is acting, as far as permissions are concerned."""

    user_id: int | None
    username: str
    role: Role
    all_zones: bool
    zone_ids: frozenset[int]
    ip: str = ""

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self.role]


# The command line on the server itself acts as the installation (its operator is root).
SYSTEM_ACTOR = Actor(
    user_id=None,
    username="system",
    role=Role.ADMIN,
    all_zones=True,
    zone_ids=frozenset(),
    ip="local",
)


def can(actor: Actor, permission: Permission, zone_id: int | None = None) -> bool:
    """True when the actor's role holds `permission` and, if zone-scoped, covers `zone_id`.

    A zone-scoped permission asked without a zone means "in at least one zone": it opens a
    list, whose rows are then filtered by `visible_zone_filter`.
    """
    if permission not in actor.permissions:
        return False
    if permission not in ZONE_SCOPED or actor.all_zones:
        return True
    if zone_id is None:
        return bool(actor.zone_ids)
    return zone_id in actor.zone_ids


def require(actor: Actor, permission: Permission, zone_id: int | None = None) -> None:
    if not can(actor, permission, zone_id):
        raise Forbidden(
            "Your account may not do this: it needs the permission '{permission}'.",
            permission=permission.value,
        )


def zones_allowed(actor: Actor, permission: Permission, all_zone_ids: Iterable[int]) -> set[int]:
    """The zones in which the actor holds `permission`."""
    return {zone_id for zone_id in all_zone_ids if can(actor, permission, zone_id)}
