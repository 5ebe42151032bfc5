"""All configuration comes from VEILLE_* environment variables; see docs/configuration.md.

The embedded default is a SQLite database (WAL mode) inside VEILLE_DATA_DIR, where the
generated secret key and the uploads live too.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "veille"


DATA_DIR = Path(os.environ.get("VEILLE_DATA_DIR") or default_data_dir()).expanduser().resolve()


def _secret_key() -> str:
    """VEILLE_SECRET_KEY, or a key generated on first run and kept in the data directory."""
    if key := os.environ.get("VEILLE_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


SECRET_KEY = _secret_key()
# Earlier keys, during a rotation: sessions and sealed platform secrets still open.
SECRET_KEY_FALLBACKS = _list("VEILLE_SECRET_KEY_FALLBACKS", "")
DEBUG = _flag("VEILLE_DEBUG")
ALLOWED_HOSTS = _list("VEILLE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = _list("VEILLE_CSRF_TRUSTED_ORIGINS", "")

# The SSRF guard refuses private, loopback and link-local addresses unless this is set
# (the demo and the tests serve feeds from 127.0.0.1).
VEILLE_ALLOW_PRIVATE_URLS = _flag("VEILLE_ALLOW_PRIVATE_URLS")
# A search reads at most this many of the newest candidates its prefilter lets through.
VEILLE_SEARCH_MAX_CANDIDATES = int(os.environ.get("VEILLE_SEARCH_MAX_CANDIDATES", "5000"))
# Narrower: only these hosts ("127.0.0.1", "localhost:8080") may be private addresses;
# a redirect anywhere else private is still refused.
VEILLE_ALLOWED_PRIVATE_HOSTS = _list("VEILLE_ALLOWED_PRIVATE_HOSTS", "")
VEILLE_MAX_FEED_BYTES = int(os.environ.get("VEILLE_MAX_FEED_BYTES", str(10 * 1024 * 1024)))
VEILLE_HTTP_TIMEOUT = float(os.environ.get("VEILLE_HTTP_TIMEOUT", "20"))
VEILLE_CONTACT_URL = os.environ.get("VEILLE_CONTACT_URL", "https://github.com/veille/veille")
# Where people reach this veille; links in e-mails (alerts) are built on it when set.
VEILLE_PUBLIC_URL = os.environ.get("VEILLE_PUBLIC_URL", "")
# Scale-out: a Redis URL (redis://host:6379/0) makes `veille run` send due sources to
# `veille worker` processes (Celery) instead of collecting them itself.
VEILLE_BROKER_URL = os.environ.get("VEILLE_BROKER_URL", "")
# Mentions a watch matched get the slower, better sentiment model (see docs/accuracy.md).
VEILLE_ACCURATE_SENTIMENT = _flag("VEILLE_ACCURATE_SENTIMENT", default=True)
# Politeness towards the sites and platforms veille reads.
VEILLE_HOST_MIN_INTERVAL = float(os.environ.get("VEILLE_HOST_MIN_INTERVAL", "1.0"))
VEILLE_HOST_MAX_CONCURRENCY = int(os.environ.get("VEILLE_HOST_MAX_CONCURRENCY", "2"))
VEILLE_HTTP_RETRIES = int(os.environ.get("VEILLE_HTTP_RETRIES", "3"))
VEILLE_HTTP_BACKOFF = float(os.environ.get("VEILLE_HTTP_BACKOFF", "1.0"))
VEILLE_HTTP_MAX_RETRY_WAIT = float(os.environ.get("VEILLE_HTTP_MAX_RETRY_WAIT", "60"))
VEILLE_ROBOTS_TTL = int(os.environ.get("VEILLE_ROBOTS_TTL", "86400"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "veille.core",
    "veille.search",
    "veille.web",
    "veille.insights",
    "veille.inbox",
    "veille.api",
    "veille.alerts",
    "veille.publish",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "veille.web.middleware.WorkspaceMiddleware",
]

ROOT_URLCONF = "veille.urls"
WSGI_APPLICATION = "veille.wsgi.application"
ASGI_APPLICATION = "veille.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "veille.web.context.workspaces",
            ],
        },
    }
]


def _databases() -> dict:
    url = os.environ.get("VEILLE_DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        return {"default": config}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "veille.sqlite3",
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "mentions"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("VEILLE_TIME_ZONE", "Europe/Paris")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns on every request when this folder is missing, even though it serves
# from the package (WHITENOISE_USE_FINDERS) and never reads it.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served straight from the package, no collectstatic step needed.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _flag("VEILLE_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Outgoing mail (scheduled reports, alerts). Without a host, mail is written to the log.
EMAIL_HOST = os.environ.get("VEILLE_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("VEILLE_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("VEILLE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("VEILLE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _flag("VEILLE_SMTP_STARTTLS")
EMAIL_USE_SSL = _flag("VEILLE_SMTP_SSL")
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("VEILLE_FROM_EMAIL", "veille@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VEILLE_LOG_LEVEL", "WARNING")},
}
