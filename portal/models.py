"""Every model, imported once so that Alembic and create_all see all tables."""

from portal.blueprints.accounts.models import Department, User, UserRole  # noqa: F401
from portal.blueprints.audit.models import AuditEntry  # noqa: F401
from portal.blueprints.calendar.models import CompanyDay  # noqa: F401
from portal.blueprints.canteen import models as canteen_models  # noqa: F401
from portal.blueprints.documents.models import Document  # noqa: F401
from portal.blueprints.notifications.models import Notification  # noqa: F401
from portal.blueprints.pwa.models import OutboxReceipt  # noqa: F401
from portal.blueprints.repairs import models as repairs_models  # noqa: F401
from portal.blueprints.tasks import models as tasks_models  # noqa: F401
