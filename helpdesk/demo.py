"""Demo helpdesk: targets, help articles, ready-made answers and a few tickets.

Objects are only created when missing, never updated, so running it twice changes nothing;
the one exception is the kit-move ticket, linked once to a demo case's kit when the
lending demo has one (only if it was never linked before). Tickets are written directly (no e-mail
goes out while seeding).
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from classcontact.numbering import counter_reserve
from schools.models import School, User

from .hours import TZ, HelpdeskCalendar
from .models import (
    TICKET_REFERENCE_SCOPE,
    CannedReply,
    Category,
    HelpArticle,
    Priority,
    Status,
    Ticket,
    TicketMessage,
    Visibility,
    format_reference,
)
from .selectors import open_case_loans
from .services import due_times, target_table, targets_ensure_defaults

ARTICLES = [
    (
        "La caméra 360° ne s'allume pas",
        "Vérifiez que le câble USB de la caméra est branché sur le Chromebook et non sur le chargeur.\n\n"
        "Débranchez puis rebranchez le câble, attendez dix secondes : le voyant bleu doit s'allumer.\n\n"
        "Si le voyant reste éteint, essayez l'autre port USB puis ouvrez un ticket.",
    ),
    (
        "L'élève n'entend pas la classe (son, haut-parleur)",
        "Le haut-parleur-micro doit être choisi comme micro et comme haut-parleur dans la visioconférence.\n\n"
        "Dans la visioconférence : Paramètres > Audio > choisissez « Speakerphone ».\n\n"
        "Vérifiez aussi que le micro n'est pas coupé (voyant rouge).",
    ),
    (
        "La connexion wifi de l'école coupe pendant le cours",
        "Rapprochez le Chromebook du point d'accès wifi ou utilisez le câble réseau fourni.\n\n"
        "Si la connexion coupe tous les jours, signalez-le : un technicien peut évaluer le réseau de l'école.",
    ),
    (
        "Déplacer le kit dans une autre classe",
        "Le kit peut changer de local au sein de l'école. Ouvrez un ticket « Déplacement du kit ou changement "
        "de local » en indiquant le nouveau local : nous mettons la fiche à jour et vous aidons à le réinstaller.",
    ),
    (
        "Guide de l'utilisateur : démarrer un cours connecté",
        "1. Allumez le Chromebook et la caméra.\n2. Ouvrez la visioconférence depuis le favori.\n"
        "3. Vérifiez l'image et le son avec l'élève.\n\nEn fin de cours, quittez la réunion et rangez le kit.",
    ),
]

CANNED_REPLIES = [
    (
        "Redémarrage du kit",
        "Bonjour,\n\nPouvez-vous éteindre le Chromebook, débrancher la caméra et le haut-parleur, puis tout "
        "rebrancher et rallumer ? Dites-nous si le problème persiste.\n\nL'équipe ClassContact",
    ),
    (
        "Demande de précisions",
        "Bonjour,\n\nPour vous aider, pourriez-vous nous dire à quelle heure le problème est apparu et "
        "joindre une photo de l'écran ?\n\nL'équipe ClassContact",
    ),
    (
        "Problème résolu",
        "Bonjour,\n\nNous pensons que le problème est résolu. S'il revient, répondez simplement à ce "
        "ticket.\n\nL'équipe ClassContact",
    ),
]

# school number, opener, subject, category, description, status, hours ago, [(author, visibility, body)]
TEACHER = "teacher.tilleuls@demo.classcontact.be"
DIRECTOR = "director.tilleuls@demo.classcontact.be"
AGENT = "helpdesk@demo.classcontact.be"
DEMO_TICKETS = [
    (
        "1001",
        TEACHER,
        "L'élève n'entend plus la classe",
        Category.CONNECTION,
        "Depuis ce matin l'élève voit la classe mais n'entend rien. Local 12.",
        Status.NEW,
        1,
        [],
    ),
    (
        "1001",
        DIRECTOR,
        "Déplacer le kit en classe de P6",
        Category.KIT_MOVE,
        "La classe de l'élève change de local après le congé : du local 12 au local 21.",
        Status.WAITING,
        30,
        [
            (AGENT, Visibility.INTERNAL, "Vérifier avec le technicien si le local 21 a une prise réseau."),
            (AGENT, Visibility.PUBLIC, "Bonjour, à partir de quelle date le kit doit-il être déplacé ?"),
        ],
    ),
    (
        "1001",
        TEACHER,
        "Mot de passe du Chromebook oublié",
        Category.SOFTWARE,
        "Je n'arrive plus à me connecter au Chromebook de la classe.",
        Status.RESOLVED,
        80,
        [
            (
                AGENT,
                Visibility.PUBLIC,
                "Nous avons réinitialisé le mot de passe et vous l'avons envoyé par SMS.",
            ),
            (TEACHER, Visibility.PUBLIC, "Merci, cela fonctionne."),
        ],
    ),
]


def _seed_tickets(stdout) -> int:
    people = {user.email: user for user in User.objects.filter(email__in=[TEACHER, DIRECTOR, AGENT])}
    schools = {school.official_number: school for school in School.objects.filter(official_number="1001")}
    calendar = HelpdeskCalendar()
    targets = target_table()
    now = timezone.now()
    created = 0
    for number, opener, subject, category, description, status, hours_ago, replies in DEMO_TICKETS:
        school = schools.get(number)
        if (
            school is None
            or opener not in people
            or Ticket.objects.filter(school=school, subject=subject).exists()
        ):
            continue
        opened_at = now - datetime.timedelta(hours=hours_ago)
        year = opened_at.astimezone(TZ).year
        ticket = Ticket(
            reference=format_reference(year, counter_reserve(scope=TICKET_REFERENCE_SCOPE, year=year)),
            school=school,
            opened_by=people[opener],
            subject=subject,
            category=category,
            priority=Priority.HIGH if category == Category.CONNECTION else Priority.NORMAL,
            description=description,
            status=status,
            created_at=opened_at,
            assignee=people.get(AGENT) if status != Status.NEW else None,
        )
        ticket.first_response_due, ticket.resolution_due = due_times(
            opened_at=opened_at,
            category=ticket.category,
            priority=ticket.priority,
            calendar=calendar,
            targets=targets,
        )
        ticket.save()
        for index, (author, visibility, body) in enumerate(replies, start=1):
            written = opened_at + datetime.timedelta(hours=index)
            TicketMessage.objects.create(
                ticket=ticket,
                author=people.get(author),
                body=body,
                visibility=visibility,
                from_staff=author == AGENT,
                created_at=written,
            )
            if author == AGENT and visibility == Visibility.PUBLIC and ticket.first_responded_at is None:
                ticket.first_responded_at = written
        if status == Status.RESOLVED:
            ticket.resolved_at = opened_at + datetime.timedelta(hours=len(replies) + 1)
        ticket.save(update_fields=["first_responded_at", "resolved_at"])
        created += 1
    return created


# The demo ticket about a kit: linked to the kit lent or reserved to one of its school's cases.
LINKED_SUBJECT = "Déplacer le kit en classe de P6"


def _link_kit_ticket() -> bool:
    """Link the kit-move ticket to a demo case's kit, if both exist and it was never linked."""
    ticket = Ticket.objects.filter(
        subject=LINKED_SUBJECT, school__official_number="1001", case__isnull=True, kit__isnull=True
    ).first()
    if ticket is None or ticket.history.filter(Q(case__isnull=False) | Q(kit__isnull=False)).exists():
        return False  # none, or linked before and unlinked by somebody since: leave it
    loan = open_case_loans([ticket.school_id]).order_by("reference", "pk").first()
    if loan is None:
        return False
    ticket.case_id, ticket.kit_id = loan.holder_id, loan.kit_id
    ticket.save(update_fields=["case", "kit"])
    return True


@transaction.atomic
def seed(stdout) -> None:
    targets_ensure_defaults()
    for title, body in ARTICLES:
        HelpArticle.objects.get_or_create(title=title, defaults={"body": body, "published": True})
    for title, body in CANNED_REPLIES:
        CannedReply.objects.get_or_create(title=title, defaults={"body": body})
    created = _seed_tickets(stdout)
    if created:
        stdout.write(f"Helpdesk: {created} demo tickets.")
    if _link_kit_ticket():
        stdout.write("Helpdesk: a demo ticket now concerns a demo case's kit.")
