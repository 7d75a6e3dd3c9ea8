"""The demo's last seeder: each kit's ``free_from`` and the kept use of its loans.

The programmes' demo seeders (and the bench's, which end with the demo's) write their loans
directly, past the loan services that keep ``free_from`` and the kit use right: both are set
here once they are all done, so that the search of kits free with no end and the dashboard's
kit use see their loans.
"""

from .models import Kit
from .services import kits_settle_free_from, kits_settle_use


def seed(stdout) -> None:
    changed = kits_settle_free_from(Kit.objects.all())
    if changed:
        stdout.write(f"  kits: {changed} first day(s) free for good set from their loans")
    counted = kits_settle_use(Kit.objects.all())
    if counted:
        stdout.write(f"  loans: {counted} counted again in the kit use")
