"""The web adapter: pages and the REST API over the installation's services."""

from camwarden.web.app import create_app

__all__ = ["create_app"]
