"""The loans admin, one module per part of the domain: the inventory (kit types, kits,
items, repairs), the lending (loans), and the visits (visits, referrals, calendar feeds)."""

from . import inventory, lending, visits

__all__ = ["inventory", "lending", "visits"]
