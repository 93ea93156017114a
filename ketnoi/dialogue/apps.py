from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "ketnoi.dialogue"
    verbose_name = _("Business dialogue")
