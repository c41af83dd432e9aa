"""The `atelier` command: serve, migrate, export the schema or assets, manage organisations and tokens."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import sqlalchemy as sa
import typer
from rich.console import Console

from domain.files.services import ExportReport, ExportScope
from domain.kernel.access import Role
from domain.kernel.errors import DomainError
from domain.studio.services import CleanupReport
from graph.context import Services
from graph.relay.ids import parse_global_id
from graph.server.app import create_app
from graph.server.bootstrap import Adapters, bootstrap, worker_name
from graph.server.logging_setup import log_config
from graph.server.runtime import tune_gc
from graph.server.settings import Settings
from storage.demo.organisation import DEMO_ADMIN_EMAIL, DEMO_SLUG, ensure_demo
from storage.files.export_folder import LocalExportFolder
from storage.sql import tables
from storage.sql.migrate import migrate

app = typer.Typer(
    help="Atelier: a GraphQL backend for the images made in AI image studios.", no_args_is_help=True
)
token_app = typer.Typer(help="Create and revoke API tokens.", no_args_is_help=True)
org_app = typer.Typer(help="Manage organisations.", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(org_app, name="org")
err = Console(stderr=True)
T = TypeVar("T")

FIRST_START_IN_PRODUCTION = """The database has no organisation yet. Create the first one and its admin token:

    atelier org create acme --name "Acme"
    atelier token create --org acme --role admin --member you@acme.example

(with the same ATELIER_* settings as this server); the token is printed once."""

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Data folder (default: $ATELIER_DATA_DIR or ./var).")
]


def _settings(data_dir: Path | None = None) -> Settings:
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


def _run(settings: Settings, work: Callable[[Services, Adapters], Awaitable[T]]) -> T:
    """Run `work` with the services over a migrated database; a domain error is a message and exit code 1."""

    async def main() -> T:
        adapters = Adapters.build(settings)
        try:
            await migrate(adapters.engine)
            return await work(bootstrap(adapters), adapters)
        finally:
            await adapters.engine.dispose()

    try:
        return asyncio.run(main())
    except DomainError as e:
        err.print(f"[red]error[/red] ({e.code.value}): {e.message}")
        raise typer.Exit(1) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Seed the demo organisation (slug `demo`) if missing.")
    ] = False,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Migrate, seed the demo on request or on a first start, print an admin token, and serve."""
    import uvicorn

    settings = _settings(data_dir)
    if demo and settings.production:
        err.print(
            "[red]error[/red] (INVALID_INPUT): the demo is for development; in production create an "
            "organisation with `atelier org create SLUG` and a token with `atelier token create`."
        )
        raise typer.Exit(1)

    async def prepare(services: Services, adapters: Adapters) -> str | None:
        async with adapters.engine.connect() as conn:
            empty = (
                await conn.execute(sa.select(sa.func.count()).select_from(tables.organisations))
            ).scalar_one() == 0
        if settings.production:
            # production never seeds data nor prints a credential of its own accord
            if empty:
                err.print(FIRST_START_IN_PRODUCTION)
            return None
        if not (demo or empty):
            return None
        if await ensure_demo(adapters.engine, adapters.blobs):
            err.print("Seeded the demo organisation [bold]demo[/bold] with sessions, generations and assets.")
        issued = await services.organisations.issue_token(
            org_slug=DEMO_SLUG,
            role=Role.ADMIN,
            member_email=DEMO_ADMIN_EMAIL,
            name="serve --demo",
        )
        return issued.secret

    token = _run(settings, prepare)
    where = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/graphql"
    typer.echo(f"GraphiQL:    {where}" if not settings.production else f"GraphQL:     {where}")
    if token:
        typer.echo(f"Admin token: {token}")
        typer.echo(f'Headers:     {{"Authorization": "Bearer {token}"}}')
    if workers > 1:
        # each worker builds its app from the environment: hand the resolved settings on
        os.environ["ATELIER_DATA_DIR"] = str(settings.data_dir.resolve())
        os.environ["ATELIER_DATABASE_URL"] = settings.resolved_database_url()
        uvicorn.run(
            "graph.server.asgi:app",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            log_config=log_config(),
        )
    else:
        app = create_app(settings)
        tune_gc()
        uvicorn.run(app, host=host, port=port, log_level="info", log_config=log_config())


