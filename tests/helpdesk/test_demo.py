"""Demo data: a few tickets, articles, ready-made answers and targets, created once."""

from io import StringIO

from helpdesk import demo
from helpdesk.models import CannedReply, HelpArticle, Target, Ticket, TicketMessage
from schools import demo as schools_demo
from schools.models import Calendar


def test_demo_seed_creates_helpdesk_data_once(db):
    Calendar.objects.update(is_default=False)  # the directory's demo brings its own default calendar
    schools_demo.seed(StringIO())
    demo.seed(StringIO())
    counts = [m.objects.count() for m in (Ticket, TicketMessage, HelpArticle, CannedReply, Target)]
    assert counts[0] == len(demo.DEMO_TICKETS)
    assert all(counts)
    demo.seed(StringIO())
    assert [m.objects.count() for m in (Ticket, TicketMessage, HelpArticle, CannedReply, Target)] == counts
    assert all(t.first_response_due and t.resolution_due for t in Ticket.objects.all())
    assert Ticket.objects.filter(reference__startswith="HD-").count() == counts[0]
