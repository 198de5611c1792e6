from tests.support.mail import smtp_server, webhook

__all__ = ["smtp_server", "webhook"]
