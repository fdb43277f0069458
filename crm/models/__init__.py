from crm.models.activities import Activity, ActivityKind, ActorType
from crm.models.companies import Company
from crm.models.custom_fields import CustomFieldDefinition, CustomFieldType
from crm.models.events import Event
from crm.models.lead_views import LeadTableLayout, LeadView
from crm.models.leads import EmailStatus, Lead
from crm.models.lists import LeadList, ListKind, ListMembership
from crm.models.tags import LeadTag, Tag
from crm.models.tasks import Task, TaskKind
from crm.models.workspaces import ApiKey, Membership, Role, Workspace

__all__ = [
    "Activity",
    "ActivityKind",
    "ActorType",
    "ApiKey",
    "Company",
    "CustomFieldDefinition",
    "CustomFieldType",
    "EmailStatus",
    "Event",
    "Lead",
    "LeadList",
    "LeadTableLayout",
    "LeadTag",
    "LeadView",
    "ListKind",
    "ListMembership",
    "Membership",
    "Role",
    "Tag",
    "Task",
    "TaskKind",
    "Workspace",
]
