"""``kampung users``: accounts and API tokens, for the operator of the server.

Passwords and tokens are shown once, when made, and never stored (only their hashes are). The
events these commands record name the operator's login on this machine as their actor.
"""

import getpass
import secrets
import sys

import click

from domain.actor import Actor
from interfaces.cli.context import open_service
from domain.user import ACCOUNT_ROLES, SCOPES, username_of


def _operator() -> Actor:
    """The person at the terminal, as recorded in the events ("system": no account of the app)."""
    return Actor(f"cli.{getpass.getuser()}"[:64], "system")


def _password(from_stdin: bool, generate: bool) -> str:
    if from_stdin and generate:
        raise click.UsageError("give either --password-stdin or --generate-password, not both")
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if generate:
        return secrets.token_urlsafe(15)
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group()
def users() -> None:
    """Accounts: create, set a password, disable, enable, list; API tokens: issue, revoke."""


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ACCOUNT_ROLES))
@click.option("--rt", "rt_code", metavar="CODE",
              help="A Ketua RT's RT, e.g. 15.71.01.1001/RT-005 (required for ketua_rt).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--generate-password", is_flag=True, help="Generate a password and print it (once).")
def users_create(username: str, role: str, rt_code: str | None, password_stdin: bool, generate_password: bool) -> None:
    """Create the account USERNAME (asks for its password unless told otherwise)."""
    password = _password(password_stdin, generate_password)
    service = open_service()
    service.register_user(username, role, password, _operator(), rt_code=rt_code)
    click.echo(f"Created the account {username_of(username)} ({role}).")
    if generate_password:
        click.echo(f"Password (shown only now): {password}")


@users.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of standard input.")
def users_password(username: str, password_stdin: bool) -> None:
    """Set a new password for USERNAME (asks for it unless --password-stdin): every session of the
    account ends; its API tokens stay valid."""
    password = _password(password_stdin, False)
    open_service().change_password(username, password, _operator())
    click.echo(f"Changed the password of {username_of(username)}; their sessions have ended.")


@users.command("disable")
@click.argument("username")
@click.option("--reason", required=True, help="Why (kept in the audit trail).")
def users_disable(username: str, reason: str) -> None:
    """Disable USERNAME: their sessions and API tokens stop working at once."""
    open_service().disable_user(username, reason, _operator())
    click.echo(f"Disabled {username}.")


@users.command("enable")
@click.argument("username")
def users_enable(username: str) -> None:
    """Enable USERNAME again."""
    open_service().enable_user(username, _operator())
    click.echo(f"Enabled {username}.")


@users.command("token")
@click.argument("username")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES),
              help="What the token allows (repeat for several): read = GET, write = the rest.")
@click.option("--label", help="What the token is for, e.g. the integrating system.")
def users_token(username: str, scopes: tuple[str, ...], label: str | None) -> None:
    """Issue an API token for USERNAME and print it (once; only its hash is kept)."""
    issued = open_service().issue_token(username, scopes, _operator(), label=label)
    click.echo(f"Token {issued.token_id} for {username} ({', '.join(scopes)}); shown only now:", err=True)
    click.echo(issued.token)


@users.command("revoke-token")
@click.argument("username")
@click.argument("token_id")
def users_revoke_token(username: str, token_id: str) -> None:
    """Revoke the API token TOKEN_ID of USERNAME."""
    open_service().revoke_token(username, token_id, _operator())
    click.echo(f"Revoked token {token_id} of {username}.")


@users.command("list")
def users_list() -> None:
    """Every account: role, RT, status and API tokens (ids and scopes; never the tokens)."""
    click.echo(f"{'user name':<32} {'role':<14} {'RT':<21} {'status':<9} tokens")
    for user in open_service().users():
        status = "disabled" if user.disabled else "active"
        tokens = ", ".join(
            f"{token_id} ({'+'.join(token.scopes)}{', revoked' if token.revoked else ''})"
            for token_id, token in user.tokens.items()
        )
        click.echo(f"{user.username:<32} {user.role:<14} {user.rt_code or '-':<21} {status:<9} {tokens or '-'}")