@app.command("migrate")
def migrate_command(data_dir: DataDir = None) -> None:
    """Apply all database migrations."""

    async def done(services: Services, adapters: Adapters) -> None:
        err.print("Database is up to date.")

    _run(_settings(data_dir), done)


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema.graphql"),
) -> None:
    """Write the GraphQL schema (SDL) generated from the code."""
    from graph.schema import schema

    output.write_text(schema.as_str() + "\n")
    err.print(f"Wrote {output}")


@app.command()
def worker(
    data_dir: DataDir = None,
    processes: Annotated[
        int | None,
        typer.Option(help="Processes of the pool (default: $ATELIER_WORKER_PROCESSES or the CPU count)."),
    ] = None,
    drain: Annotated[bool, typer.Option("--drain", help="Process what is due, then exit.")] = False,
) -> None:
    """Process queued jobs (renditions and facts) and deliver webhooks until stopped; for servers run
    with ATELIER_WORKER=off."""
    settings = _settings(data_dir)
    if processes is not None:
        settings = settings.model_copy(update={"worker_processes": processes})

    async def work(services: Services, adapters: Adapters) -> int:
        name, concurrency = worker_name(), 2 * adapters.processor.processes
        try:
            if drain:
                done = 0
                while claimed := await services.processing.work_once(name, concurrency):
                    done += claimed
                return done
            err.print(f"Processing jobs with {adapters.processor.processes} process(es); Ctrl+C stops.")
            async with asyncio.TaskGroup() as loops:  # a cancel waits for both to hand back their work
                loops.create_task(
                    services.processing.serve(
                        name, concurrency=concurrency, poll_seconds=settings.worker_poll_seconds
                    )
                )
                loops.create_task(services.webhooks.serve(name, poll_seconds=settings.webhook_poll_seconds))
            return 0
        finally:
            await adapters.processor.close()
            await adapters.webhook_sender.close()

    try:
        done = _run(settings, work)
    except KeyboardInterrupt:
        return  # a job cut short is claimed again once its lease passes
    if drain:
        err.print(f"Processed {done} job(s).")


