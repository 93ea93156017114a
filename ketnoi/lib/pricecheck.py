"""Whether an operator kept its commitment not to raise prices: a filed price list against the
baseline, service by service.

RULES.md ("Port, warehouse and yard prices"): any price above the baseline for a covered
service during the commitment's period is an increase, whatever the reason given. Prices are
whole đồng (VND has no subunit in use). Pure: the service, the API and the demo call it.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


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
    "1,250,000") → whole đồng; None when it is not a whole, non-negative amount."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if text >= 0 else None
    if isinstance(text, float | Decimal):
        return int(text) if text >= 0 and text == int(text) else None
    cleaned = str(text or "").strip().lower()
    for suffix in ("₫", "vnđ", "vnd", "đồng", "đ"):
        cleaned = cleaned.removesuffix(suffix).strip()
    cleaned = cleaned.replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    # Thousands separated by dots or commas, never a fraction of a đồng.
    if any(sep in cleaned for sep in ".,"):
        groups = cleaned.replace(",", ".").split(".")
        if not groups[0].isdigit() or len(groups[0]) > 3 or not all(len(g) == 3 and g.isdigit() for g in groups[1:]):
            return None
        cleaned = "".join(groups)
    return int(cleaned) if cleaned.isdigit() else None


def format_amount(amount: int) -> str:
    """1250000 → "1.250.000 ₫" (CONVENTIONS.md)."""
    return f"{amount:,}".replace(",", ".") + " ₫"
