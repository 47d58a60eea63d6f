"""``tandau worker``: a procrastinate worker that runs Tandau's jobs from PostgreSQL until SIGTERM.

The procrastinate task ``tandau.run_job(job_id)`` only calls :func:`tandau.services.jobs.runner.run_job`; the
``jobs`` row is the record and holds the attempts and back-off (procrastinate's own retry is off, so there is one
retry policy for both transports). On SIGTERM or SIGINT the worker stops fetching, each running job gives its job
back to the queue at its next step (:data:`~tandau.services.jobs.runner.STOPPING`), and the process exits once
they have. A worker that is killed (SIGKILL, a lost host) stops sending procrastinate's heartbeat; every live
worker looks for such stalled jobs every few seconds and retries them (procrastinate's
``get_stalled_jobs``/``retry_job``), and the retried run claims the job with ``resume=True`` and continues after
its last committed step.

Every hour (at minute 17) one of the workers runs ``tandau.purge_internal``, a procrastinate periodic task: the
finished jobs of the internal kinds (a sign-in code's ``otp.deliver``) older than a day go, with procrastinate's
finished rows of Tandau's queue (:mod:`tandau.services.jobs.retention`); procrastinate defers it once per hour
whatever the number of workers.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from typing import Any

from sqlalchemy.engine import Engine

log = logging.getLogger("tandau.jobs")
HEARTBEAT_S = 10.0
STALLED_AFTER_S = 30.0
PURGE_TASK = "tandau.purge_internal"
PURGE_CRON = "17 * * * *"  # hourly, off the hour


def make_app(engine: Engine) -> Any:
    """A procrastinate app on ``engine``'s database with the one task ``tandau.run_job``."""
    import procrastinate

    from tandau.services.jobs.transport import QUEUE, TASK_NAME, conninfo

    address, kwargs = conninfo(engine)
    connector = procrastinate.PsycopgConnector(conninfo=address, kwargs=kwargs, min_size=1, max_size=4)
    app = procrastinate.App(connector=connector)

    @app.task(name=TASK_NAME, queue=QUEUE, pass_context=True)
    def run(context: Any, job_id: str) -> None:
        from tandau.services.jobs.runner import run_job

        # a procrastinate job retried after its worker stalled may find the row still "running"
        resumed = bool(context.job.attempts)
        run_job(engine, job_id, resume=resumed, requeue=_requeue(engine))

    @app.periodic(cron=PURGE_CRON, periodic_id="internal-kinds")
    @app.task(name=PURGE_TASK, queue=QUEUE, pass_context=True)
    async def purge(context: Any, timestamp: int) -> None:
        from tandau.services.jobs.retention import INTERNAL_DAYS, delete_queue_rows, purge_internal

        done = await asyncio.to_thread(purge_internal, engine)
        await delete_queue_rows(context.app, INTERNAL_DAYS)
        log.info("purged %d finished internal jobs older than %g days", done.total, done.older_than_days)

    return app


def _requeue(engine: Engine) -> Any:
    """A new procrastinate job for a job that goes back to the queue, deferred on the re-queueing transaction's
    own connection by the process's unopened deferring app (the worker's app is opened asynchronously, and an
    async connector cannot take a caller's synchronous connection)."""
    from tandau.services.jobs.transport import transports

    return transports(engine)[0].enqueue


async def _recover_stalled(app: Any, stalled_after: float) -> None:
    """Every few seconds: retry the jobs of workers whose heartbeat stopped (killed mid-job)."""
    while True:
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
                log.warning("retrying job %s of a stalled worker", job.id)
                await app.job_manager.retry_job(job)
        except Exception as exc:  # the database blinked: try again at the next round
            log.warning("stalled-job recovery failed: %s", type(exc).__name__)
        await asyncio.sleep(max(0.5, stalled_after / 3))


async def run_worker(engine: Engine, *, concurrency: int = 1, heartbeat: float = HEARTBEAT_S,
                     stalled_after: float = STALLED_AFTER_S, name: str | None = None,
                     poll: float = 2.0, stop_when: threading.Event | None = None) -> None:
    """Run jobs until SIGTERM/SIGINT (or ``stop_when`` is set: a worker in a thread, where signals cannot be
    handled); then release the running jobs at their next step and return. A new job wakes the worker at once
    (LISTEN/NOTIFY); ``poll`` seconds is how late a retry scheduled for later may start."""
    from tandau.services.jobs.runner import STOPPING
    from tandau.services.jobs.transport import QUEUE, ensure_schema, fail_orphaned_local

    ensure_schema(engine)
    await asyncio.to_thread(fail_orphaned_local, engine)
    app = make_app(engine)
    loop = asyncio.get_running_loop()
    async with app.open_async():
        worker = asyncio.create_task(app.run_worker_async(
            queues=[QUEUE], concurrency=concurrency, name=name, install_signal_handlers=False,
            update_heartbeat_interval=heartbeat, stalled_worker_timeout=stalled_after, delete_jobs="successful",
            listen_notify=True, fetch_job_polling_interval=poll))
        recovery = asyncio.create_task(_recover_stalled(app, stalled_after))

        def stop() -> None:
            log.info("stopping: running jobs go back to the queue at their next step")
            STOPPING.set()
            worker.cancel()

        signals = stop_when is None
        if signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop)
        watcher = asyncio.create_task(_watch(stop_when, stop)) if stop_when is not None else None
        try:
            await worker
        except asyncio.CancelledError:
            pass
        finally:
            recovery.cancel()
            if watcher is not None:
                watcher.cancel()
            if signals:
                for sig in (signal.SIGTERM, signal.SIGINT):
                    loop.remove_signal_handler(sig)
            STOPPING.clear()


async def _watch(event: threading.Event, stop: Any) -> None:
    while not event.is_set():
        await asyncio.sleep(0.05)
    stop()
