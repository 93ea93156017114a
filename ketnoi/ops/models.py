from django.db import models
from django.utils.translation import gettext_lazy as _


class MetricTotal(models.Model):
    """A running total of the request metrics of every app server and process, since the
    platform was installed: what /metrics reports. Each process adds what it counted every few
    seconds (ketnoi.ops.metrics), so that a scrape through any app server sees them all."""

    series = models.CharField(_("series"), max_length=200, unique=True)
    value = models.FloatField(_("value"), default=0)

    class Meta:
        verbose_name = _("metric total")
        verbose_name_plural = _("metric totals")

    def __str__(self):
        return f"{self.series} {self.value:g}"


class Heartbeat(models.Model):
    """When a periodic piece of work last ran to its end (the tick): `ketnoi doctor` and
    /metrics read it; nothing else recorded it."""

    name = models.CharField(_("name"), max_length=60, primary_key=True)
    at = models.DateTimeField(_("last run at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
