"""Sample data for trying veille: a fictional Marseille coffee roaster, as real feed files.

`generate(out_dir)` writes RSS 2.0 and Atom files that veille's feed connector collects like
any other source: the brand's own blog and its comment threads, independent blogs, a
Mastodon-like social feed, a press feed and influencers' paid partnerships. Thirteen months
of conversation (October 2025 to October 2026) with what practitioners meet in real life: a
loyal core of regulars who come back month after month, a Christmas contest that brings a
wave of one-shot participants, a small crisis in May 2026 (a batch of bags with a defective
valve, late deliveries) and its recovery, questions to answer, complaints, praise, English
mentions, the competitor, the topic alone, and a few hostile strings that must arrive as text.

Every text is written here, from templates; every address is under ``.example``. The output
is deterministic: the same seed gives the same bytes.
"""

from __future__ import annotations

import calendar
import html
import random
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

DEMO_WORKSPACE = "Brûlerie Azur"

DEMO_WATCHES: list[dict[str, str]] = [
    {
        "name": "Brûlerie Azur",
        "query": '"Brûlerie Azur" OR "Azur Moka" OR "Calanque Espresso" OR brulerieazur',
        "kind": "brand",
    },
    {
        "name": "Torréfaction Nordet",
        "query": '"Torréfaction Nordet" OR torrefactionnordet',
        "kind": "competitor",
    },
    {
        "name": "Café de spécialité",
        "query": '"café de spécialité" OR "cafés de spécialité" OR "specialty coffee"',
        "kind": "topic",
    },
]

DEMO_FEEDS: list[dict[str, str]] = [
    {
        "filename": "blog-posts.xml",
        "name": "Le blog de la Brûlerie Azur",
        "site_url": "https://blog.brulerie-azur.example/",
        "media_category": "owned",
        "format": "rss",
        "description": "Les billets du blog de la marque (arrivages, conseils, jeu de Noël, "
        "communication de crise).",
    },
    {
        "filename": "blog-comments.xml",
        "name": "Le blog de la Brûlerie Azur — commentaires",
        "site_url": "https://blog.brulerie-azur.example/",
        "media_category": "owned",
        "format": "rss",
        "description": "Flux de commentaires façon WordPress : fils de discussion, réponses "
        "imbriquées (thr:in-reply-to), réponses de la marque.",
    },
    {
        "filename": "carnet-de-cafe.xml",
        "name": "Le carnet de café",
        "site_url": "https://carnet-de-cafe.example/",
        "media_category": "earned",
        "format": "rss",
        "description": "Blog indépendant de dégustation : billets citant la marque, le "
        "concurrent ou le café de spécialité.",
    },
    {
        "filename": "carnet-de-cafe-comments.atom",
        "name": "Le carnet de café — commentaires",
        "site_url": "https://carnet-de-cafe.example/",
        "media_category": "earned",
        "format": "atom",
        "description": "Commentaires du carnet de café en Atom, fils avec thr:in-reply-to.",
    },
    {
        "filename": "lesgourmandises.xml",
        "name": "Les gourmandises de Nina",
        "site_url": "https://lesgourmandises.example/",
        "media_category": "earned",
        "format": "rss",
        "description": "Blog de cuisine et de bonnes adresses qui parle parfois de café.",
    },
    {
        "filename": "marseille-en-tasses.xml",
        "name": "Marseille en tasses",
        "site_url": "https://marseille-en-tasses.example/",
        "media_category": "earned",
        "format": "rss",
        "description": "Blog local sur les cafés et brûleries de Marseille.",
    },
    {
        "filename": "coffee-trail.xml",
        "name": "The Coffee Trail",
        "site_url": "https://coffee-trail.example/",
        "media_category": "earned",
        "format": "rss",
        "description": "English-language travel blog about coffee roasters in Europe.",
    },
    {
        "filename": "social.xml",
        "name": "Piaille (réseau social)",
        "site_url": "https://piaille.example/",
        "media_category": "earned",
        "format": "rss",
        "description": "Messages courts d'un réseau de type Mastodon : hashtags, @mentions, "
        "le pic du concours de Noël et la crise de mai y sont les plus visibles.",
    },
    {
        "filename": "news.xml",
        "name": "Le Journal du Vieux-Port",
        "site_url": "https://journal-vieux-port.example/",
        "media_category": "earned",
        "format": "rss",
        "description": "Presse locale : quelques articles sur la marque, le concurrent et "
        "le café de spécialité.",
    },
    {
        "filename": "partenariats.xml",
        "name": "Créateurs partenaires",
        "site_url": "https://createurs.example/",
        "media_category": "paid",
        "format": "rss",
        "description": "Publications d'influenceurs rémunérés par la marque (#sponsorisé, "
        "partenariat rémunéré, collaboration commerciale).",
    },
]

PERIOD_START = datetime(2025, 10, 1, tzinfo=UTC)
PERIOD_END = datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)

NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "thr": "http://purl.org/syndication/thread/1.0",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

BRAND = "Brûlerie Azur"
BRAND_HANDLE = "@brulerieazur"
COMPETITOR = "Torréfaction Nordet"
PRODUCTS = ("Azur Moka", "Calanque Espresso", "box Découverte")
BLOG = "https://blog.brulerie-azur.example"
SOCIAL = "https://piaille.example"

# Hostile strings: they must reach veille as text, never as markup.
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_JS_URL = "javascript:alert(document.cookie)"

ORIGINS = (
    "Éthiopie Guji",
    "Colombie Huila",
    "Kenya Nyeri",
    "Brésil Cerrado",
    "Guatemala Huehuetenango",
    "Honduras Marcala",
    "Pérou Cajamarca",
    "Rwanda Nyamasheke",
    "Costa Rica Tarrazú",
    "Burundi Kayanza",
    "Mexique Chiapas",
    "Salvador Santa Ana",
)
NOTES = (
    "des notes de cacao",
    "une pointe d'agrume",
    "des fruits rouges",
    "de la noisette grillée",
    "un joli caramel",
    "un côté floral, presque jasmin",
    "du pain d'épices",
    "une belle douceur de miel",
)
NOTES_EN = ("cocoa notes", "a hint of citrus", "red berries", "toasted hazelnut", "caramel")
METHODS = ("cafetière italienne", "V60", "Aeropress", "piston", "expresso", "Chemex")
CITIES = ("Aix", "Toulon", "Avignon", "Lyon", "Montpellier", "Nice", "Nîmes", "Arles")

# (display name, handle): the regulars who come back month after month.
LOYAL_CORE: tuple[tuple[str, str], ...] = (
    ("Sophie Lambert", "sophie_lmb"),
    ("Karim Benali", "karim_cafe"),
    ("Élodie Fabre", "elofabre"),
    ("Thomas Giraud", "tomgiraud"),
    ("Nadia Cherif", "nadia_ch"),
    ("Lucas Moreau", "lucas_mro"),
    ("Claire Vidal", "clairevidal"),
    ("Mehdi Haddad", "mehdi_h"),
    ("Julie Roux", "julie_roux13"),
    ("Antoine Blanc", "antoine_b"),
    ("Inès Martin", "ines_mtn"),
    ("Pierre-Louis Ferrand", "plferrand"),
    ("Capucine Aubert", "capu_aubert"),
    ("Yasmine Ould", "yasmine_o"),
    ("Bernard Castel", "bernard_castel"),
)
FIRST_NAMES = (
    "Adèle Alice Amandine Anaïs Arthur Aurélien Baptiste Bastien Céline Chloé Clément "
    "Damien Delphine Dylan Emma Enzo Fabien Fanny Florian Gaëlle Hugo Jade Jérémy Joël "
    "Kevin Laura Léa Léo Louise Maëlle Manon Marc Margot Mathis Maxime Mélanie Noah Noémie "
    "Océane Pauline Quentin Rachid Romain Salomé Samia Sarah Simon Sofiane Valentin Zoé"
).split()
LAST_NAMES = (
    "Arnaud Barbier Bertrand Bonnet Brun Caron Chevalier Clément Colin Da Silva Dupuis "
    "Durand Faure Fournier Garnier Gauthier Girard Guerin Henry Joly Lacroix Laurent "
    "Lefèvre Leroy Marchand Mercier Meyer Michel Morel Nicolas Perrin Petit Picard Renard "
    "Robin Rolland Roussel Sanchez Schmitt Simon Torres Vincent Zerbib"
).split()

MONTHS_FR = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()

