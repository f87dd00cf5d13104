"""Every model, imported in one place so Alembic and create_all see the whole schema."""
from .accounts.models import (  # noqa: F401
                              AdministrativeUnit,
                              ApiToken,
                              Organisation,
                              PasswordResetToken,
                              SignInAttempt,
                              SignInSession,
                              UnitLevel,
                              User,
)
from .activity.models import ActivityRecord  # noqa: F401
from .deadlines.models import Deadline, DeadlineExtension  # noqa: F401
from .decisions.models import DecisionItem, RecognitionDecision  # noqa: F401
from .documents.models import Document, DocumentCheck, VietGapCertificate  # noqa: F401
from .dossiers import producer_province  # noqa: F401  its listeners keep each dossier's producer province
from .dossiers.models import Dossier, TransitionRecord  # noqa: F401
from .notifications.models import MailAttempt, OutboxMail  # noqa: F401
from .products.models import Product, ProductGroup, ProductSet  # noqa: F401
from .registry.models import Certificate, ProductNumber  # noqa: F401
from .reports.models import DashboardSnapshot  # noqa: F401
from .reviews.models import Council, CouncilMember, EvaluationBatch, EvaluationRound, Score, SheetMark  # noqa: F401
from .rules.models import CalendarDay, CalendarYear  # noqa: F401
