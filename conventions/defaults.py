"""The organisation's details and the first wording of every document, in French and English.

Staff change the wording later through the template editor; each change is a new version,
so this text is only version 1 of each kind and language. Clauses are plain text, one per
paragraph (separated by a blank line).
"""

ORGANISATION = {
    "name": "ClassContact asbl",
    "street": "Avenue du Bourget 42",
    "postcode": "1130",
    "city": "Bruxelles",
    "phone": "+32 2 726 40 55",
    "email": "contact@classcontact.be",
    "website": "www.classcontact.be",
    "company_number": "879.451.884",
}

CONVENTION_FR = {
    "title": "Convention de prêt de matériel ClassContact",
    "introduction": (
        "Entre l'établissement scolaire désigné ci-dessous et ClassContact asbl, il est convenu ce qui "
        "suit afin de permettre à l'élève de suivre les cours de sa classe à distance et de garder le "
        "lien avec ses camarades."
    ),
    "clauses": "\n\n".join(
        [
            "ClassContact prête gratuitement à l'établissement le matériel listé ci-dessus, pour la durée "
            "de la connexion de l'élève. Les services de ClassContact sont entièrement gratuits.",
            "En cas de dommage au matériel, aucun coût ne sera réclamé à l'établissement.",
            "L'établissement s'engage à utiliser le matériel de manière responsable et à le réserver à la "
            "connexion de l'élève à sa classe.",
            "Aucun cours n'est enregistré : le matériel sert uniquement à la visioconférence en direct entre "
            "l'élève et sa classe.",
            "Une petite formation est donnée aux utilisateurs (enseignants, éducateurs) et un guide "
            "d'utilisation est remis à l'établissement.",
        ]
    ),
    "consent_text": (
        "Le nom de l'établissement pourra être mentionné par ClassContact pour la promotion de "
        "ClassContact sur tout support de communication."
    ),
    "closing": (
        "La présente convention est signée électroniquement par la direction de l'établissement et "
        "contresignée par ClassContact asbl. Elle prend fin lorsque le matériel a été récupéré."
    ),
}

CONVENTION_EN = {
    "title": "ClassContact equipment loan convention",
    "introduction": (
        "Between the school named below and ClassContact asbl, the following is agreed so that the pupil "
        "can follow their class's lessons remotely and stay in touch with their classmates."
    ),
    "clauses": "\n\n".join(
        [
            "ClassContact lends the equipment listed above to the school free of charge, for as long as the "
            "pupil is connected. ClassContact's services are entirely free.",
            "If the equipment is damaged, no cost will be charged to the school.",
            "The school undertakes to use the equipment responsibly and to keep it for connecting the pupil "
            "to their class.",
            "No lesson is recorded: the equipment is used only for the live video call between the pupil "
            "and their class.",
            "A short training is given to the users (teachers, educators) and a user guide is handed over "
            "to the school.",
        ]
    ),
    "consent_text": (
        "ClassContact may mention the school's name to promote ClassContact in any communication medium."
    ),
    "closing": (
        "This convention is signed electronically by the school's management and countersigned by "
        "ClassContact asbl. It ends when the equipment has been collected."
    ),
}

ENGAGEMENT_FR = {
    "title": "Engagement des parents",
    "introduction": (
        "Votre enfant va suivre les cours de sa classe à distance grâce au dispositif de ClassContact. "
        "En tant que parent ou responsable légal, je m'engage à :"
    ),
    "clauses": "\n\n".join(
        [
            "ne pas assister au cours, sauf autorisation de l'enseignant·e pour aider l'élève à se connecter ;",
            "ne pas intervenir dans le bon déroulement du cours ;",
            "respecter le règlement d'ordre intérieur de l'école ;",
            "ne pas enregistrer ni diffuser les cours, ni les images ou le son de la classe.",
        ]
    ),
    "consent_text": "",
    "closing": (
        "Je peux à tout moment informer ClassContact que le dispositif n'est plus nécessaire, afin que "
        "la récupération du matériel soit organisée."
    ),
}

ENGAGEMENT_EN = {
    "title": "Parents' engagement",
    "introduction": (
        "Your child will follow their class's lessons remotely with ClassContact's equipment. "
        "As a parent or legal guardian, I undertake:"
    ),
    "clauses": "\n\n".join(
        [
            "not to attend the lessons, unless the teacher allows it to help the pupil connect;",
            "not to interfere with the lesson;",
            "to respect the school's rules;",
            "not to record or share the lessons, nor the images or sound of the class.",
        ]
    ),
    "consent_text": "",
    "closing": (
        "I may tell ClassContact at any time that the equipment is no longer needed, so that its "
        "collection can be organised."
    ),
}

