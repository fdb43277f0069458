from outreach.models.domain_checks import (
    CheckAction,
    CheckStatus,
    CheckTrigger,
    DeliverabilityPolicy,
    DomainCheck,
    DomainCheckState,
)
from outreach.models.domains import DomainState, SendingDomain
from outreach.models.enrollments import LIVE_STATUSES, Enrollment, EnrollmentStatus
from outreach.models.mailboxes import Mailbox, MailboxState, Security, Transport
from outreach.models.messages import (
    CategorySource,
    InboundKind,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    ReplyCategory,
)
from outreach.models.quota import DailyQuota, QuotaScope
from outreach.models.sequences import Sequence, SequenceStatus, Step, StepVariant
from outreach.models.suppression import Suppression, SuppressionReason

__all__ = [
    "LIVE_STATUSES",
    "CategorySource",
    "CheckAction",
    "CheckStatus",
    "CheckTrigger",
    "DailyQuota",
    "DeliverabilityPolicy",
    "DomainCheck",
    "DomainCheckState",
    "DomainState",
    "Enrollment",
    "EnrollmentStatus",
    "InboundKind",
    "InboundMessage",
    "Mailbox",
    "MailboxState",
    "MessageStatus",
    "OutboundMessage",
    "QuotaScope",
    "ReplyCategory",
    "Security",
    "SendingDomain",
    "Sequence",
    "SequenceStatus",
    "Step",
    "StepVariant",
    "Suppression",
    "SuppressionReason",
    "Transport",
]
