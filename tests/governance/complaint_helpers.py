"""Accounts and a filing used by the complaint tests."""

from __future__ import annotations

from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import Actor
from camwarden.installation import Installation

# A 1x1 JPEG's first bytes are enough for the type check; the rest is the picture's.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_handler(
    installation: Installation,
    admin: Actor,
    username: str,
    role: str = "principal",
    email: str | None = None,
) -> Actor:
    with installation.database.transaction() as session:
        created = installation.accounts.create(
            session,
            admin,
            username=username,
            full_name=f"Cô {username.title()}",
            role=role,
            email=email,
            password="Hieu-truong-2026!",
            must_change_password=False,
        )
        return actor_for(created.user, ip="192.0.2.20")