_SEASON = {
    (2025, 10): 1.0,
    (2025, 11): 1.1,
    (2025, 12): 1.15,
    (2026, 1): 0.9,
    (2026, 2): 0.85,
    (2026, 3): 1.0,
    (2026, 4): 1.0,
    (2026, 5): 1.0,
    (2026, 6): 0.9,
    (2026, 7): 0.7,
    (2026, 8): 0.5,
    (2026, 9): 1.05,
    (2026, 10): 1.1,
}
# Monday first: people post more at the weekend, blogs publish mid-week.
_SOCIAL_WEEKDAYS = (0.8, 0.95, 1.0, 1.0, 1.1, 1.45, 1.3)
_BLOG_WEEKDAYS = (0.6, 1.4, 1.0, 1.4, 0.8, 0.2, 0.1)
_SOCIAL_HOURS = (7, 8, 9, 12, 13, 17, 18, 19, 20, 21, 22)
_BLOG_HOURS = (6, 7, 8, 9, 10, 14)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What `generate` wrote."""

    files: list[Path]
    items_per_file: dict[str, int]
    total_items: int
    period_start: datetime
    period_end: datetime


@dataclass(frozen=True, slots=True)
class _Person:
    name: str
    handle: str


@dataclass(eq=False, slots=True)
class _Entry:
    published: datetime
    author: _Person
    text: str
    title: str = ""
    url: str = ""
    guid: str = ""
    tags: tuple[str, ...] = ()
    markup: str = ""  # explicit HTML written here; otherwise built from the escaped text
    parent: _Entry | None = None
    post: _Entry | None = None
    comments: list[_Entry] = field(default_factory=list)


BRAND_PERSON = _Person("Brûlerie Azur", "brulerieazur")
BRAND_STAFF = _Person("Manon — Brûlerie Azur", "brulerieazur")


def _months() -> list[tuple[int, int]]:
    return list(_SEASON)


def _slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60]


def _paragraphs_html(text: str) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in text.split("\n\n"))


_TAG_OR_MENTION = re.compile(r"(?<![\w&/])([#@])(\w[\w.]*\w|\w)")


def _social_html(text: str) -> str:
    """Mastodon-style markup: escaped text, hashtags and @handles as links."""

    def link(match: re.Match[str]) -> str:
        sign, word = match.group(1), match.group(2)
        if sign == "#":
            href = f"{SOCIAL}/tags/{quote(word)}"
            return f'<a href="{href}" class="mention hashtag" rel="tag">#<span>{word}</span></a>'
        href = f"{SOCIAL}/@{quote(word)}"
        link = f'<a href="{href}" class="u-url mention">@<span>{word}</span></a>'
        return f'<span class="h-card">{link}</span>'

    escaped = html.escape(text, quote=False)
    return "".join(f"<p>{_TAG_OR_MENTION.sub(link, p)}</p>" for p in escaped.split("\n\n"))


class _World:
    """Builds every entry of every feed from one random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # The brand's answers on the social feed draw from their own generator, so adding
        # or tuning them leaves every other conversation of the demo as it was.
        self.answers_rng = random.Random(seed + 1)
        self.loyal = [_Person(name, handle) for name, handle in LOYAL_CORE]
        self._used_names: set[str] = {p.name for p in self.loyal}
        self._used_handles: set[str] = {p.handle for p in self.loyal} | {"brulerieazur"}
        self.social: list[_Entry] = []
        self.owned_posts: list[_Entry] = []
        self.earned: dict[str, list[_Entry]] = {
            "carnet-de-cafe": [],
            "lesgourmandises": [],
            "marseille-en-tasses": [],
            "coffee-trail": [],
        }
        self.news: list[_Entry] = []
        self.paid: list[_Entry] = []
        self._social_seq = 0
        self._post_id = 40

    # -- people, days and moments ------------------------------------------------------

    def one_shot(self) -> _Person:
        """Someone who appears once in the whole period."""
        rng = self.rng
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in self._used_names:
                break
        self._used_names.add(name)
        first, _, last = name.partition(" ")
        base = _slug(rng.choice((f"{first}{last[0]}", f"{first}_{last}", f"{first}.{last[:3]}")))
        base = base.replace("-", "_")
        handle = base
        while handle in self._used_handles:
            handle = f"{base}{rng.randint(2, 99)}"
        self._used_handles.add(handle)
        return _Person(name, handle)

    def friend_tag(self) -> str:
        rng = self.rng
        return f"@{_slug(rng.choice(FIRST_NAMES)).replace('-', '')}{rng.randint(1, 999)}"

    def day(
        self,
        year: int,
        month: int,
        weights: Sequence[float] = _SOCIAL_WEEKDAYS,
        first: int = 1,
        last: int | None = None,
    ) -> date:
        last = last or calendar.monthrange(year, month)[1]
        days = [date(year, month, d) for d in range(first, last + 1)]
        return self.rng.choices(days, weights=[weights[d.weekday()] for d in days])[0]

    def moment(self, day: date, hours: Sequence[int] = _SOCIAL_HOURS) -> datetime:
        rng = self.rng
        hour = rng.choice(hours)
        return datetime(
            day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=UTC
        )

    def later(self, start: datetime, min_minutes: int, max_minutes: int) -> datetime:
        return start + timedelta(minutes=self.rng.randint(min_minutes, max_minutes))

    def fill(self, template: str, **extra: str) -> str:
        rng = self.rng
        values = {
            "brand": BRAND,
            "at": BRAND_HANDLE,
            "ref": rng.choice((BRAND_HANDLE, BRAND, BRAND_HANDLE)),
            "product": rng.choice(PRODUCTS[:2]),
            "origin": rng.choice(ORIGINS),
            "note": rng.choice(NOTES),
            "note_en": rng.choice(NOTES_EN),
            "method": rng.choice(METHODS),
            "city": rng.choice(CITIES),
            "competitor": COMPETITOR,
            "days": str(rng.randint(8, 16)),
            "n": str(rng.randint(2, 5)),
        }
        values.update(extra)
        return template.format(**values)

    # -- social --------------------------------------------------------------------------

    def post_social(
        self, when: datetime, author: _Person, text: str, parent: _Entry | None = None
    ) -> _Entry | None:
        if not PERIOD_START <= when <= PERIOD_END:
            return None
        self._social_seq += 1
        status_id = (int(when.timestamp()) * 1000 << 16) | (self._social_seq & 0xFFFF)
        url = f"{SOCIAL}/@{author.handle}/{status_id}"
        tags = tuple(dict.fromkeys(t.lower() for t in re.findall(r"(?<![\w&])#(\w+)", text)))
        entry = _Entry(when, author, text, url=url, guid=url, tags=tags, parent=parent)
        self.social.append(entry)
        return entry

    def answer_social(self, status: _Entry | None, chance: float) -> None:
        """Sometimes the brand answers a question or a complaint in its thread, hours later."""
        rng = self.answers_rng
        if status is None or rng.random() >= chance:
            return
        when = status.published + timedelta(minutes=rng.randint(15, 360))
        text = rng.choice(BRAND_SOCIAL_ANSWERS).format(handle=f"@{status.author.handle}")
        self.post_social(when, BRAND_PERSON, text, parent=status)

    def social_baseline(self) -> None:
        rng = self.rng
        activity = [rng.uniform(0.65, 0.95) for _ in self.loyal]
        for year, month in _months():
            season = _SEASON[(year, month)]
            for person, active in zip(self.loyal, activity, strict=True):
                if rng.random() > active:
                    continue
                for _ in range(1 + (rng.random() < 0.4 * season)):
                    kind = rng.choices(
                        ("praise", "question", "neutral", "complaint"), weights=(7, 1, 1.5, 0.8)
                    )[0]
                    text = self.fill(rng.choice(SOCIAL_TEMPLATES[kind]))
                    status = self.post_social(self.moment(self.day(year, month)), person, text)
                    if kind in ("question", "complaint"):
                        self.answer_social(status, 0.8)
            plan = {
                "praise": 3,
                "question": 2,
                "complaint": 1.3,
                "neutral": 1.5,
                "english": 1.3,
                "competitor": 1.6,
                "topic": 2.2,
            }
            for kind, mean in plan.items():
                count = max(0, round(rng.gauss(mean * season, 0.8)))
                for _ in range(count):
                    text = self.fill(rng.choice(SOCIAL_TEMPLATES[kind]))
                    when = self.moment(self.day(year, month))
                    status = self.post_social(when, self.one_shot(), text)
                    if kind in ("question", "complaint"):
                        self.answer_social(status, 0.55)
            for _ in range(max(2, round(3.5 * season))):
                text = self.fill(rng.choice(BRAND_SOCIAL_TEMPLATES))
                self.post_social(
                    self.moment(self.day(year, month, _BLOG_WEEKDAYS), _BLOG_HOURS),
                    BRAND_PERSON,
                    text,
                )

    def social_contest(self) -> None:
        rng = self.rng
        start = datetime(2025, 12, 1, 9, 0, 0, tzinfo=UTC)
        self.post_social(start, BRAND_PERSON, CONTEST_ANNOUNCE)
        self.post_social(
            datetime(2025, 12, 8, 18, 30, 0, tzinfo=UTC), BRAND_PERSON, CONTEST_REMINDER
        )
        # Participants pile in at the start and just before the deadline.
        day_weights = [6, 5, 4, 3, 3, 3, 2, 2, 2, 2, 3, 3, 4, 5, 6]
        for _ in range(96):
            day = rng.choices(range(1, 16), weights=day_weights)[0]
            when = self.moment(date(2025, 12, day))
            if when < start:
                when = start + timedelta(minutes=rng.randint(3, 600))
            tags = " ".join(self.friend_tag() for _ in range(rng.choice((1, 2, 2, 3))))
            text = rng.choice(CONTEST_ENTRIES).format(tags=tags, at=BRAND_HANDLE)
            self.post_social(when, self.one_shot(), text)
        winner = self.one_shot()
        self.post_social(
            datetime(2025, 12, 16, 11, 0, 0, tzinfo=UTC),
            BRAND_PERSON,
            CONTEST_RESULT.format(winner=f"@{winner.handle}"),
        )
        self.post_social(
            datetime(2025, 12, 16, 12, 41, 9, tzinfo=UTC),
            winner,
            f"J'ai gagné le grand jeu de Noël de {BRAND_HANDLE} !!! Merci, je n'y croyais "
            "pas 🎉 #concours",
        )

    def social_crisis(self) -> None:
        rng = self.rng
        # First complaints on 4 May, peak 6-9 May, brand statement on 7 May.
        day_weights = {4: 2, 5: 4, 6: 7, 7: 8, 8: 7, 9: 6, 10: 4, 11: 3, 12: 3, 13: 2, 14: 2}
        days = list(day_weights)
        for index in range(44):
            day = rng.choices(days, weights=list(day_weights.values()))[0]
            when = self.moment(date(2026, 5, day))
            kind = "crisis_question" if index % 4 == 0 else "crisis"
            author = self.one_shot() if rng.random() < 0.75 else rng.choice(self.loyal)
            entry = self.post_social(when, author, self.fill(rng.choice(SOCIAL_TEMPLATES[kind])))
            if entry and when.day >= 6 and rng.random() < 0.45:
                answer = rng.choice(BRAND_CRISIS_REPLIES).format(handle=f"@{author.handle}")
                self.post_social(self.later(when, 25, 240), BRAND_PERSON, answer, parent=entry)
        self.post_social(
            datetime(2026, 5, 7, 10, 15, 0, tzinfo=UTC), BRAND_PERSON, CRISIS_STATEMENT
        )
        self.post_social(datetime(2026, 5, 19, 9, 0, 0, tzinfo=UTC), BRAND_PERSON, CRISIS_UPDATE)
        # Recovery: replacements arrive, the loyal core is supportive.
        for _ in range(16):
            day = self.day(2026, 5, first=15, last=31) if rng.random() < 0.6 else None
            day = day or self.day(2026, 6, last=20)
            author = rng.choice(self.loyal) if rng.random() < 0.5 else self.one_shot()
            text = self.fill(rng.choice(SOCIAL_TEMPLATES["recovery"]))
            self.post_social(self.moment(day), author, text)

    def social_hostile(self) -> None:
        self.post_social(
            datetime(2026, 2, 14, 22, 13, 5, tzinfo=UTC),
            _Person("xss tester", "xss_tester"),
            f"Test : {HOSTILE_SCRIPT} est-ce que le site de {BRAND_HANDLE} filtre ça ? #sécurité",
        )
        self.post_social(
            datetime(2026, 8, 3, 23, 2, 44, tzinfo=UTC),
            _Person("troll", "troll_sud"),
            f"{HOSTILE_IMG} bon plan {BRAND} par ici : {HOSTILE_JS_URL}",
        )

    # -- the brand's blog -----------------------------------------------------------------

    def new_post(
        self,
        base: str,
        when: datetime,
        title: str,
        body: str,
        author: _Person,
        tags: tuple[str, ...],
    ) -> _Entry:
        self._post_id += self.rng.randint(3, 17)
        url = f"{base}/{when:%Y/%m}/{_slug(title)}/"
        guid = f"{base}/?p={self._post_id}"
        return _Entry(when, author, body, title=title, url=url, guid=guid, tags=tags)

    def comment(
        self, post: _Entry, when: datetime, author: _Person, text: str, parent: _Entry | None = None
    ) -> _Entry | None:
        floor = parent.published if parent else post.published
        if when <= floor:
            when = floor + timedelta(minutes=self.rng.randint(5, 90))
        if when > PERIOD_END:
            return None
        entry = _Entry(when, author, text, parent=parent, post=post)
        post.comments.append(entry)
        return entry

    def thread(self, post: _Entry, author: _Person, text: str, answers: Sequence[str]) -> None:
        """A comment, and the brand and the author answering each other in turn."""
        rng = self.rng
        when = self.later(post.published, 30, 60 * 48)
        parent = self.comment(post, when, author, text)
        for index, answer in enumerate(answers):
            if parent is None:
                return
            speaker = BRAND_STAFF if index % 2 == 0 else author
            parent = self.comment(
                post, self.later(parent.published, 20, 60 * 20), speaker, answer, parent
            )
            if parent is not None and rng.random() < 0.15 and speaker is BRAND_STAFF:
                # Someone else joins under the brand's answer.
                self.comment(
                    post,
                    self.later(parent.published, 30, 600),
                    self.one_shot(),
                    self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["chime_in"])),
                    parent,
                )

    def owned_blog(self) -> None:
        rng = self.rng
        pool = list(OWNED_POST_TEMPLATES)
        rng.shuffle(pool)
        used: set[str] = set()
        for year, month in _months():
            count = 2 if (year, month) in {(2026, 7), (2026, 8)} else 3
            for _ in range(count):
                title_t, body_t = pool.pop() if pool else rng.choice(OWNED_POST_TEMPLATES)
                extra = {"origin": rng.choice(ORIGINS), "product": rng.choice(PRODUCTS[:2])}
                title = self.fill(title_t, **extra)
                if title in used:
                    title = f"{title} ({MONTHS_FR[month - 1]} {year})"
                used.add(title)
                when = self.moment(self.day(year, month, _BLOG_WEEKDAYS, last=26), _BLOG_HOURS)
                post = self.new_post(
                    BLOG, when, title, self.fill(body_t, **extra), BRAND_STAFF, ("Brûlerie",)
                )
                self.owned_posts.append(post)
                self.ordinary_comments(post)
        self.owned_contest()
        self.owned_crisis()
        self.owned_posts.sort(key=lambda p: p.published)

    def ordinary_comments(self, post: _Entry) -> None:
        rng = self.rng
        for _ in range(rng.randint(1, 5)):
            author = rng.choice(self.loyal) if rng.random() < 0.65 else self.one_shot()
            kind = rng.choices(("praise", "question", "neutral"), weights=(5, 3, 2))[0]
            text = self.fill(rng.choice(BLOG_COMMENT_TEMPLATES[kind]))
            if kind == "question":
                answers = [self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["brand_answer"]))]
                if rng.random() < 0.5:
                    answers.append(self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["thanks"])))
                self.thread(post, author, text, answers)
            else:
                self.thread(post, author, text, [])

    def owned_contest(self) -> None:
        rng = self.rng
        post = self.new_post(
            BLOG,
            datetime(2025, 12, 1, 8, 30, 0, tzinfo=UTC),
            "Grand jeu de Noël : gagnez une box Découverte et un an de Calanque Espresso",
            CONTEST_POST,
            BRAND_STAFF,
            ("Concours", "Noël"),
        )
        self.owned_posts.append(post)
        for _ in range(42):
            day = rng.choices(range(1, 16), weights=[6, 5, 4, 3, 3, 2, 2, 2, 2, 2, 3, 3, 4, 5, 6])[
                0
            ]
            when = self.moment(date(2025, 12, day))
            self.comment(post, when, self.one_shot(), rng.choice(CONTEST_BLOG_ENTRIES))
        self.thread(
            post,
            self.one_shot(),
            "Le jeu est ouvert à la Belgique aussi ou seulement à la France ?",
            ["Bonjour ! France métropolitaine et Belgique, avec plaisir. Bonne chance !"],
        )
        result = self.new_post(
            BLOG,
            datetime(2025, 12, 16, 10, 0, 0, tzinfo=UTC),
            "Résultats du grand jeu de Noël",
            CONTEST_RESULT_POST,
            BRAND_STAFF,
            ("Concours", "Noël"),
        )
        self.owned_posts.append(result)
        for text in ("Bravo au gagnant ! Dommage pour moi 😅", "Merci pour le jeu, joyeux Noël !"):
            self.comment(result, self.later(result.published, 60, 1440), self.one_shot(), text)
        self.thread(result, self.loyal[0], "Bravo ! Et vivement le retour du Kenya en janvier.", [])

    def owned_crisis(self) -> None:
        rng = self.rng
        post = self.new_post(
            BLOG,
            datetime(2026, 5, 7, 9, 45, 0, tzinfo=UTC),
            "Sachets Azur Moka du lot 2604 : nos excuses et la marche à suivre",
            CRISIS_POST,
            BRAND_STAFF,
            ("Service client",),
        )
        self.owned_posts.append(post)
        for _ in range(14):
            author = self.one_shot() if rng.random() < 0.7 else rng.choice(self.loyal)
            text = self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["crisis"]))
            answers = [self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["crisis_answer"]))]
            if rng.random() < 0.6:
                answers.append(self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["crisis_followup"])))
                if rng.random() < 0.5:
                    answers.append(self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["brand_answer"])))
            self.thread(post, author, text, answers if rng.random() < 0.85 else [])
        for person in rng.sample(self.loyal, 3):
            text = self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["support"]))
            self.thread(post, person, text, ["Merci, ça nous touche beaucoup."])
        update = self.new_post(
            BLOG,
            datetime(2026, 5, 21, 8, 0, 0, tzinfo=UTC),
            "Livraisons et remplacements : où en sommes-nous ?",
            CRISIS_UPDATE_POST,
            BRAND_STAFF,
            ("Service client",),
        )
        self.owned_posts.append(update)
        for _ in range(6):
            author = rng.choice(self.loyal) if rng.random() < 0.5 else self.one_shot()
            text = self.fill(rng.choice(BLOG_COMMENT_TEMPLATES["recovery"]))
            self.thread(post if rng.random() < 0.3 else update, author, text, [])
        self.thread(
            update,
            self.one_shot(),
            "Toujours rien reçu de mon côté, commande du 2 mai…",
            [
                "Bonjour, pouvez-vous nous écrire à sav@brulerie-azur.example avec votre "
                "numéro de commande ? Nous regardons aujourd'hui même.",
                "C'est fait, merci.",
                "Bien reçu : votre colis part demain en express, avec nos excuses.",
            ],
        )
        # A hostile comment, and a hostile author name.
        self.comment(
            update,
            datetime(2026, 5, 23, 2, 14, 0, tzinfo=UTC),
            _Person(f"Anonyme {HOSTILE_IMG}", "anonyme"),
            f"{HOSTILE_SCRIPT} Brûlerie Azur, vos sachets c'est du vent. Voir {HOSTILE_JS_URL}",
        )

    # -- independent blogs ----------------------------------------------------------------

    def earned_blogs(self) -> None:
        rng = self.rng
        authors = {
            "carnet-de-cafe": _Person("Julien Mercadier", "julien"),
            "lesgourmandises": _Person("Nina", "nina"),
            "marseille-en-tasses": _Person("Rémi Castellane", "remi"),
            "coffee-trail": _Person("Hannah Brooks", "hannah"),
        }
        for key, templates in EARNED_POST_TEMPLATES.items():
            base = f"https://{key}.example"
            for month_key, title_t, body_t, tags in templates:
                year, month = month_key
                extra = {"origin": rng.choice(ORIGINS), "product": rng.choice(PRODUCTS[:2])}
                when = self.moment(self.day(year, month, _BLOG_WEEKDAYS, last=26), _BLOG_HOURS)
                post = self.new_post(
                    base,
                    when,
                    self.fill(title_t, **extra),
                    self.fill(body_t, **extra),
                    authors[key],
                    tags,
                )
                self.earned[key].append(post)
            self.earned[key].sort(key=lambda p: p.published)
        # The tasting blog has a lively comment section (published as Atom).
        for post in self.earned["carnet-de-cafe"]:
            for _ in range(rng.randint(1, 4)):
                author = rng.choice(self.loyal) if rng.random() < 0.5 else self.one_shot()
                first = self.comment(
                    post,
                    self.later(post.published, 40, 60 * 36),
                    author,
                    self.fill(rng.choice(CARNET_COMMENTS)),
                )
                if first is not None and rng.random() < 0.5:
                    reply = self.comment(
                        post,
                        self.later(first.published, 30, 60 * 12),
                        post.author,
                        self.fill(rng.choice(CARNET_AUTHOR_REPLIES)),
                        first,
                    )
                    if reply is not None and rng.random() < 0.4:
                        self.comment(
                            post,
                            self.later(reply.published, 30, 60 * 12),
                            author,
                            "Merci pour la réponse, je vais essayer !",
                            reply,
                        )
        # A hostile post body: a javascript: link, written as real markup on purpose.
        hostile = self.earned["marseille-en-tasses"][-1]
        hostile.markup = (
            _paragraphs_html(hostile.text)
            + f'<p><a href="{html.escape(HOSTILE_JS_URL)}">Voir la carte des brûleries</a></p>'
        )

    # -- press and paid partnerships ------------------------------------------------------

    def press(self) -> None:
        for (year, month, day), title, body in NEWS_ARTICLES:
            when = self.moment(date(year, month, day), (5, 6, 7, 16))
            slug = _slug(title)
            url = f"https://journal-vieux-port.example/{year}/{month:02d}/{day:02d}/{slug}"
            journalist = self.rng.choice(
                (_Person("Martine Santoni", "msantoni"), _Person("Hugo Pelletier", "hpelletier"))
            )
            self.news.append(
                _Entry(when, journalist, body, title=title, url=url, guid=url, tags=("Économie",))
            )

    def partnerships(self) -> None:
        creators = [
            _Person("Léa Gourmande", "lea.gourmande"),
            _Person("Le Barista Voyageur", "barista.voyageur"),
            _Person("Maison & Matin", "maisonetmatin"),
            _Person("Coffee with Tom", "coffeewithtom"),
        ]
        for index, ((year, month), text_t) in enumerate(PAID_POSTS):
            creator = creators[index % len(creators)]
            when = self.moment(self.day(year, month))
            url = f"https://createurs.example/@{creator.handle}/p/{index + 1:04d}"
            text = self.fill(text_t)
            title = text.split(".")[0][:80]
            self.paid.append(
                _Entry(when, creator, text, title=title, url=url, guid=url, tags=("partenariat",))
            )

    def build(self) -> None:
        self.social_baseline()
        self.social_contest()
        self.social_crisis()
        self.social_hostile()
        self.owned_blog()
        self.earned_blogs()
        self.press()
        self.partnerships()


