"""Intent: question, complaint, praise, purchase intent, spam (several may hold).

Rules over the folded text (lower case, no accents), French and English, checked against
the project's labelled comments and the dev part of the real French comments by `veille
eval` (docs/accuracy.md). A question is one asked of the brand, the author or the readers:
rhetorical questions ("…, non ?", "qui peut croire … ?", a question answered at once) are
not, and in a long comment a question mark counts only when the sentence speaks to
someone ("vous", "tu", "quelqu'un"). Sentiment helps the weaker words: a negative post
that reports a problem is a complaint, a positive one that thanks is praise; strong words
("honteux", "merci pour cet article", "pas mal du tout") hold whatever the sentiment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

INTENTS = ("question", "complaint", "praise", "purchase_intent", "spam")

# Asking without needing a "?": addressed requests and the phrases of someone seeking help.
_ASKING_OPENING = re.compile(
    r"(?:est-ce|est ce) qu(?:e |')(?:vous|tu|on|je|il y a)|vous (?:avez|faites|livrez|recrutez)"
    r"|(?:do you|does|is (?:it|the|there)|are (?:you|there)|how|what|when|where|why|can i"
    r"|could you)\b"
)
_ASKING = re.compile(
    r"\b(?=[acdjpqstuvw])"
    r"(?:quelqu'un (?:sait|saurait|aurait|connait)|savez-vous|sais-tu|pourriez-vous"
    r"|pouvez-vous|peux-tu|pourrais-tu|auriez-vous|connaissez-vous|avez-vous|as-tu"
    r"|des conseils|des idees|vous conseillez|comment faire|comment (?:je|on) (?:fai[st]|peux"
    r"|peut|doi[st])|une question|petite question|je me demande si|je me demandais"
    r"|qu'en pens(?:ez|es)|vous en pensez quoi|tu en penses quoi|votre avis|ton avis"
    r"|any (?:tips|advice)|which one|does anyone)\b"
)
# Rhetorical forms: a tag at the end of the sentence, a stock opening.
_TAG = re.compile(
    r"(?:\bnon|\bhein|pas vrai|n'est-ce pas|\bou quoi|\bnan|\bserieux|\bserieusement"
    r"|\bvraiment|\bet alors|\bright|\bisn't it|\bdon't you think)\s*\?+$"
)
_TAG_REACH = 30  # characters at the end of a sentence that can hold a tag
_RHETORICAL_OPENING = re.compile(
    r"\s*(?:mais |et |alors |or )?(?:qui (?:peut|pourrait|va) (?:encore )?(?:croire|penser"
    r"|imaginer|nier|dire)|comment (?:peut-on|peut-il|peut-elle|peuvent-ils|ose|osent|oser"
    r"|est-il possible|voulez-vous qu)|jusqu'(?:a|ou) (?:quand|ira)|a quand|faut-il (?:rappeler"
    r"|s'etonner)|pourquoi pas|qui dit mieux|a qui (?:profite|la faute)|ou va(?:-t-on| le monde)"
    r"|que dire d|on se moque de qui|c'est une blague|who (?:could|would) believe)"
)
# What follows a question mark when the writer answers at once.
_ANSWERED = re.compile(r"\s*(?:la reponse|reponse\s*:|oui\b|non\b|bien sur\b|evidemment\b)")
# Someone spoken to inside a question sentence.
_ADDRESSED = re.compile(
    r"\b(?:vous|votre|vos|tu|toi|ton|ta|tes|quelqu'un|qqn|you|your|anyone)\b|-(?:vous|tu)\b"
)
# A comment longer than a tweet: in it, a question mark alone is likely rhetorical.
_SHORT = 280

_COMPLAINT = re.compile(
    r"\b(?=[abcdefhijlmnoprstuw])"
    r"(?:inadmissible|inacceptable|scandal|honteu|arnaque|nul(?:le|s)?\b(?! ne\b| n')"
    r"|catastrophique|deplorable|(?<!pas )(?<!jamais )(?<!pas ete )(?:decu|decevant)"
    r"|ras le bol|marre|toujours rien|toujours pas|jamais recu|pas recu"
    r"|rembourse|resilier|resilie|panne|plante|bug|casse|abime|defectueu|perime|en retard"
    r"|retard|injoignable|aucune reponse|personne ne repond|desagreable|malhonnete|factur"
    r"|preleve|bloque|impossible de|ne (?:fonctionne|marche) (?:pas|plus)|ne tient"
    r"|insupportable|penible|on se moque|mensong|frais caches|annul|mauvaise qualite"
    r"|horrible|lassant|pas (?:du tout )?(?:content|satisfait)|poor quality"
    r"|unacceptable|refund|scam|broken|damaged|never (?:arrived|received)|still waiting"
    r"|charged twice|crash|not happy|disappoint|terrible|awful|worst|ridiculous|nightmare"
    r"|dishonest|doesn't work|does not work|can't|cannot|no answer|hasn't answered|down again)"
)
# Grievance words strong enough to hold whatever the sentiment tier says: invective,
# protest and sarcasm of opinion threads as well as of customers.
_COMPLAINT_STRONG = re.compile(
    r"\b(?=[abcdefghijlmnopqrsvy])"
    r"(?:honte|scandal|inadmissible|inacceptable|injuste|injustice|indecent|revoltant"
    r"|arnaque|escroc|voleur|pourri(?:e|s|es)?\b|corrompu|magouill|crapul|mafi|fraud"
    r"|menteur|mytho|hypocri|imposteur|incapable|incompetent|guignol|raclure|minable"
    r"|pitoyable|lamentable|ridicule|degueulasse|degoutant|degoute|ecoeur"
    r"|foutage de gueule|se fout(?:ent)? de|se moquent? de|on nous prend pour"
    r"|n'importe quoi|plus jamais|a fuir|je deconseille|pas terrible|pas serieux|boycott"
    r"|arretez|y en a assez|en (?:ai|a) marre|ras-le-bol|ca suffit|basta|que des promesses"
    r"|on croit rever|on marche sur la tete|quelle (?:blague|catastrophe|belle france)"
    r"|belle france|bande d(?:e |')|il ose tout|ils osent tout|vergogne"
    r"|c'est (?:du vol|une catastrophe|la catastrophe)|merci pour rien|merci qui"
    r"|bravo (?:a |au |aux |le |la |les )?(?:nos )?(?:gouvernement|ministre|politiques"
    r"|elus|president|deputes))"
)
_PRAISE = re.compile(
    r"\b(?=[abcefghijlmnprstw])"
    r"(?:merci|bravo|felicitation|top\b|genial|excellent|parfait|super\b|adore|j'aime"
    r"|recommande|au top|impeccable|chapeau|ravi|fan de|meilleur|coup de coeur|tuerie"
    r"|formidable|nickel|bluffe|content de|satisfait|tres bonne experience"
    r"|love|thank|great|amazing|awesome|best|well done|highly"
    r"|wonderful|impressed|perfect|recommend)"
)
# Praise that sarcasm rarely borrows, or of the article and its author: holds whatever
# the sentiment tier says (long comments that thank are often read as negative).
_PRAISE_STRONG = re.compile(
    r"\b(?=[abcegijmnpqstuvw])"
    r"(?:merci (?:beaucoup|bien|infiniment|mille fois|encore|a (?:vous|toi|l'auteur)"
    r"|pour (?:ce|cet|cette|votre|ton|ta|vos|tes|le|la|l'|les)|de (?:partager|cet|ce|votre"
    r"|ton|nous))|grand merci|un grand bravo|quel talent|chapeau bas"
    r"|(?:bon|bel|tres bon|excellent|super|beau|tres beau) (?:article|billet|post|texte"
    r"|papier|travail|resume|dossier|commentaire|point)"
    r"|(?:bonne|belle|excellente|tres bonne|tres belle) (?:analyse|synthese|reflexion"
    r"|chronique|emission|interview|enquete)"
    r"|(?:cet|ce|votre|ton|vos|tes) (?:article|billet|texte|papier|analyse|post|sujet)"
    r" (?:est )?(?:tres |vraiment |super |fort )?(?:interessant|passionnant|pertinent"
    r"|excellent|instructif|eclairant|enrichissant|utile)"
    r"|tres (?:interessant|pertinent|instructif|juste|bien (?:vu|ecrit|dit|explique|vos|ton"
    r"|votre|cet|ce))|tres bien(?: \w+)? (?:article|billet|infos?|analyse)"
    r"|passionnant|instructif|enrichissant|bien vu|bien dit|pas mal du tout|j'adore"
    r"|j'aime beaucoup|j'apprecie beaucoup|au top|genial|excellent|great (?:post|article)"
    r"|thanks for|thank you for|nice (?:post|article)|well said)"
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
    r"(?=[#[abcdefgijlpstw])"
    r"(?:#(?:concours|jeuconcours|giveaway|contest|gagner|win|jeu)\b|je participe|je joue\b"
    r"|tirage au sort|tente(?:z)? (?:ma|votre) chance|je veux gagner|participation"
    r"|gagnez (?:un|une|des|\d)|(?:pour|a) gagner (?:un|une|le|la|les|des|\d)|\bwin (?:a|an|\$)"
    r"|entering|tag \d|identifie \d"
    r"|code promo|lien (?:dans|en) (?:ma )?(?:bio|commentaire)|link in bio|bit\.ly"
    r"|followers|en mp\b|dm me|devenez votre propre patron|par jour depuis chez vous"
    r"|a day from home|suivez(?:-moi| notre page)|like \+ (?:partage|share)"
    r"|\[(?:\.\.\.|…)\]\s*$|pingback|trackback)"
)
_HEAD = re.compile(r"\\b\(\?=\[([^\]]+)\]\)")


def _either(strong: re.Pattern[str], weak: re.Pattern[str]) -> re.Pattern[str]:
    """One pass for both lists (most texts hold neither); the strong words, tried first at
    each position, form the group "strong"."""
    strong_head, weak_head = _HEAD.match(strong.pattern), _HEAD.match(weak.pattern)
    assert strong_head and weak_head, "both rules start with their look-ahead"
    letters = "".join(sorted(set(strong_head.group(1)) | set(weak_head.group(1))))
    return re.compile(
        rf"\b(?=[{letters}])(?:(?P<strong>{strong.pattern[strong_head.end() :]})"
        rf"|{weak.pattern[weak_head.end() :]})"
    )


_COMPLAINT_ANY = _either(_COMPLAINT_STRONG, _COMPLAINT)
_PRAISE_ANY = _either(_PRAISE_STRONG, _PRAISE)


def _strength(either: re.Pattern[str], strong: re.Pattern[str], folded: str) -> int:
    """0: no word of the rule; 1: weak words only; 2: a strong word."""
    match = either.search(folded)
    if match is None:
        return 0
    if match.group("strong") is not None or strong.search(folded, match.start() + 1):
        return 2
    return 1


# A short span between quotation marks names a word rather than uses it ("« formidable »
# outil", scare quotes are often ironic): weak praise words there do not count.
_QUOTED = re.compile(r'«[^»]{0,40}»|“[^”]{0,40}”|”[^”]{0,40}”|"[^"]{0,40}"')
# Automated pingbacks quote the linking post between "[…]" marks.
_PINGBACK_START = re.compile(r"^\s*\[(?:\.\.\.|…)\]")
# Each rule starts with a look-ahead on the first letters its words can start with: the
# regex engine then skips most positions without trying every alternative (same matches,
# about a third faster; tests/enrich/test_intent_rules.py checks the letters).
# The brand's reply of a question ("Bonjour, ..."), not a purchase: purchase intent needs
# a first person or a request.
_FIRST_PERSON = re.compile(r"\b(?:je|j'|on |i |i'|me |moi|we |my )")


def is_question(folded: str) -> bool:
    """Asked of the brand, the author or the readers, not rhetorical."""
    if _ASKING_OPENING.match(folded) or _ASKING.search(folded):
        return True
    mark = folded.find("?")
    if mark < 0:
        return False
    short = len(folded) <= _SHORT
    size = len(folded)
    previous = 0  # where the sentence of the next question mark can start
    while mark >= 0:
        end = mark + 1
        while end < size and folded[end] == "?":
            end += 1
        # The sentence: from the last ".", "!", line break, "(" or question mark before it.
        start = max(previous, *(folded.rfind(stop, previous, mark) + 1 for stop in ".!\n("))
        sentence = folded[start:end]
        if (
            not (
                folded.startswith(")", end)  # "(?)": a doubt in brackets
                or _TAG.search(sentence[-_TAG_REACH:])
                or _RHETORICAL_OPENING.match(sentence)
                or _ANSWERED.match(folded, end)
            )
            and (short or _ADDRESSED.search(sentence))
        ):
            return True
        previous = end
        mark = folded.find("?", end)
    return False


def _weak_praise(folded: str) -> bool:
    """A weak praise word (known to be there) outside quotation marks."""
    if '"' in folded or "«" in folded or "”" in folded:
        return bool(_PRAISE.search(_QUOTED.sub(" ", folded)))
    return True


def detect_intents(folded: str, sentiment: str = "") -> list[str]:
    """The intents of one folded text, in INTENTS order."""
    found = []
    if is_question(folded):
        found.append("question")
    complaint = _strength(_COMPLAINT_ANY, _COMPLAINT_STRONG, folded)
    if complaint == 2 or (complaint and sentiment != "positive"):
        found.append("complaint")
    praise = _strength(_PRAISE_ANY, _PRAISE_STRONG, folded)
    if praise == 2 or (
        praise and sentiment != "negative" and not complaint and _weak_praise(folded)
    ):
        found.append("praise")
    if _PURCHASE.search(folded) and _FIRST_PERSON.search(folded):
        found.append("purchase_intent")
    if _SPAM.search(folded) or _PINGBACK_START.match(folded):
        found.append("spam")
    return found


def detect_intents_batch(folded: Sequence[str], sentiments: Sequence[str]) -> list[list[str]]:
    return [detect_intents(text, label) for text, label in zip(folded, sentiments, strict=True)]
