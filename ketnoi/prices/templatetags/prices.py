from django import template

from ketnoi.lib import pricecheck

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """1250000 → "1.250.000 ₫"."""
    return "" if amount is None or amount == "" else pricecheck.format_amount(int(amount))