# -- rendering ----------------------------------------------------------------------------


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _rss_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _atom_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _newest_first(entries: list[_Entry]) -> list[_Entry]:
    return sorted(entries, key=lambda e: (e.published, e.guid), reverse=True)


def _rss(
    title: str,
    site: str,
    self_url: str,
    description: str,
    entries: list[_Entry],
    item: Callable[[ET.Element, _Entry], None],
    language: str = "fr-FR",
) -> ET.ElementTree:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", title)
    _sub(
        channel,
        _q("atom", "link"),
        href=self_url,
        rel="self",
        type="application/rss+xml",
    )
    _sub(channel, "link", site)
    _sub(channel, "description", description)
    _sub(channel, "language", language)
    newest = max((e.published for e in entries), default=PERIOD_END)
    _sub(channel, "lastBuildDate", _rss_date(newest))
    _sub(channel, "generator", "veille demo generator")
    for entry in _newest_first(entries):
        element = _sub(channel, "item")
        item(element, entry)
    return ET.ElementTree(rss)


def _post_item(comment_feeds: bool) -> Callable[[ET.Element, _Entry], None]:
    def item(element: ET.Element, post: _Entry) -> None:
        _sub(element, "title", post.title)
        _sub(element, "link", post.url)
        _sub(element, _q("dc", "creator"), post.author.name)
        _sub(element, "pubDate", _rss_date(post.published))
        for tag in post.tags:
            _sub(element, "category", tag)
        _sub(element, "guid", post.guid, isPermaLink="false")
        markup = post.markup or _paragraphs_html(post.text)
        first = post.text.split("\n\n")[0]
        _sub(element, "description", first if len(first) < 300 else first[:297] + "…")
        _sub(element, _q("content", "encoded"), markup)
        if comment_feeds:
            _sub(element, "comments", post.url + "#comments")
            _sub(element, _q("wfw", "commentRss"), post.url + "feed/")
            _sub(element, _q("slash", "comments"), str(len(post.comments)))

    return item


