"""The baseline of bench/bench_throughput.py: a bare Litestar app with one plain-text route, nothing else
(no middleware, no database, no templates). Served by the same server with the same settings as the portal,
it measures what the server and the framework alone cost on this machine in the same run."""

from litestar import Litestar, MediaType, get


@get("/", media_type=MediaType.TEXT, sync_to_thread=False)
def hello() -> str:
    return "Hello, world!"


app = Litestar(route_handlers=[hello], openapi_config=None)
