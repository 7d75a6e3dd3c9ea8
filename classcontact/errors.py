class DomainError(Exception):
    """A request that the rules refuse; ``message`` (a translatable constant) is shown as it is.

    Each app names its own subclass (CaseError, KitError, …) so that views catch only theirs.
    """

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))