def _comment_item(element: ET.Element, comment: _Entry) -> None:
    assert comment.post is not None
    _sub(element, "title", f"Commentaire sur {comment.post.title} par {comment.author.name}")
    _sub(element, "link", comment.url)
    _sub(element, _q("dc", "creator"), comment.author.name)
    _sub(element, "pubDate", _rss_date(comment.published))
    _sub(element, "guid", comment.guid, isPermaLink="false")
    _sub(element, "description", comment.text)
    _sub(element, _q("content", "encoded"), _paragraphs_html(comment.text))
    if comment.parent is not None:
        _sub(element, _q("thr", "in-reply-to"), ref=comment.parent.guid, href=comment.parent.url)


def _social_item(element: ET.Element, status: _Entry) -> None:
    _sub(element, "guid", status.guid, isPermaLink="true")
    _sub(element, "link", status.url)
    _sub(element, _q("dc", "creator"), f"@{status.author.handle}")
    _sub(element, "pubDate", _rss_date(status.published))
    _sub(element, "description", _social_html(status.text))
    if status.parent is not None:
        _sub(element, _q("thr", "in-reply-to"), ref=status.parent.guid, href=status.parent.url)
    for tag in status.tags:
        _sub(element, "category", tag)


def _plain_item(element: ET.Element, entry: _Entry) -> None:
    _sub(element, "title", entry.title)
    _sub(element, "link", entry.url)
    _sub(element, _q("dc", "creator"), entry.author.name)
    _sub(element, "pubDate", _rss_date(entry.published))
    for tag in entry.tags:
        _sub(element, "category", tag)
    _sub(element, "guid", entry.guid, isPermaLink="true")
    _sub(element, "description", _paragraphs_html(entry.text))


