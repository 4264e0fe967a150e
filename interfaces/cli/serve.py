"""``kampung serve``: the web app, the API and the event feed under gunicorn."""

import click

from application.config import describe_store, store_env


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", type=click.IntRange(1, 64),
              help="Worker processes (default 1 on SQLite, one writer at a time anyway; 2 on PostgreSQL).")
@click.option("--threads", type=click.IntRange(1, 256),
              help="Threads per worker: requests (and open event streams) served at once by each "
                   "(default 16 on SQLite, 8 on PostgreSQL).")
@click.option("--heartbeat", type=click.FloatRange(0.1, 3600), metavar="SECONDS",
              help="Keep-alive comment interval of event streams (default $KAMPUNG_FEED_HEARTBEAT or 15).")
def serve(host: str, port: int, workers: int | None, threads: int | None, heartbeat: float | None) -> None:
    """Serve the web app, the API and the event feed under gunicorn (threaded workers)."""
    from interfaces.cli.server import KampungServer, port_in_use, sizing

    if port_in_use(host, port):
        raise click.ClickException(f"port {port} on {host} is in use (another server?): stop it, or choose "
                                   "another port with --port (make run PORT=…)")
    workers, threads = sizing(store_env(), workers, threads)

    app_config: dict[str, object] = {"KAMPUNG_FOLLOW_LOG": True}
    if heartbeat is not None:
        app_config["KAMPUNG_FEED_HEARTBEAT"] = heartbeat
    click.echo(f"Serving Kampung Bahagia on http://{host}:{port}/ ({describe_store(store_env())}; "
               f"{workers} workers × {threads} threads)")
    KampungServer({"bind": f"{host}:{port}", "workers": workers, "threads": threads}, app_config).run()
