"""The `camwarden` command: a thin adapter over the same services the web uses."""
