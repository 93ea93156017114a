"""Whether an operator kept its commitment not to raise prices: a filed price list against the
baseline, service by service.

RULES.md ("Port, warehouse and yard prices"): any price above the baseline for a covered
service during the commitment's period is an increase, whatever the reason given. Prices are
whole đồng (VND has no subunit in use). Pure: the service, the API and the demo call it.
"""

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# No service of a warehouse, yard or port costs a thousand billion đồng; an amount above this is
# a typing mistake (and stays far below what a 64-bit column holds).
MAX_AMOUNT = 10**12


@dataclass(frozen=True)
class Change:
    service: str          # the service's code
    baseline: int | None  # đồng; None: the baseline has no price for it
    price: int            # đồng
    covered: bool

    @property
    def difference(self) -> int | None:
        return None if self.baseline is None else self.price - self.baseline

    @property
    def percent(self) -> Decimal | None:
        """The change in per cent of the baseline, to one decimal (None without a baseline)."""
        if not self.baseline:
            return None
        return (Decimal(self.price - self.baseline) * 100 / self.baseline).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def is_increase(self) -> bool:
        return self.baseline is not None and self.price > self.baseline

    @property
    def is_breach(self) -> bool:
        return self.covered and self.is_increase


def compare(baseline: dict[str, int], filed: dict[str, int], covered: set[str] | None = None) -> list[Change]:
    """Each service of ``filed`` against ``baseline``, in the order filed. ``covered`` is the set
    of service codes the commitment names; None means every service. A service the baseline did
    not price cannot be an increase (there is nothing to rise above)."""
    return [Change(service=code, baseline=baseline.get(code), price=price, covered=covered is None or code in covered)
            for code, price in filed.items()]


def breaches(changes: list[Change]) -> list[Change]:
    return [change for change in changes if change.is_breach]


def parse_amount(text) -> int | None:
    """A price as people write it in Vietnam ("1.250.000", "1 250 000", "1250000", "1.250.000 ₫",
    "1,250,000") → whole đồng; None when it is not a whole amount from 0 to MAX_AMOUNT."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 <= text <= MAX_AMOUNT else None
    if isinstance(text, float | Decimal):
        # inf and NaN are not amounts (int() of them raises).
        if not (text.is_finite() if isinstance(text, Decimal) else math.isfinite(text)):
            return None
        return int(text) if 0 <= text <= MAX_AMOUNT and text == int(text) else None
    cleaned = str(text or "").strip().lower()
    for suffix in ("₫", "vnđ", "vnd", "đồng", "đ"):
        cleaned = cleaned.removesuffix(suffix).strip()
    if not cleaned or len(cleaned) > 40:
        return None
    # Thousands grouped by threes, separated by dots, commas or spaces (of any width), never a
    # fraction of a đồng. One kind of separator only: "1.250,000" and "1,250.000" are 1250 with
    # decimals in either convention, not 1250000.
    groups = re.split(r"[.,\s]", cleaned)
    if len(groups) > 1:
        separators = set(re.findall(r"[.,]", cleaned))
        if len(separators) > 1 or (separators and re.search(r"\s", cleaned)):
            return None
        if not 1 <= len(groups[0]) <= 3 or not all(len(g) == 3 for g in groups[1:]):
            return None
        cleaned = "".join(groups)
    # ASCII digits only: "²".isdigit() is true, but int("²") raises.
    if not re.fullmatch(r"[0-9]+", cleaned):
        return None
    amount = int(cleaned)
    return amount if amount <= MAX_AMOUNT else None


def format_amount(amount: int) -> str:
    """1250000 → "1.250.000 ₫" (CONVENTIONS.md)."""
    return f"{amount:,}".replace(",", ".") + " ₫"
