"""The demo's last seeder: each kit's ``free_from``, from its loans.

The programmes' demo seeders (and the bench's, which end with the demo's) write their loans
directly, past the loan services that keep ``free_from`` right: it is set here once they
are all done, so that the search of kits free with no end sees their loans.
"""

from .models import Kit
from .services import kits_settle_free_from


def seed(stdout) -> None:
    changed = kits_settle_free_from(Kit.objects.all())
    if changed:
        stdout.write(f"  kits: {changed} first day(s) free for good set from their loans")
