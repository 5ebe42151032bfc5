"""The intent rules on French comments written for these tests (one test per rule family).

Each family has examples that must be found and near misses that must not: a rhetorical
question is no question, "pas mal du tout" is praise, "pas terrible" is a complaint.
"""

from __future__ import annotations

import pytest

from veille.enrich.intent import detect_intents
from veille.enrich.text import normalise

LONG_OPINION = (
    "Cette réforme des retraites a été votée à la va-vite, sans débat digne de ce nom, et les "
    "chiffres avancés par le ministère ont été contredits par trois rapports successifs du "
    "conseil d'orientation. Les syndicats avaient pourtant proposé d'autres pistes de "
    "financement, que personne n'a voulu étudier sérieusement pendant la concertation. "
)


def intents(text: str, sentiment: str = "") -> list[str]:
    return detect_intents(normalise(text), sentiment)


@pytest.mark.parametrize(
    "text",
    [
        "Savez-vous si la version papier sortira aussi en Belgique",
        "Une question : les données de l'étude sont-elles publiques",
        "Pourriez-vous donner la source du deuxième graphique",
        "Est-ce que vous comptez faire une suite à cet article ?",
        "Comment faire pour s'inscrire à la newsletter",
        "Je me demande si le même phénomène existe au Québec.",
        LONG_OPINION + "Et toi, tu en penses quoi, de ce calendrier ?",
        LONG_OPINION + "Quels chiffres retiendriez-vous pour comparer ?",
    ],
)
def test_questions_asked_of_the_author_or_the_readers(text: str):
    assert "question" in intents(text)


@pytest.mark.parametrize(
    "text",
    [
        "C'était prévisible depuis des mois, n'est-ce pas ?",
        "Tout le monde savait, non ?",
        "Qui peut croire encore à ces promesses de campagne ?",
        "Comment peut-on laisser faire une chose pareille ?",
        "Est-ce vraiment une surprise ? La réponse est non, évidemment.",
        "Quel gâchis.",
        LONG_OPINION + "Où est passé l'argent des contribuables ?",
    ],
)
def test_rhetorical_questions_are_not_questions(text: str):
    assert "question" not in intents(text)


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("Franchement déçu par la nouvelle formule.", "negative"),
        ("Commande payée il y a trois semaines et toujours pas reçue.", "neutral"),
        ("C'est honteux de traiter les abonnés comme ça.", "positive"),
        ("Une vraie arnaque, je ne le rachèterai plus jamais.", ""),
        ("Du grand n'importe quoi, ce nouveau site.", "neutral"),
        ("Ces élus se moquent de nous, quelle bande d'incapables.", "positive"),
        ("Le dernier album est pas terrible.", "neutral"),
        ("Bravo le gouvernement, encore une belle réussite 🙄", "positive"),
    ],
)
def test_complaints_hold_when_the_words_are_strong(text: str, sentiment: str):
    assert "complaint" in intents(text, sentiment)


@pytest.mark.parametrize(
    "text",
    [
        "Nul ne peut dire ce que décidera le conseil.",
        "Je n'ai pas été déçu par ce séjour, tout était prêt à l'heure.",
        "Le rapport décrit la crise de 2008 et ses suites.",
    ],
)
def test_words_that_only_look_like_complaints(text: str):
    assert "complaint" not in intents(text, "neutral")


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("Merci pour cet article, il remet les pendules à l'heure.", "negative"),
        ("Très intéressant, je partage autour de moi.", "neutral"),
        ("Bel article, bien documenté.", "negative"),
        ("Pas mal du tout, cette nouvelle version.", "negative"),
        ("J'adore ta façon de raconter les coulisses.", "neutral"),
        ("Article passionnant de bout en bout.", "negative"),
        ("Au top comme toujours, l'équipe !", "neutral"),
    ],
)
def test_praise_of_the_article_or_its_author(text: str, sentiment: str):
    assert "praise" in intents(text, sentiment)


def test_a_comment_can_praise_and_ask():
    found = intents("Merci beaucoup pour ce dossier. Pourriez-vous publier les sources ?")
    assert "praise" in found and "question" in found


@pytest.mark.parametrize(
    "text",
    [
        "Ils parlent d'un « formidable » progrès, on attend de voir.",
        "Merci pour rien, trois jours sans connexion.",
    ],
)
def test_praise_words_in_quotes_or_sarcasm_are_not_praise(text: str):
    assert "praise" not in intents(text, "neutral")


@pytest.mark.parametrize(
    "text",
    [
        "[…] comme le rappelle ce billet, la fidélité se construit sur la durée […]",
        "[...] un très bon résumé des tendances du marketing de contenu [...]",
        "Pingback: Dix lectures pour la semaine",
    ],
)
def test_pingbacks_are_promotion(text: str):
    assert "spam" in intents(text)


def test_winning_in_a_real_contribution_is_not_a_contest():
    text = "Beaucoup de gens suivent la page juste pour essayer de gagner des lots."
    assert "spam" not in intents(text)
