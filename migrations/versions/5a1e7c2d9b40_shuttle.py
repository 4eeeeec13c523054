"""shuttle: districts, stops, routes with published versions and stop times, exceptions,
follows, homes, late-run seats, new-stop requests, settings

Revision ID: 5a1e7c2d9b40
Revises: b7c8d9e0f1a2
Create Date: 2026-12-07 05:29:19.097933

"""

import sqlalchemy as sa
from alembic import op

import portal.timeutil  # noqa: F401  (custom column types)

# revision identifiers, used by Alembic.
revision = "5a1e7c2d9b40"
down_revision = "b7c8d9e0f1a2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shuttle_districts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_districts")),
        sa.UniqueConstraint("name", name=op.f("uq_shuttle_districts_name")),
    )
    op.create_table(
        "shuttle_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "direction IN ('to_work', 'home', 'late')", name=op.f("ck_shuttle_routes_direction")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_routes")),
        sa.UniqueConstraint("name", name=op.f("uq_shuttle_routes_name")),
    )
    op.create_table(
        "shuttle_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("late_cutoff", sa.String(length=5), nullable=False),
        sa.Column("home_changes_per_month", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_settings")),
    )
    op.create_table(
        "shuttle_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("runs", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["shuttle_routes.id"],
            name=op.f("fk_shuttle_exceptions_route_id_shuttle_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_exceptions")),
        sa.UniqueConstraint("route_id", "day", name="uq_shuttle_exceptions_day"),
    )
    with op.batch_alter_table("shuttle_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shuttle_exceptions_route_id"), ["route_id"], unique=False
        )

    op.create_table(
        "shuttle_stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["shuttle_districts.id"],
            name=op.f("fk_shuttle_stops_district_id_shuttle_districts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_stops")),
        sa.UniqueConstraint("name", name=op.f("uq_shuttle_stops_name")),
    )
    with op.batch_alter_table("shuttle_stops", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shuttle_stops_district_id"), ["district_id"], unique=False
        )

    op.create_table(
        "shuttle_follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["shuttle_routes.id"],
            name=op.f("fk_shuttle_follows_route_id_shuttle_routes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_shuttle_follows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "route_id", name=op.f("pk_shuttle_follows")),
    )
    with op.batch_alter_table("shuttle_follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shuttle_follows_route_id"), ["route_id"], unique=False)

    op.create_table(
        "shuttle_homes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["shuttle_districts.id"],
            name=op.f("fk_shuttle_homes_district_id_shuttle_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"], ["shuttle_stops.id"], name=op.f("fk_shuttle_homes_stop_id_shuttle_stops")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_shuttle_homes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_shuttle_homes")),
    )
    with op.batch_alter_table("shuttle_homes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shuttle_homes_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_shuttle_homes_stop_id"), ["stop_id"], unique=False)

    op.create_table(
        "shuttle_late_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.CheckConstraint("seat >= 1", name=op.f("ck_shuttle_late_bookings_seat_positive")),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["shuttle_routes.id"],
            name=op.f("fk_shuttle_late_bookings_route_id_shuttle_routes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"],
            ["shuttle_stops.id"],
            name=op.f("fk_shuttle_late_bookings_stop_id_shuttle_stops"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_shuttle_late_bookings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_late_bookings")),
        sa.UniqueConstraint("route_id", "day", "seat", name="uq_shuttle_late_seat"),
        sa.UniqueConstraint("route_id", "day", "user_id", name="uq_shuttle_late_person"),
    )
    with op.batch_alter_table("shuttle_late_bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shuttle_late_bookings_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_shuttle_late_bookings_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "shuttle_stop_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("created_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answered_at", portal.timeutil.UTCDateTime(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_shuttle_stop_requests_answered_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["shuttle_districts.id"],
            name=op.f("fk_shuttle_stop_requests_district_id_shuttle_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_shuttle_stop_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_stop_requests")),
    )
    with op.batch_alter_table("shuttle_stop_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shuttle_stop_requests_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_shuttle_stop_requests_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "shuttle_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("driver_name", sa.String(length=40), nullable=False),
        sa.Column("driver_phone", sa.String(length=20), nullable=False),
        sa.Column("published_at", portal.timeutil.UTCDateTime(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("seats BETWEEN 1 AND 100", name=op.f("ck_shuttle_versions_seats_range")),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_shuttle_versions_published_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["shuttle_routes.id"],
            name=op.f("fk_shuttle_versions_route_id_shuttle_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_versions")),
        sa.UniqueConstraint("route_id", "number", name="uq_shuttle_versions_number"),
    )
    with op.batch_alter_table("shuttle_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shuttle_versions_route_id"), ["route_id"], unique=False
        )
        batch_op.create_index(
            "uq_shuttle_versions_one_draft",
            ["route_id"],
            unique=True,
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )

    op.create_table(
        "shuttle_stop_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("time", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["stop_id"],
            ["shuttle_stops.id"],
            name=op.f("fk_shuttle_stop_times_stop_id_shuttle_stops"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["shuttle_versions.id"],
            name=op.f("fk_shuttle_stop_times_version_id_shuttle_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shuttle_stop_times")),
        sa.UniqueConstraint("version_id", "position", name="uq_shuttle_times_position"),
        sa.UniqueConstraint("version_id", "stop_id", name="uq_shuttle_times_stop"),
    )
    with op.batch_alter_table("shuttle_stop_times", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shuttle_stop_times_stop_id"), ["stop_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_shuttle_stop_times_version_id"), ["version_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("shuttle_stop_times", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shuttle_stop_times_version_id"))
        batch_op.drop_index(batch_op.f("ix_shuttle_stop_times_stop_id"))

    op.drop_table("shuttle_stop_times")
    with op.batch_alter_table("shuttle_versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_shuttle_versions_one_draft",
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )
        batch_op.drop_index(batch_op.f("ix_shuttle_versions_route_id"))

    op.drop_table("shuttle_versions")
    with op.batch_alter_table("shuttle_stop_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shuttle_stop_requests_user_id"))
        batch_op.drop_index(batch_op.f("ix_shuttle_stop_requests_district_id"))

    op.drop_table("shuttle_stop_requests")
    with op.batch_alter_table("shuttle_late_bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shuttle_late_bookings_user_id"))
        batch_op.drop_index(batch_op.f("ix_shuttle_late_bookings_day"))

    op.drop_table("shuttle_late_bookings")
    with op.batch_alter_table("shuttle_homes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shuttle_homes_stop_id"))
        batch_op.drop_index(batch_op.f("ix_shuttle_homes_district_id"))

    op.drop_table("shuttle_homes")
    with op.batch_alter_table("shuttle_follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shuttle_follows_route_id"))

    op.drop_table("shuttle_follows")
    with op.batch_alter_table("shuttle_stops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shuttle_stops_district_id"))

    op.drop_table("shuttle_stops")
    with op.batch_alter_table("shuttle_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shuttle_exceptions_route_id"))

    op.drop_table("shuttle_exceptions")
    op.drop_table("shuttle_settings")
    op.drop_table("shuttle_routes")
    op.drop_table("shuttle_districts")