@app.command()
def cleanup(data_dir: DataDir = None) -> None:
    """Delete expired generations (not liked, approved or saved), the images and renditions nothing uses,
    and download copies not served for a day."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    async def work(services: Services, adapters: Adapters) -> tuple[CleanupReport, int]:
        total = await services.studio.expired_count()
        columns = [TextColumn("cleaning up"), BarColumn(), MofNCompleteColumn()]
        with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
            task = progress.add_task("cleanup", total=total)
            report = await services.studio.cleanup_expired(
                on_progress=lambda n: progress.advance(task, n),
            )
        return report, await services.files.sweep_copies()

    report, copies = _run(_settings(data_dir), work)
    err.print(
        f"Deleted {report.deleted} expired generation(s), {report.blobs_deleted} image(s) and "
        f"{report.renditions_deleted} rendition(s) nothing uses; "
        f"{report.skipped} were kept because they were liked, approved or saved meanwhile; "
        f"and {copies} download cop(ies) not served for a day."
    )


@org_app.command("create")
def org_create(
    slug: Annotated[str, typer.Argument(help="Short unique name, e.g. acme.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    data_dir: DataDir = None,
) -> None:
    """Create an organisation."""

    async def work(services: Services, adapters: Adapters) -> None:
        org = await services.organisations.create_organisation(slug=slug, name=name or slug.title())
        err.print(f"Created organisation {org.slug} ({org.name}).")

    _run(_settings(data_dir), work)


@token_app.command("create")
def token_create(
    org: Annotated[str, typer.Option(help="The organisation's slug.")],
    role: Annotated[Role, typer.Option(help="The member's role.", case_sensitive=False)],
    member: Annotated[str | None, typer.Option(help="The member's email (default: <role>@<org>).")] = None,
    name: Annotated[str, typer.Option(help="A label for the token.")] = "cli",
    expires_in_days: Annotated[int | None, typer.Option(help="Expire after this many days.", min=1)] = None,
    data_dir: DataDir = None,
) -> None:
    """Create a token; only the token is printed on stdout, and it is shown this once."""

    async def work(services: Services, adapters: Adapters) -> str:
        now = services.organisations.clock.now()
        expires = now + timedelta(days=expires_in_days) if expires_in_days else None
        issued = await services.organisations.issue_token(
            org_slug=org,
            role=role,
            member_email=member,
            name=name,
            expires_at=expires,
        )
        err.print(f"Token {issued.token.id} ({issued.token.prefix}...) for member {issued.token.member_id}.")
        return issued.secret

    typer.echo(_run(_settings(data_dir), work))


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token itself, or its numeric id.")],
    data_dir: DataDir = None,
) -> None:
    """Revoke a token; requests with it fail from now on."""

    async def work(services: Services, adapters: Adapters) -> None:
        revoked = await services.organisations.revoke_token(secret_or_id=token)
        err.print(f"Revoked token {revoked.id} ({revoked.prefix}...).")

    _run(_settings(data_dir), work)


def _id_of(value: str | None, type_name: str, option: str) -> int | None:
    """A numeric id, or the database id inside a global id of that type (as the API shows them)."""
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != type_name:
        err.print(f"[red]error[/red] (INVALID_INPUT): {option} takes a {type_name} id")
        raise typer.Exit(1)
    return parsed[1]


@app.command("export")
def export_command(
    org: Annotated[str, typer.Option(help="The organisation's slug.")],
    to: Annotated[Path, typer.Option("--to", help="The directory to write into (made when missing).")],
    folder: Annotated[
        str | None, typer.Option(help="A folder's id: its assets, not its subfolders'.")
    ] = None,
    project: Annotated[str | None, typer.Option(help="A project's id.")] = None,
    tag: Annotated[str | None, typer.Option(help="A tag's name.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Write assets with their XMP provenance (personal data removed), a JSON sidecar each and a manifest.

    Run it again to resume or refresh: files whose sha256 matches are skipped.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    scope = (
        ExportScope(
            folder_id=_id_of(folder, "Folder", "--folder"),
            project_id=_id_of(project, "Project", "--project"),
            tag_name=tag,
        )
        if sum(x is not None for x in (folder, project, tag)) == 1
        else None
    )
    if scope is None:
        err.print("[red]error[/red] (INVALID_INPUT): give exactly one of --folder, --project, --tag")
        raise typer.Exit(1)

    async def work(services: Services, adapters: Adapters) -> ExportReport:
        columns = [TextColumn("exporting"), BarColumn(), MofNCompleteColumn()]
        with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
            task = progress.add_task("export", total=None)
            return await services.files.export(
                org_slug=org,
                scope=scope,
                folder=LocalExportFolder(to),
                on_start=lambda total: progress.update(task, total=total),
                on_progress=lambda n: progress.advance(task, n),
            )

    report = _run(_settings(data_dir), work)
    err.print(
        f"Exported {report.total - len(report.missing)} asset(s) to {to}: {report.written} written, "
        f"{report.skipped} already there with the same bytes."
    )
    if report.missing:
        err.print(f"[yellow]{len(report.missing)} asset(s) left out: their image is missing[/yellow]")
    if report.stale:
        err.print(
            f"[yellow]{len(report.stale)} file(s) of earlier runs no longer exported (left in place, "
            "listed as stale in manifest.json)[/yellow]"
        )


def main() -> None:
    app()
