from datetime import date

import pytest


@pytest.fixture
def email_templates(settings, tmp_path):
    """A tiny e-mail template trio, `email/test/hello`, that shows the language it was rendered
    in: the weekday name comes from Django's own catalogue ("Monday" / "Thứ hai")."""
    folder = tmp_path / "templates" / "email" / "test"
    folder.mkdir(parents=True)
    head = '{% load i18n %}{% get_current_language as LANG %}'
    (folder / "hello.subject.txt").write_text(head + '[{{ LANG }}]\n {{ day|date:"l" }}: {{ topic }}\n')
    (folder / "hello.txt").write_text(head + 'lang={{ LANG }} day={{ day|date:"l" }} topic={{ topic }} link={{ url }}\n')
    (folder / "hello.html").write_text(head + '<p lang="{{ LANG }}">{{ day|date:"l" }} <b>{{ topic }}</b> '
                                              '<a href="{{ url }}">{{ url }}</a></p>\n')
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path / "templates", *engine["DIRS"]]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]
    return {"day": date(2025, 3, 3), "topic": "Hoàn thuế nhập khẩu"}  # a Monday