def _number_comments(posts: list[_Entry], site: str, first: int, rng: random.Random) -> None:
    """WordPress numbers comments site-wide, in the order they were written."""
    comments = sorted(
        (c for p in posts for c in p.comments), key=lambda c: (c.published, c.text, c.author.name)
    )
    number = first
    for comment in comments:
        number += rng.randint(1, 3)
        assert comment.post is not None
        comment.url = f"{comment.post.url}#comment-{number}"
        comment.guid = f"{site}/?p={comment.post.guid.rsplit('=', 1)[-1]}#comment-{number}"


def _atom_comments(title: str, site: str, self_url: str, posts: list[_Entry]) -> ET.ElementTree:
    a = NS["atom"]
    feed = ET.Element(f"{{{a}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    comments = _newest_first([c for p in posts for c in p.comments])
    _sub(feed, f"{{{a}}}id", f"{site}comments")
    _sub(feed, f"{{{a}}}title", title)
    _sub(feed, f"{{{a}}}updated", _atom_date(comments[0].published if comments else PERIOD_END))
    _sub(feed, f"{{{a}}}link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, f"{{{a}}}link", rel="alternate", type="text/html", href=site)
    _sub(feed, f"{{{a}}}generator", "veille demo generator")
    for comment in comments:
        assert comment.post is not None
        entry = _sub(feed, f"{{{a}}}entry")
        _sub(entry, f"{{{a}}}id", comment.guid)
        _sub(entry, f"{{{a}}}title", f"{comment.author.name} sur « {comment.post.title} »")
        _sub(entry, f"{{{a}}}link", rel="alternate", type="text/html", href=comment.url)
        author = _sub(entry, f"{{{a}}}author")
        _sub(author, f"{{{a}}}name", comment.author.name)
        _sub(entry, f"{{{a}}}published", _atom_date(comment.published))
        _sub(entry, f"{{{a}}}updated", _atom_date(comment.published))
        _sub(entry, f"{{{a}}}content", _paragraphs_html(comment.text), type="html")
        target = comment.parent or comment.post
        _sub(
            entry,
            _q("thr", "in-reply-to"),
            ref=target.guid,
            href=target.url,
            type="text/html",
        )
    return ET.ElementTree(feed)


def _write(tree: ET.ElementTree, path: Path) -> None:
    """Serialise with two-space indentation; an Atom document gets Atom as default namespace."""
    ET.indent(tree, space="  ")
    atom = tree.getroot().tag == _q("atom", "feed")
    if atom:
        # ElementTree's default_namespace option refuses unqualified attributes (href, rel),
        # so the Atom prefix is mapped to the default namespace while this file is written.
        ET.register_namespace("", NS["atom"])
    try:
        with path.open("wb") as handle:
            tree.write(handle, encoding="utf-8", xml_declaration=True)
            handle.write(b"\n")
    finally:
        if atom:
            ET.register_namespace("atom", NS["atom"])


def _count(tree: ET.ElementTree) -> int:
    root = tree.getroot()
    if root.tag == "rss":
        return len(root.findall("channel/item"))
    return len(root.findall(_q("atom", "entry")))


def generate(out_dir: Path, seed: int = 2025) -> DemoSummary:
    """Write the demo feeds into `out_dir` (created if needed) and say what was written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = _World(seed)
    world.build()
    numbering = random.Random(seed + 1)
    _number_comments(world.owned_posts, BLOG, 120, numbering)
    carnet = "https://carnet-de-cafe.example"
    _number_comments(world.earned["carnet-de-cafe"], carnet, 10, numbering)
    # Atom ids for the tasting blog: tag URIs, as many Atom blogs use.
    for post in world.earned["carnet-de-cafe"]:
        for comment in post.comments:
            comment.guid = "tag:carnet-de-cafe.example,2025:" + comment.url.rsplit("#", 1)[1]
    owned_comments = [c for p in world.owned_posts for c in p.comments]

    feeds = {feed["filename"]: feed for feed in DEMO_FEEDS}

    def rss(
        filename: str,
        entries: list[_Entry],
        item: Callable[[ET.Element, _Entry], None],
        self_path: str,
        language: str = "fr-FR",
    ) -> ET.ElementTree:
        feed = feeds[filename]
        return _rss(
            feed["name"],
            feed["site_url"],
            feed["site_url"] + self_path,
            feed["description"],
            entries,
            item,
            language,
        )

    trees: dict[str, ET.ElementTree] = {
        "blog-posts.xml": rss("blog-posts.xml", world.owned_posts, _post_item(True), "feed/"),
        "blog-comments.xml": rss(
            "blog-comments.xml", owned_comments, _comment_item, "comments/feed/"
        ),
        "carnet-de-cafe.xml": rss(
            "carnet-de-cafe.xml", world.earned["carnet-de-cafe"], _post_item(False), "feed/"
        ),
        "carnet-de-cafe-comments.atom": _atom_comments(
            feeds["carnet-de-cafe-comments.atom"]["name"],
            feeds["carnet-de-cafe-comments.atom"]["site_url"],
            "https://carnet-de-cafe.example/comments/feed/atom/",
            world.earned["carnet-de-cafe"],
        ),
        "lesgourmandises.xml": rss(
            "lesgourmandises.xml", world.earned["lesgourmandises"], _post_item(False), "feed/"
        ),
        "marseille-en-tasses.xml": rss(
            "marseille-en-tasses.xml",
            world.earned["marseille-en-tasses"],
            _post_item(False),
            "feed/",
        ),
        "coffee-trail.xml": rss(
            "coffee-trail.xml", world.earned["coffee-trail"], _post_item(False), "feed/", "en"
        ),
        "social.xml": rss("social.xml", world.social, _social_item, "tags/cafe.rss"),
        "news.xml": rss("news.xml", world.news, _plain_item, "rss"),
        "partenariats.xml": rss("partenariats.xml", world.paid, _plain_item, "partenariats.rss"),
    }
    files: list[Path] = []
    counts: dict[str, int] = {}
    for filename, tree in trees.items():
        path = out_dir / filename
        _write(tree, path)
        files.append(path)
        counts[filename] = _count(tree)
    return DemoSummary(
        files=files,
        items_per_file=counts,
        total_items=sum(counts.values()),
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )


# -- the words ------------------------------------------------------------------------------

SOCIAL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "praise": (
        "Mon {product} du matin, toujours aussi bon. Merci {at} ☕",
        "{product} en {method} ce matin : {note}, rien à redire. {ref}",
        "Passé à la boutique de {brand} au Panier : accueil adorable et {product} au top.",
        "Nouvelle box Découverte de {brand} reçue, {origin} cette fois, avec {note}. Bravo !",
        "Le {product} de {brand} a converti mon père qui ne jurait que par le café en dosettes.",
        "Dimanche, croissants et {product}. La vie est simple. #café {ref}",
        "Je ne rachète plus que chez {at} depuis un an, la régularité de la torréfaction est "
        "bluffante.",
        "Leur {origin} en {method}, chez {brand} : {note}, une merveille. #cafédespécialité",
        "Offert une box Découverte {brand} à ma sœur, elle en redemande déjà 😄",
    ),
    "question": (
        "{at} est-ce que vous livrez en Belgique ?",
        "Question pour {at} : la box Découverte existe en moulu pour cafetière italienne ?",
        "{at} vous avez une version décaféinée du {product} ?",
        "Quelqu'un sait si {brand} propose un abonnement mensuel ?",
        "{at} la boutique est ouverte le dimanche matin ?",
        "{at} quelle mouture conseillez-vous pour le {product} en {method} ?",
        "{at} vos sachets sont-ils recyclables ? Je ne trouve pas l'info sur le site.",
    ),
    "neutral": (
        "{brand} annonce un nouvel arrivage ({origin}), à tester.",
        "Vu des sachets de {product} chez mon caviste à {city}, je ne savais pas qu'ils y "
        "étaient distribués.",
        "Petit comparatif maison ce week-end : {brand} contre {competitor}, verdict bientôt.",
        "{brand} ferme sa boutique du Panier pour travaux la semaine prochaine, d'après leur site.",
        "Atelier dégustation chez {brand} samedi, quelqu'un y va ?",
    ),
    "complaint": (
        "Commande {brand} arrivée avec deux jours de retard, un peu déçu.",
        "Le {product} de ce mois-ci me paraît plus amer que d'habitude. {at} vous avez changé "
        "la torréfaction ?",
        "Le site de {brand} a planté au moment de payer, j'ai dû recommencer trois fois. 😤",
        "{at} 14 € le sachet de {product}, ça commence à piquer quand même.",
    ),
    "english": (
        "Tried the {product} from Brûlerie Azur while in Marseille: {note_en}. Worth the detour.",
        "Does {at} ship to the UK? Asking for a friend who loves their Calanque Espresso.",
        "Brûlerie Azur's box Découverte makes a great gift for coffee nerds.",
        "Blind tasting tonight: {competitor} vs Brûlerie Azur. #specialtycoffee",
        "Best flat white of my trip was made with Calanque Espresso. Merci Marseille!",
    ),
    "competitor": (
        "{competitor} ouvre un comptoir à {city}, quelqu'un a testé ?",
        "Le café {origin} de {competitor} est très réussi cette année, {note}.",
        "Livraison {competitor} reçue en 24 h, impressionnant.",
        "{competitor} augmente encore ses prix… je vais voir ailleurs.",
        "Le nouveau packaging de {competitor} est superbe. #café",
    ),
    "topic": (
        "Le café de spécialité, ce n'est pas qu'une affaire de prix : c'est de la traçabilité.",
        "Atelier dégustation café de spécialité samedi à {city}, qui vient ?",
        "Je découvre le café de spécialité et mon palais ne s'en remet pas. {note} dans une "
        "tasse !",
        "Pourquoi le café de spécialité coûte plus cher ? Un bon fil à lire sur les prix payés "
        "aux producteurs.",
        "Mon conseil café de spécialité du jour : pesez votre café, tout change. #café",
        "Salon du café de spécialité à {city} le mois prochain, je prends mon billet.",
    ),
    "crisis": (
        "Sachet d'Azur Moka tout gonflé, la valve ne fait pas son travail, café éventé. {at} "
        "c'est quoi ce lot ? 😡",
        "Deuxième sachet d'Azur Moka avec la valve cassée. Franchement déçu {at}",
        "Commande passée il y a {days} jours chez {brand}, toujours rien. Le suivi ne bouge plus.",
        "{at} mon colis est en retard et le sachet reçu la semaine dernière sent le rance. "
        "Ça ne vous ressemble pas.",
        "Je viens d'ouvrir mon Azur Moka : la valve est décollée, le café n'a plus aucun "
        "arôme. #déçu {at}",
        "Livraison {brand} : {days} jours de retard, pas un mail. Je commence à regretter.",
        "Ça fait trois fois que j'écris au SAV de {brand} sans réponse. Le lot 2604 a un "
        "souci, non ?",
    ),
    "crisis_question": (
        "{at} comment savoir si mon sachet fait partie du lot défectueux ?",
        "{at} est-ce que vous remplacez les sachets d'Azur Moka abîmés ?",
        "{at} ma commande du 2 mai est-elle concernée par les retards ?",
        "{at} on peut être remboursé plutôt que remplacé ?",
    ),
    "recovery": (
        "Sachet de remplacement reçu en 48 h, merci {at} pour la réactivité 👏",
        "Ça arrive à tout le monde, l'important c'est la réaction. Toujours fidèle à l'Azur "
        "Moka. {at}",
        "Colis {brand} enfin arrivé, avec un petit mot d'excuse et un échantillon de leur "
        "{origin}. Classe.",
        "Belle gestion du souci de valves par {brand} : info claire, remplacement rapide.",
        "Nouveau sachet d'Azur Moka, valve impeccable, arôme retrouvé. Merci {at}",
    ),
}

BRAND_SOCIAL_TEMPLATES: tuple[str, ...] = (
    "Nouvel arrivage : {origin}, avec {note}. Disponible en boutique et sur le site. "
    "#cafédespécialité",
    "Ce samedi, atelier découverte de la méthode {method} à la brûlerie. Places limitées ! #café",
    "La torréfaction du {product} de la semaine est prête. Bonne dégustation ☕",
    "Merci pour vos messages : on lit tout, on répond à tout (ou presque 😉).",
    "Petit rappel : la box Découverte se renouvelle chaque mois, {origin} en ce moment.",
    "Notre conseil du jour : conservez votre café à l'abri de l'air, de la lumière et de "
    "l'humidité.",
)

BRAND_SOCIAL_ANSWERS: tuple[str, ...] = (
    "{handle} Bonjour ! Oui, c'est possible : écrivez-nous à bonjour@brulerie-azur.example "
    "et on s'en occupe aujourd'hui.",
    "{handle} Merci pour votre message. Nous regardons votre commande et revenons vers vous "
    "en privé dans la journée.",
    "{handle} Bonne question ! La réponse est sur notre blog, rubrique « Bien choisir son "
    "café » ; sinon, passez nous voir à la boutique.",
    "{handle} Désolés pour ce désagrément. Un conseiller vous rappelle demain matin.",
    "{handle} Merci d'avoir pris le temps de nous écrire, on transmet à l'équipe de torréfaction.",
)

BRAND_CRISIS_REPLIES: tuple[str, ...] = (
    "{handle} Bonjour, toutes nos excuses : un lot de sachets (lot 2604) a une valve "
    "défectueuse. Écrivez-nous à sav@brulerie-azur.example avec votre numéro de commande, "
    "on vous renvoie un sachet.",
    "{handle} Désolés pour ce retard : notre transporteur a pris du retard cette semaine. "
    "Nous vous envoyons le suivi en message privé.",
    "{handle} Merci de nous l'avoir signalé. Le remplacement part sous 48 h, sans frais.",
)

CRISIS_STATEMENT = (
    "Sachets d'Azur Moka gonflés ou éventés : un lot de sachets (lot 2604) a une valve "
    "défectueuse. Nous remplaçons ou remboursons chaque sachet concerné, écrivez-nous à "
    "sav@brulerie-azur.example. Toutes nos excuses. Tout est expliqué sur notre blog."
)
CRISIS_UPDATE = (
    "Point d'étape : les sachets du lot 2604 sont remplacés au fil de vos messages et les "
    "retards de livraison se résorbent. Merci pour votre patience 🙏"
)

CONTEST_ANNOUNCE = (
    "🎄 Grand jeu de Noël ! Gagnez une box Découverte et un an de Calanque Espresso. Pour "
    "participer : suivez @brulerieazur, partagez ce message et identifiez deux ami·es. Tirage "
    "le 16 décembre. #concours #GrandJeuDeNoel"
)
CONTEST_REMINDER = (
    "Plus qu'une semaine pour participer au grand jeu de Noël de la Brûlerie Azur ! "
    "#concours #GrandJeuDeNoel"
)
CONTEST_RESULT = (
    "Le tirage du grand jeu de Noël a eu lieu : bravo {winner} ! Merci à toutes et tous pour "
    "votre participation. #concours"
)
CONTEST_ENTRIES: tuple[str, ...] = (
    "Je participe ! {tags} #concours #GrandJeuDeNoel {at}",
    "je participe 🤞 {tags} #concours {at}",
    "Je tente ma chance ! {tags} #concours #GrandJeuDeNoel {at}",
    "Participe ✨ {tags} #GrandJeuDeNoel #concours {at}",
    "Je joue !! {tags} #concours {at}",
    "Je participe avec plaisir, croisons les doigts 🎄 {tags} #concours {at}",
    "{at} je participe ! {tags} #concours #jeuconcours",
)
CONTEST_BLOG_ENTRIES: tuple[str, ...] = (
    "Je participe !",
    "Je participe, merci pour ce jeu !",
    "Je tente ma chance 🎄",
    "Je participe ! La box Découverte me fait rêver.",
    "Participation ! Joyeuses fêtes à l'équipe de la Brûlerie Azur.",
    "Je participe, et je partage avec mes amis.",
)

BLOG_COMMENT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "praise": (
        "Super billet, merci ! J'ai testé votre {origin} en {method} et j'ai retrouvé {note}.",
        "Toujours un plaisir de vous lire. Le {product} reste mon préféré.",
        "Merci pour ces conseils, ma {method} vous dit merci.",
        "Très intéressant, on sent la passion. Vivement le prochain arrivage !",
    ),
    "question": (
        "Est-ce que vous livrez en Belgique ?",
        "Quelle mouture pour une {method} avec ce café ?",
        "Vous faites des visites de la brûlerie pour les groupes ?",
        "Le {product} existe-t-il en format 1 kg ?",
        "Combien de temps se garde un sachet ouvert ?",
    ),
    "neutral": (
        "J'ai vu que {competitor} faisait aussi un {origin} cette année, curieux de comparer.",
        "Pour info, le lien vers la boutique en bas de page ne marche pas.",
        "Je partage avec mon club de dégustation.",
    ),
    "brand_answer": (
        "Bonjour ! Oui, bonne nouvelle : c'est possible, tout est indiqué sur la page "
        "livraison. Belle journée !",
        "Merci pour votre question : nous conseillons une mouture moyenne-fine, et 15 g pour "
        "250 ml.",
        "Bonne question ! Nous vous répondons en détail par e-mail dans la journée.",
        "Avec plaisir : écrivez-nous à bonjour@brulerie-azur.example et on organise ça.",
    ),
    "thanks": (
        "Merci pour la réponse rapide !",
        "Parfait, merci beaucoup.",
        "Top, je commande ce soir.",
    ),
    "chime_in": (
        "Même question de mon côté, merci pour la réponse.",
        "Je confirme, j'ai fait pareil et c'est parfait.",
    ),
    "crisis": (
        "Mon sachet d'Azur Moka était gonflé à la réception, c'est lié à ce lot ?",
        "Commande passée il y a {days} jours, toujours pas reçue. Que se passe-t-il ?",
        "Café éventé, valve décollée. Je suis client depuis longtemps, ça me déçoit.",
        "Comment je sais si mon sachet est du lot 2604 ? Le numéro est illisible.",
        "Je préférerais un remboursement, c'est possible ?",
        "J'ai écrit au SAV il y a trois jours, pas de réponse.",
    ),
    "crisis_answer": (
        "Bonjour, toutes nos excuses. Le numéro de lot est imprimé sous le sachet ; s'il "
        "commence par 2604, nous vous le remplaçons. Écrivez-nous à sav@brulerie-azur.example.",
        "Nous sommes désolés. Votre colis a été retardé chez le transporteur ; nous vous "
        "envoyons le suivi par e-mail.",
        "Bien sûr, remboursement ou remplacement, comme vous préférez. Nous vous écrivons.",
    ),
    "crisis_followup": (
        "Merci, c'est fait.",
        "D'accord, j'attends votre e-mail.",
        "Toujours rien reçu, je relance…",
    ),
    "support": (
        "Ça arrive, l'important c'est la transparence. Bravo pour ce billet.",
        "Merci de communiquer clairement. Je reste fidèle à l'Azur Moka.",
        "Bon courage à toute l'équipe, on vous suit depuis le début.",
    ),
    "recovery": (
        "Sachet de remplacement reçu, merci pour la réactivité !",
        "Colis enfin arrivé, avec un mot d'excuse. C'est apprécié.",
        "Nouveau sachet, valve impeccable. Merci.",
    ),
}

OWNED_POST_TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "Nouvel arrivage : {origin}",
        "Cette semaine, nous torréfions un {origin} arrivé la semaine dernière. En tasse, on "
        "trouve {note}.\n\nNous le conseillons en {method}, mouture moyenne, eau à 93 °C.",
    ),
    (
        "Bien régler sa cafetière italienne pour l'Azur Moka",
        "L'Azur Moka a été pensé pour la cafetière italienne. Trois réglages changent tout : "
        "l'eau déjà chaude, le feu doux, et le retrait dès le premier glouglou.\n\nEssayez et "
        "racontez-nous !",
    ),
    (
        "Dans les coulisses de la torréfaction",
        "Chaque matin, notre torréfacteur lance la première fournée à 6 h. Couleur, odeur, "
        "craquement : tout se joue en quelques secondes.\n\nCe billet raconte une journée à "
        "la brûlerie.",
    ),
    (
        "Le Calanque Espresso change de recette : pourquoi",
        "Le Calanque Espresso accueille un {origin} dans son assemblage. Plus de rondeur, "
        "{note}, la même crème.\n\nDites-nous ce que vous en pensez.",
    ),
    (
        "Trois façons de préparer la box Découverte",
        "La box Découverte réunit trois cafés. Nous proposons trois méthodes pour les goûter : "
        "{method}, piston et expresso.\n\nÀ vos tasses !",
    ),
    (
        "Café de spécialité : ce que dit l'étiquette",
        "Origine, altitude, variété, process, date de torréfaction : une étiquette de café de "
        "spécialité se lit comme celle d'un vin.\n\nPetit guide pour s'y retrouver.",
    ),
    (
        "Portes ouvertes à la brûlerie",
        "Samedi, la brûlerie ouvre ses portes : démonstration de torréfaction, dégustation de "
        "{origin} et atelier {method}.\n\nEntrée libre, de 10 h à 17 h.",
    ),
    (
        "Rencontre avec un producteur : {origin}",
        "Nous avons reçu à Marseille la productrice de notre {origin}. Elle nous a parlé de "
        "sa récolte, du séchage et de la pluie.\n\nUn échange précieux.",
    ),
    (
        "Conserver son café : nos conseils",
        "Un sachet ouvert se garde deux à trois semaines. Gardez-le fermé, au sec, loin de la "
        "lumière.\n\nEt surtout, pas au réfrigérateur !",
    ),
    (
        "L'eau, l'ingrédient oublié du café",
        "Un café, c'est 98 % d'eau. Une eau trop calcaire écrase {note}.\n\nNous avons testé "
        "quatre eaux avec notre {product}.",
    ),
    (
        "Nos horaires et la boutique du Panier",
        "La boutique du Panier est ouverte du mardi au samedi. Le dimanche, rendez-vous au "
        "marché.\n\nÀ bientôt !",
    ),
    (
        "Pourquoi nous payons nos cafés plus cher",
        "Nous achetons nos cafés bien au-dessus du cours de la bourse. Voici pourquoi, et ce "
        "que cela change pour les producteurs.",
    ),
    (
        "Atelier latte art : les inscriptions sont ouvertes",
        "Un samedi par mois, notre barista vous apprend les bases du latte art avec le "
        "{product}.\n\nSix places par atelier.",
    ),
    (
        "Le {product} en version décaféinée ?",
        "Vous êtes nombreux à nous le demander. Nous testons un décaféiné à l'eau, sans "
        "solvant.\n\nVerdict dans quelques semaines.",
    ),
)

CONTEST_POST = (
    "Pour fêter Noël, nous mettons en jeu une box Découverte et un an de Calanque Espresso.\n\n"
    "Pour participer, laissez un commentaire sous ce billet avant le 15 décembre à minuit. "
    "Tirage au sort le 16 décembre."
)
CONTEST_RESULT_POST = (
    "Le tirage a eu lieu ! Merci pour vos centaines de participations.\n\nLe gagnant a été "
    "prévenu par e-mail. À l'année prochaine pour un nouveau jeu."
)
CRISIS_POST = (
    "Depuis quelques jours, plusieurs d'entre vous ont reçu des sachets d'Azur Moka gonflés "
    "ou éventés. Nous avons identifié la cause : un lot de sachets (lot 2604) dont la valve "
    "est défectueuse.\n\nSi votre sachet en fait partie, écrivez-nous à "
    "sav@brulerie-azur.example : nous le remplaçons ou le remboursons, au choix. Nous "
    "subissons aussi des retards de livraison chez notre transporteur ; chaque commande "
    "concernée reçoit un e-mail.\n\nToutes nos excuses."
)
CRISIS_UPDATE_POST = (
    "Deux semaines après le problème des valves, voici où nous en sommes : 412 sachets "
    "remplacés, les retards de livraison résorbés, un nouveau fournisseur de valves.\n\nMerci "
    "pour votre patience et vos messages de soutien."
)

CARNET_COMMENTS: tuple[str, ...] = (
    "Merci pour ce compte rendu ! J'ai eu la même impression : {note}.",
    "Tu as essayé en {method} ? Je trouve que ça change tout.",
    "Je préfère nettement le {product} de Brûlerie Azur, mais chacun son palais.",
    "Très bon billet. Le café de spécialité mérite ce genre de dégustation détaillée.",
    "Tu compares avec Torréfaction Nordet un jour ?",
    "Quelle eau utilises-tu pour tes dégustations ?",
)
CARNET_AUTHOR_REPLIES: tuple[str, ...] = (
    "Pas encore, c'est noté pour le prochain billet !",
    "Une eau faiblement minéralisée, toujours la même pour comparer.",
    "Oui, et {note} ressort encore plus.",
    "Merci ! Le comparatif arrive bientôt.",
)

# (year, month), title, body, categories — for each independent blog.
EARNED_POST_TEMPLATES: dict[str, list[tuple[tuple[int, int], str, str, tuple[str, ...]]]] = {
    "carnet-de-cafe": [
        (
            (2025, 10),
            "Dégustation : l'Azur Moka de la Brûlerie Azur",
            "Un café pensé pour la cafetière italienne, ça se respecte. L'Azur Moka de la "
            "Brûlerie Azur donne {note}, avec un corps rond.\n\nNote : 16/20.",
            ("Dégustation",),
        ),
        (
            (2025, 11),
            "Torréfaction Nordet : leur {origin} en filtre",
            "Torréfaction Nordet propose cet automne un {origin} lumineux, {note}. Un très "
            "beau café filtre.",
            ("Dégustation",),
        ),
        (
            (2026, 1),
            "Café de spécialité : mes cinq méthodes douces préférées",
            "V60, Chemex, Aeropress, piston, Kalita : petit tour des méthodes douces pour "
            "goûter le café de spécialité.",
            ("Méthodes",),
        ),
        (
            (2026, 2),
            "Comparatif : Calanque Espresso contre l'espresso de Torréfaction Nordet",
            "Même machine, même mouture, même eau. Le Calanque Espresso de la Brûlerie Azur "
            "gagne en rondeur, Torréfaction Nordet en acidité.\n\nÉgalité, ou presque.",
            ("Comparatif",),
        ),
        (
            (2026, 3),
            "La box Découverte de la Brûlerie Azur, trois mois plus tard",
            "Trois mois d'abonnement à la box Découverte de la Brûlerie Azur : {origin}, "
            "puis deux assemblages. Une vraie régularité.",
            ("Abonnements",),
        ),
        (
            (2026, 4),
            "Pourquoi je pèse toujours mon café",
            "Une balance à 20 € a plus amélioré mon café de spécialité que n'importe quel "
            "moulin. Explications.",
            ("Méthodes",),
        ),
        (
            (2026, 5),
            "Valves défectueuses : ce que l'affaire Brûlerie Azur nous apprend",
            "Un lot de sachets à valve défectueuse, des cafés éventés, des clients fâchés. La "
            "Brûlerie Azur a réagi vite et clairement.\n\nLa valve unidirectionnelle, à quoi "
            "ça sert ? Petit rappel.",
            ("Actualité",),
        ),
        (
            (2026, 6),
            "Dégustation d'été : {origin}",
            "Un {origin} en infusion à froid : {note}, parfait pour les soirées d'été.",
            ("Dégustation",),
        ),
        (
            (2026, 9),
            "Rentrée : les nouveautés de Torréfaction Nordet et de la Brûlerie Azur",
            "Torréfaction Nordet lance un abonnement, la Brûlerie Azur un décaféiné à l'eau. "
            "La rentrée sera caféinée (ou pas).",
            ("Actualité",),
        ),
        (
            (2026, 10),
            "Un an de café de spécialité à Marseille",
            "Bilan d'une année de dégustations : des brûleries qui montent, un public curieux, "
            "des prix qui grimpent.",
            ("Bilan",),
        ),
    ],
    "lesgourmandises": [
        (
            (2025, 10),
            "Tiramisu au Calanque Espresso",
            "Pour ce tiramisu, j'ai utilisé le Calanque Espresso de la Brûlerie Azur : {note}, "
            "parfait avec le mascarpone.",
            ("Desserts",),
        ),
        (
            (2025, 12),
            "Idées cadeaux gourmands pour Noël",
            "Chocolats, huile d'olive, et une box Découverte de la Brûlerie Azur pour les "
            "amateurs de café. Ils font aussi un grand jeu de Noël en ce moment !",
            ("Cadeaux",),
        ),
        (
            (2026, 2),
            "Crêpes et café de spécialité : l'accord parfait",
            "Pour la Chandeleur, un café de spécialité en {method} avec des crêpes au beurre salé.",
            ("Recettes",),
        ),
        (
            (2026, 4),
            "Brunch à Marseille : mes adresses",
            "Cinq adresses de brunch, dont une qui sert l'Azur Moka de la Brûlerie Azur en "
            "cafetière italienne.",
            ("Adresses",),
        ),
        (
            (2026, 7),
            "Café glacé maison, trois recettes",
            "Café frappé, cold brew et affogato : trois façons de boire son café en été.",
            ("Recettes",),
        ),
        (
            (2026, 10),
            "Cookies au café et noisette",
            "Une pincée de café moulu de Torréfaction Nordet dans la pâte, et les cookies "
            "changent de dimension.",
            ("Desserts",),
        ),
    ],
    "marseille-en-tasses": [
        (
            (2025, 10),
            "La Brûlerie Azur ouvre une boutique au Panier",
            "Après le marché, la Brûlerie Azur s'installe au Panier : comptoir, torréfacteur "
            "visible depuis la rue, et l'Azur Moka à emporter.",
            ("Adresses",),
        ),
        (
            (2025, 11),
            "Le guide des brûleries marseillaises",
            "Brûlerie Azur, Torréfaction Nordet et trois petits nouveaux : notre carte des "
            "brûleries de la ville.",
            ("Guide",),
        ),
        (
            (2026, 1),
            "Café de spécialité : Marseille rattrape Paris",
            "Le nombre de comptoirs de café de spécialité a doublé en deux ans à Marseille.",
            ("Enquête",),
        ),
        (
            (2026, 3),
            "Torréfaction Nordet lève des fonds",
            "Torréfaction Nordet annonce une levée de fonds pour ouvrir trois comptoirs dans le "
            "Sud.",
            ("Économie",),
        ),
        (
            (2026, 5),
            "Sachets défectueux : la Brûlerie Azur s'excuse",
            "Un lot de sachets d'Azur Moka à valve défectueuse et des retards de livraison : la "
            "Brûlerie Azur publie des excuses et propose remplacement ou remboursement.",
            ("Actualité",),
        ),
        (
            (2026, 6),
            "Un mois après, la Brûlerie Azur a tenu parole",
            "Remplacements envoyés, retards résorbés : nos lecteurs confirment.",
            ("Actualité",),
        ),
        (
            (2026, 9),
            "Les terrasses où boire un bon café cet automne",
            "Notre sélection de terrasses, du Vieux-Port à l'Estaque, avec le Calanque "
            "Espresso de la Brûlerie Azur à la carte de deux d'entre elles.\n\nAttention : un "
            "lecteur nous a signalé un faux site de réservation, " + HOSTILE_JS_URL + " , à "
            "ne pas ouvrir.",
            ("Adresses",),
        ),
    ],
    "coffee-trail": [
        (
            (2025, 11),
            "Marseille: two roasters worth the trip",
            "Brûlerie Azur in the Panier district and Torréfaction Nordet near the Vieux-Port. "
            "Try the Calanque Espresso.",
            ("France",),
        ),
        (
            (2026, 3),
            "What makes specialty coffee special?",
            "Traceability, freshness and fair prices: a short primer on specialty coffee.",
            ("Guides",),
        ),
        (
            (2026, 5),
            "When packaging fails: a French roaster's defective valves",
            "Brûlerie Azur had a batch of bags with faulty one-way valves. Their response was "
            "quick and honest.",
            ("News",),
        ),
        (
            (2026, 8),
            "Cold brew in Provence",
            "Hot summer, cold coffee: Azur Moka makes a surprisingly good cold brew.",
            ("France",),
        ),
    ],
}

NEWS_ARTICLES: tuple[tuple[tuple[int, int, int], str, str], ...] = (
    (
        (2025, 10, 14),
        "Au Panier, la Brûlerie Azur torréfie sous les yeux des passants",
        "La jeune brûlerie marseillaise ouvre sa première boutique. Ses fondateurs misent sur "
        "le café de spécialité et la vente en ligne.",
    ),
    (
        (2025, 12, 4),
        "Noël : les commerçants marseillais misent sur les jeux-concours",
        "De la librairie à la Brûlerie Azur, les jeux de Noël se multiplient sur les réseaux "
        "sociaux. Mais les participants restent-ils ensuite ?",
    ),
    (
        (2026, 3, 18),
        "Torréfaction Nordet lève deux millions d'euros",
        "Le torréfacteur veut ouvrir trois comptoirs dans le Sud d'ici à l'an prochain.",
    ),
    (
        (2026, 5, 11),
        "Sachets défectueux : une brûlerie marseillaise présente ses excuses",
        "La Brûlerie Azur reconnaît un lot de sachets d'Azur Moka à valve défectueuse et des "
        "retards de livraison. Elle propose remplacement ou remboursement.",
    ),
    (
        (2026, 6, 9),
        "Après la crise des valves, la Brûlerie Azur retrouve ses clients",
        "Un mois après, les commandes sont revenues à leur niveau habituel, selon la brûlerie.",
    ),
    (
        (2026, 9, 22),
        "Le café de spécialité a son salon à Marseille",
        "Une trentaine de torréfacteurs sont attendus au premier salon du café de spécialité "
        "de la ville.",
    ),
    (
        (2026, 10, 6),
        "Café : les prix grimpent, les brûleries s'adaptent",
        "Brûlerie Azur et Torréfaction Nordet expliquent comment elles absorbent la hausse du "
        "prix du grain.",
    ),
)

PAID_POSTS: tuple[tuple[tuple[int, int], str], ...] = (
    (
        (2025, 10),
        "Mon nouveau rituel du matin : l'Azur Moka de {at} en cafetière italienne. "
        "#sponsorisé #café",
    ),
    (
        (2025, 11),
        "Partenariat rémunéré avec la Brûlerie Azur. J'ai testé le Calanque Espresso pendant un "
        "mois : {note}, une vraie découverte.",
    ),
    (
        (2025, 12),
        "Collaboration commerciale : la box Découverte de la Brûlerie Azur sous le sapin. Et "
        "participez à leur grand jeu de Noël ! #sponsorisé",
    ),
    (
        (2026, 1),
        "Cafés of Marseille with Brûlerie Azur. Paid partnership. {note_en} in every cup. #ad",
    ),
    (
        (2026, 2),
        "Saint-Valentin gourmande avec {at} : deux tasses de Calanque Espresso et des "
        "chocolats. #sponsorisé",
    ),
    (
        (2026, 3),
        "Partenariat rémunéré : visite de la brûlerie et atelier {method} avec la Brûlerie Azur.",
    ),
    (
        (2026, 4),
        "Collaboration commerciale avec la Brûlerie Azur : trois recettes de desserts au café. "
        "#sponsorisé",
    ),
    (
        (2026, 6),
        "Mon café glacé de l'été, avec l'Azur Moka de {at}. #sponsorisé #partenariat",
    ),
    (
        (2026, 7),
        "Partenariat rémunéré : road trip en Provence avec la box Découverte de la Brûlerie Azur.",
    ),
    (
        (2026, 9),
        "Rentrée : le nouveau décaféiné à l'eau de la Brûlerie Azur. Collaboration commerciale. "
        "#sponsorisé",
    ),
    (
        (2026, 10),
        "Un an de partenariat avec la Brûlerie Azur : mon top 3 de leurs cafés de spécialité. "
        "#sponsorisé",
    ),
)
