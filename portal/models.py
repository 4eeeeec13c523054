"""Every model, imported once so that Alembic and create_all see all tables: the foundation's
here, each module's through its declaration in portal/modules.py."""

from portal.blueprints.accounts.models import Department, User, UserRole  # noqa: F401
from portal.blueprints.audit.models import AuditEntry  # noqa: F401
from portal.blueprints.calendar.models import CompanyDay  # noqa: F401
from portal.blueprints.documents.models import Document  # noqa: F401
from portal.blueprints.notifications.models import Notification  # noqa: F401
from portal.blueprints.pwa.models import OutboxReceipt  # noqa: F401
from portal.modules import modules

MODULE_MODELS = [module.models for module in modules()]
