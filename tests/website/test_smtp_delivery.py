"""EMAIL_URL pointing at an SMTP server delivers there: proven against a real server on loopback."""

import environ
from django.core import mail


def test_mail_sent_with_an_smtp_email_url_reaches_the_server(settings, smtp_server):
    controller, inbox = smtp_server
    email_settings = environ.Env.email_url_config(f"smtp://127.0.0.1:{controller.port}")
    for name, value in email_settings.items():
        setattr(settings, name, value)

    mail.send_mail("Your weekly digest", "Five new practices.", "news@network.example", ["reader@example.org"])

    assert len(inbox.messages) == 1
    assert inbox.messages[0]["Subject"] == "Your weekly digest"
    assert inbox.messages[0]["X-RcptTo"] == "reader@example.org"
