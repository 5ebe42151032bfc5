"""The pipeline as Celery tasks: collection spread over workers, one source per task.

With VEILLE_BROKER_URL set (a Redis URL), `veille run` schedules and `veille worker`
processes on one or many machines collect: each task runs the same in-process pipeline
(collect -> enrich -> match -> store, see veille.pipeline.run) for one source and answers
a small report. The database (PostgreSQL, shared) is where the work lands; the broker only
carries source ids and reports.

Tasks are acknowledged once done (`acks_late`), so a worker that dies mid-batch leaves
the source to another worker; storing is idempotent, so a batch collected twice is stored
once. One task at a time per worker process (`prefetch_multiplier=1`): a source can take
minutes and must not wait behind another in a worker's queue.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import close_old_connections

COLLECT_TASK = "veille.collect_source"

celery_app = Celery("veille", set_as_current=False)
celery_app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    result_expires=24 * 3600,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


class BrokerError(Exception):
    """The broker is not configured or cannot be reached; the message says which."""


def configured_app(broker_url: str | None = None) -> Celery:
    """The Celery app pointed at `broker_url` (default: VEILLE_BROKER_URL), reachable."""
    url = broker_url if broker_url is not None else settings.VEILLE_BROKER_URL
    if not url:
        raise BrokerError("VEILLE_BROKER_URL is not set: collection runs in this process")
    celery_app.conf.broker_url = url
    celery_app.conf.result_backend = url
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=5)
    except Exception as error:  # kombu raises the transport's own errors
        raise BrokerError(f"cannot reach the broker at {_safe(url)}: {error}") from None
    return celery_app


def _safe(url: str) -> str:
    """The broker URL without its password, to print."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"


@celery_app.task(name=COLLECT_TASK)
def collect_source(source_id: int) -> dict[str, Any]:
    """Collect one source through the whole pipeline; its report as plain data."""
    from veille.core.models import Source
    from veille.pipeline.run import run_source

    source = Source.objects.select_related("workspace").filter(pk=source_id).first()
    if source is None:
        return {"source": source_id, "error": f"source {source_id} no longer exists"}
    if not source.active:
        return {"source": source_id, "error": "", "skipped": True}
    report = run_source(source)
    return {
        "source": source_id,
        "fetched": report.fetched,
        "created": report.created,
        "already_stored": report.already_stored,
        "not_modified": report.not_modified,
        "error": report.error,
        "warnings": list(report.warnings),
    }


@task_prerun.connect
@task_postrun.connect
def _fresh_connections(**_: Any) -> None:
    # A worker lives for days: a connection the database dropped meanwhile is replaced.
    close_old_connections()
