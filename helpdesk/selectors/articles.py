"""Help articles: searching them, and those close to what a ticket says."""

import re

from django.db.models import Q, QuerySet

from ..models import HelpArticle
from .visibility import articles_visible_to

STOP_WORDS = frozenset(
    "les des une un le la du de et en au aux pas est sur dans pour par avec que qui ne plus "
    "the and for with not are this that from".split()
)


def _words(text: str) -> list[str]:
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) >= 3 and w not in STOP_WORDS]
    return list(dict.fromkeys(words))[:8]


def articles_search(user, query: str) -> QuerySet[HelpArticle]:
    """Articles the user may read that contain every word of ``query`` (title or text)."""
    articles = articles_visible_to(user)
    for word in _words(query):
        articles = articles.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return articles.order_by("title", "pk")


def articles_similar(text: str, *, limit: int = 5) -> list[HelpArticle]:
    """Published articles sharing words with ``text``, best first (title words count double)."""
    words = _words(text)
    if not words:
        return []
    any_word = Q()
    for word in words:
        any_word |= Q(title__icontains=word) | Q(body__icontains=word)
    candidates = HelpArticle.objects.filter(any_word, published=True).only("pk", "title", "body")[:50]

    def score(article: HelpArticle) -> int:
        title, body = article.title.lower(), article.body.lower()
        return sum(2 * (word in title) + (word in body) for word in words)

    return sorted(candidates, key=lambda a: (-score(a), a.title))[:limit]
