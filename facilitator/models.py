"""Imports every concept's models so that SQLAlchemy and Alembic know all tables."""
from .accounts.models import SetupToken, User  # noqa: F401
from .agenda.models import AgendaItem  # noqa: F401
from .broadcasts.models import Broadcast  # noqa: F401
from .groups.models import DraftGoal, ThemeGroup  # noqa: F401
from .groups.models import GroupChoice, GroupRound  # noqa: F401
from .groups.models import GoalVote, GroupSummary, WorkspacePost  # noqa: F401
from .export.models import ExportJob  # noqa: F401
from .join.models import Connection, Participant  # noqa: F401
from .workshops.models import Membership, Workshop  # noqa: F401
from .blitzlicht.models import Statement  # noqa: F401
from .clusters.models import Cluster, ClusterEntry, ClusterTerm  # noqa: F401
from .polls.models import Poll, PollVote  # noqa: F401