CLASSMATES_LETTER_FR = {
    "title": "Lettre aux élèves de la classe et à leurs parents",
    "introduction": "Chers élèves, chers parents,",
    "clauses": "\n\n".join(
        [
            "Pendant quelque temps, votre camarade ne pourra pas venir à l'école. Grâce à ClassContact, "
            "il ou elle pourra suivre les cours depuis la maison, en direct, avec sa classe et son "
            "enseignant·e.",
            "Un petit dispositif est installé dans la classe : un ordinateur, une caméra qui montre toute la "
            "classe, un micro haut-parleur et un clavier. Quand l'enseignant·e lance la connexion, votre "
            "camarade voit et entend la classe, et la classe le ou la voit et l'entend.",
            "Aucun cours n'est enregistré : les images et le son ne sont ni conservés ni diffusés.",
            "Le plus important : continuer à considérer votre camarade comme un membre à part entière de "
            "la classe. Un petit bonjour devant la caméra fait toujours plaisir !",
        ]
    ),
    "consent_text": "",
    "closing": "Pour toute question, n'hésitez pas à vous adresser à la direction de l'école.",
}

CLASSMATES_LETTER_EN = {
    "title": "Letter for the pupils of the class and their parents",
    "introduction": "Dear pupils, dear parents,",
    "clauses": "\n\n".join(
        [
            "For a while, your classmate will not be able to come to school. Thanks to ClassContact, they "
            "will follow the lessons from home, live, with their class and their teacher.",
            "A small set of equipment is installed in the classroom: a computer, a camera that shows the "
            "whole class, a speakerphone and a keyboard. When the teacher starts the call, your classmate "
            "sees and hears the class, and the class sees and hears them.",
            "No lesson is recorded: images and sound are neither kept nor shared.",
            "Most important of all: keep treating your classmate as a full member of the class. A little "
            "hello in front of the camera always makes them happy!",
        ]
    ),
    "consent_text": "",
    "closing": "If you have any question, please ask the school's management.",
}

GUIDE_RECEIPT_FR = {
    "title": "Accusé de réception du guide d'utilisation",
    "introduction": (
        "L'établissement désigné ci-dessous confirme avoir reçu le matériel listé, le guide d'utilisation "
        "du dispositif ClassContact et la formation des utilisateurs."
    ),
    "clauses": "\n\n".join(
        [
            "Le guide d'utilisation a été remis à l'établissement.",
            "Une petite formation a été donnée aux utilisateurs (enseignants, éducateurs) et à toute personne "
            "qui utilisera le matériel.",
            "Le helpdesk de ClassContact est joignable tous les jours scolaires de 8h30 à 16h et le mercredi "
            "de 8h30 à 12h30.",
        ]
    ),
    "consent_text": "",
    "closing": "Fait à ………………………, le ………………………",
}

GUIDE_RECEIPT_EN = {
    "title": "User guide receipt",
    "introduction": (
        "The school named below confirms that it has received the listed equipment, the user guide of the "
        "ClassContact equipment and the users' training."
    ),
    "clauses": "\n\n".join(
        [
            "The user guide has been handed over to the school.",
            "A short training has been given to the users (teachers, educators) and to anyone who will use "
            "the equipment.",
            "ClassContact's helpdesk can be reached every school day from 8:30 to 16:00, and on Wednesdays "
            "from 8:30 to 12:30.",
        ]
    ),
    "consent_text": "",
    "closing": "Done at ………………………, on ………………………",
}

#: (kind, language) -> wording of version 1.
DEFAULT_WORDING = {
    ("convention", "fr"): CONVENTION_FR,
    ("convention", "en"): CONVENTION_EN,
    ("engagement", "fr"): ENGAGEMENT_FR,
    ("engagement", "en"): ENGAGEMENT_EN,
    ("classmates_letter", "fr"): CLASSMATES_LETTER_FR,
    ("classmates_letter", "en"): CLASSMATES_LETTER_EN,
    ("guide_receipt", "fr"): GUIDE_RECEIPT_FR,
    ("guide_receipt", "en"): GUIDE_RECEIPT_EN,
}
