"""create_app(settings) -> Litestar: plugins, middleware, routers, error handlers."""

from __future__ import annotations

import gc
import importlib.util
import logging

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.logging.config import LoggingConfig
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from portal.db import make_engine
from portal.db.reads import ReadRunner
from portal.db.wal import LogScrubber
from portal.services.accounts.jobs import Housekeeping
from portal.settings import Settings
from portal.web import core, errors
from portal.web.middleware import auth_middleware, security_headers_middleware
from portal.web.templating import LocalisedTemplateEngine


def route_handlers() -> list:
    """Every controller, by URL prefix (docs/dev/conventions.md has the table prefix -> module -> service)."""
    from portal.web import (
        account, activation, admin, akpk, application, assessments, auth, help, home, impact, master, my_data, questionnaires,
        reminders, reports, surveys, team, trainings,
    )
    from portal.web import dashboard, training_report

    return [
        home.HomeController,  # /
        home.HealthController,  # /healthz
        auth.LoginController,  # /login
        auth.LogoutController,  # /logout
        *account.CONTROLLERS,  # /akun
        *activation.CONTROLLERS,  # /aktivasi, /lupa-sandi
        *assessments.CONTROLLERS,  # /penilaian
        *team.CONTROLLERS,  # /tim
        *akpk.CONTROLLERS,  # /akpk
        *surveys.CONTROLLERS,  # /survei
        *questionnaires.CONTROLLERS,  # /kuesioner
        *trainings.CONTROLLERS,  # /pelatihan
        *application.CONTROLLERS,  # /penerapan
        *impact.CONTROLLERS,  # /dampak
        *dashboard.CONTROLLERS,  # /laporan (the dashboard)
        *training_report.CONTROLLERS,  # /laporan/pelatihan/{id}
        *reports.CONTROLLERS,  # /laporan/...
        *reminders.CONTROLLERS,  # /laporan/pengingat
        *master.CONTROLLERS,  # /data-master
        *my_data.CONTROLLERS,  # /data-saya
        *admin.CONTROLLERS,  # /admin
        *help.CONTROLLERS,  # /bantuan
    ]


def _freeze_gc() -> None:
    """Move everything loaded at start-up (modules, templates, compiled statements) out of the
    garbage collector's reach: fewer and shorter GC pauses under load (measured: worst autosave
    latency 142 -> 52 ms)."""
    gc.collect()
    gc.freeze()


# Downloads are left as they are: XLSX is a zip already, and the long CSV exports stream row by row
# (the pattern "/jawaban/" also leaves out the small answers of the autosave, which gain nothing).
# The health check's few bytes are below the compression threshold anyway; excluded, a probe skips the
# middleware's wrapping altogether.
UNCOMPRESSED = [r"/ekspor", r"/jawaban/", r"/unduh/", r"/templat/", "^" + core.HEALTH_PATH + "$"]


def compression() -> CompressionConfig:
    """Pages and static files compressed on the wire (a first visit of a form page stays under 40 KB,
    bench/bench_page_weight.py): brotli when the package is installed (a dependency), gzip for clients
    without it and as the fallback."""
    backend = "brotli" if importlib.util.find_spec("brotli") else "gzip"
    return CompressionConfig(backend=backend, brotli_gzip_fallback=True, gzip_compress_level=6, exclude=UNCOMPRESSED)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("portal").setLevel(logging.INFO)  # also where the root logger was set up before us
    engine = make_engine(settings)
    reads = ReadRunner(engine)
    wal = LogScrubber(engine)  # SQLite: the -wal file truncated soon after anonymous submits
    housekeeping = Housekeeping(engine, settings)  # purges expired sessions and login failures (docs/operations.md)
    templates = LocalisedTemplateEngine(settings.timezone, settings.locale)
    static = create_static_files_router(
        path=core.STATIC_PATH,
        directories=[core.STATIC_DIR],
        name="static",
        opt={"public": True},
        cache_control=CacheControlHeader(max_age=31536000, public=True, immutable=True),
    )
    app = Litestar(
        route_handlers=[*route_handlers(), static],
        dependencies={
            "db": Provide(core.provide_db),
            "settings": Provide(core.provide_settings, sync_to_thread=False),
            "user": Provide(core.provide_user, sync_to_thread=False),
        },
        # sessions, then the CSRF check bound to them (portal.web.core; not Litestar's double-submit
        # cookie, which is not tied to the session)
        middleware=[auth_middleware],
        compression_config=compression(),
        template_config=TemplateConfig(engine=templates),
        plugins=[HTMXPlugin()],
        exception_handlers={
            NotAuthorizedException: errors.not_authorized_handler,
            PermissionDeniedException: errors.permission_denied_handler,
            NotFoundException: errors.not_found_handler,
            HTTPException: errors.http_exception_handler,
            **dict.fromkeys(errors.DATABASE_EXCEPTIONS, errors.database_unavailable_handler),  # 503 while the database is down
            Exception: errors.internal_error_handler,
        },
        state=State({"engine": engine, "settings": settings, "reads": reads, "housekeeping": housekeeping, "wal": wal}),
        on_startup=[reads.open, wal.start, housekeeping.start, _freeze_gc],
        on_shutdown=[housekeeping.stop, wal.stop, reads.close, lambda: engine.dispose()],
        debug=False,
        # the portal's loggers write through the root logger's plain stream handler set up above, on
        # the request's own thread; Litestar's default would put a queue and a listener thread under
        # every line, a GIL hand-off per request (measured: /healthz 0.48 -> 0.33 ms CPU per request
        # with the access log on; docs/dev/performance.md)
        logging_config=LoggingConfig(configure_root_logger=False, log_exceptions="never"),
        openapi_config=None,
    )
    # Security headers and the access log wrap the whole ASGI handler, so that responses produced
    # before routing (404 for unknown paths, 405) carry them and are logged too.
    app.asgi_handler = security_headers_middleware(app.asgi_handler, settings)
    return app
