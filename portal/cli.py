"""`flask` commands: demo data and the first office admin."""

import click
from flask.cli import with_appcontext

from portal.extensions import db


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when people already exist.")
@with_appcontext
def demo_data(if_empty: bool) -> None:
    """Load the demo company and print its logins."""
    from portal import demo

    if if_empty and not demo.is_empty():
        click.echo("Demo data: already loaded.")
    else:
        demo.load()
    click.echo(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
    for number, name, dept, roles, _lang in demo.LOGINS:
        click.echo(f"  {number:6} {name:8} {dept:8} {', '.join(roles)}")


@click.command("create-admin")
@click.argument("employee_no")
@click.argument("name")
@click.password_option()
@with_appcontext
def create_admin(employee_no: str, name: str, password: str) -> None:
    """Create (or promote) an office administrator."""
    from portal.blueprints.accounts.models import User
    from portal.blueprints.accounts.passwords import MIN_LENGTH, hash_password
    from portal.blueprints.audit.services import record

    if len(password) < MIN_LENGTH:
        raise click.BadParameter(f"at least {MIN_LENGTH} characters", param_hint="password")
    user = User.by_employee_no(employee_no) or User(employee_no=employee_no)
    user.name, user.active = name, True
    user.password_hash = hash_password(password)
    user.must_change_password = False  # chosen here by the administrator themselves
    user.set_roles(user.roles | {"employee", "office"})
    db.session.add(user)
    db.session.flush()
    record("user.create_admin", f"user:{user.id}", actor=None, via="cli")
    db.session.commit()
    click.echo(f"Office administrator {employee_no} ready.")


def init_app(app) -> None:
    app.cli.add_command(demo_data)
    app.cli.add_command(create_admin)
