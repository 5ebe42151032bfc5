"""Intent: question, complaint, praise, purchase intent, spam (several may hold).

Rules over the folded text (lower case, no accents), French and English, checked against
the project's labelled comments by `veille eval`. Sentiment helps: a negative post that
reports a problem is a complaint, a positive one that thanks is praise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

INTENTS = ("question", "complaint", "praise", "purchase_intent", "spam")

_QUESTION = re.compile(
    r"\?|^(?:est-ce|est ce|comment|pourquoi|quand|ou (?:est|sont|trouver)|combien|quel|quelle"
    r"|qui |vous (?:avez|faites|livrez|recrutez)|y a-t-il|do you|does|is (?:it|the|there)"
    r"|are (?:you|there)|how|what|when|where|why|can i|could you)\b"
    r"|\b(?:quelqu'un sait|savez-vous|des conseils|des idees|vous conseillez"
    r"|any (?:tips|advice)|which one)\b"
)
_COMPLAINT = re.compile(
    r"\b(?=[abcdefhijmnoprstuw])"
    r"(?:inadmissible|inacceptable|scandal|honteu|arnaque|nul(?:le|s)?\b|catastroph|deplorable"
    r"|decu|decue|decevant|ras le bol|marre|toujours rien|toujours pas|jamais recu|pas recu"
    r"|rembourse|resilier|resilie|panne|plante|bug|casse|abime|defectueu|perime|en retard"
    r"|retard|injoignable|aucune reponse|personne ne repond|desagreable|malhonnete|factur"
    r"|preleve|bloque|impossible de|ne (?:fonctionne|marche) (?:pas|plus)|ne tient"
    r"|insupportable|penible|on se moque|mensong|frais caches|annul"
    r"|unacceptable|refund|scam|broken|damaged|never (?:arrived|received)|still waiting"
    r"|charged twice|crash|not happy|disappoint|terrible|awful|worst|ridiculous|nightmare"
    r"|dishonest|doesn't work|does not work|can't|cannot|no answer|hasn't answered|down again)"
)
_PRAISE = re.compile(
    r"\b(?=[abcefghijlmnprstw])"
    r"(?:merci|bravo|felicitation|top\b|genial|excellent|parfait|super\b|adore|j'aime"
    r"|recommande|au top|impeccable|chapeau|ravi|fan de|meilleur|coup de coeur|tuerie"
    r"|formidable|nickel|bluffe|love|thank|great|amazing|awesome|best|well done|highly"
    r"|wonderful|impressed|perfect|recommend)"
)
_PURCHASE = re.compile(
    r"\b(?=[acgijlortw])"
    r"(?:je (?:vais|veux|voudrais|compte|cherche a) (?:\w+ )?(?:acheter|commander|prendre"
    r"|craquer|me laisser tenter|passer)|je la prends|je le prends|on hesite a le prendre"
    r"|je cherche (?:un|une)|j'hesite|ou acheter|commander|acheter|reserve|je craque"
    r"|craquer pour|i(?:'m| am) (?:planning|going) to (?:buy|order|get)|want to (?:buy|order)"
    r"|i'd like to order|going to order|looking for a|where (?:can i )?buy|to buy)\b"
)
_SPAM = re.compile(
    r"(?=[#abcdefgijlpstw])"
    r"(?:#(?:concours|jeuconcours|giveaway|contest|gagner|win|jeu)\b|je participe|je joue\b"
    r"|tirage au sort|tente(?:z)? (?:ma|votre) chance|je veux gagner|participation"
    r"|gagne(?:z|r)? (?:un|des|\d)|\bwin (?:a|an|\$)|entering|tag \d|identifie \d"
    r"|code promo|lien (?:dans|en) (?:ma )?(?:bio|commentaire)|link in bio|bit\.ly"
    r"|followers|en mp\b|dm me|devenez votre propre patron|par jour depuis chez vous"
    r"|a day from home|suivez(?:-moi| notre page)|like \+ (?:partage|share))"
)
# Each rule starts with a look-ahead on the first letters its words can start with: the
# regex engine then skips most positions without trying every alternative (same matches,
# about a third faster; tests/enrich/test_intent_rules.py checks the letters).
# The brand's reply of a question ("Bonjour, ..."), not a purchase: purchase intent needs
# a first person or a request.
_FIRST_PERSON = re.compile(r"\b(?:je|j'|on |i |i'|me |moi|we |my )")


def detect_intents(folded: str, sentiment: str = "") -> list[str]:
    """The intents of one folded text, in INTENTS order."""
    found = []
    if _QUESTION.search(folded):
        found.append("question")
    complaint = bool(_COMPLAINT.search(folded))
    if complaint and sentiment != "positive":
        found.append("complaint")
    if _PRAISE.search(folded) and sentiment != "negative" and not complaint:
        found.append("praise")
    if _PURCHASE.search(folded) and _FIRST_PERSON.search(folded):
        found.append("purchase_intent")
    if _SPAM.search(folded):
        found.append("spam")
    return found


def detect_intents_batch(folded: Sequence[str], sentiments: Sequence[str]) -> list[list[str]]:
    return [detect_intents(text, label) for text, label in zip(folded, sentiments, strict=True)]
