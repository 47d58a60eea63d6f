"""Storage: the relational model, engines and sessions, and the Alembic migrations.

SQLite (WAL, foreign keys on) is the default; PostgreSQL through psycopg 3 is selected by
``TANDAU_DATABASE_URL``. Create the schema with :func:`tandau.store.migrate.upgrade` (``tandau primaries db
upgrade``); tests may use ``Base.metadata.create_all``, which a test keeps equal to the migrations.
"""

from tandau.store.appeals_models import Appeal, AppealRate, AppealStep
from tandau.store.auth_models import SigninFailure, UserSession
from tandau.store.awards_models import AwardNomination
from tandau.store.control_models import ControlCase, ControlCaseFile, ControlCaseStep
from tandau.store.deputies_models import Akim, DeputyActivity, DeputyCouncil, DeputyRow, SeatDecision
from tandau.store.development_models import DevelopmentImport, DevelopmentValue
from tandau.store.engine import database_url, make_engine, session_factory
from tandau.store.files_models import StoredFile
from tandau.store.jobs_models import Job
from tandau.store.models import (
    Ballot,
    Base,
    Contest,
    Council,
    Credential,
    Cycle,
    Member,
    Nomination,
    OneTimeCode,
    Participation,
    Publication,
    RoleGrant,
    audit_log,
)
from tandau.store.programme_models import ProgrammeComment, ProgrammeRow, ProgrammeStep, ProgrammeVersion
from tandau.store.proposals_models import Proposal, ProposalAction, ProposalLink, ProposalRate

__all__ = [
    "Akim",
    "Appeal",
    "AppealRate",
    "AppealStep",
    "AwardNomination",
    "Ballot",
    "Base",
    "Contest",
    "ControlCase",
    "ControlCaseFile",
    "ControlCaseStep",
    "Council",
    "Credential",
    "Cycle",
    "DeputyActivity",
    "DeputyCouncil",
    "DeputyRow",
    "DevelopmentImport",
    "DevelopmentValue",
    "Job",
    "Member",
    "Nomination",
    "OneTimeCode",
    "Participation",
    "ProgrammeComment",
    "ProgrammeRow",
    "ProgrammeStep",
    "ProgrammeVersion",
    "Proposal",
    "ProposalAction",
    "ProposalLink",
    "ProposalRate",
    "Publication",
    "RoleGrant",
    "SeatDecision",
    "SigninFailure",
    "StoredFile",
    "UserSession",
    "audit_log",
    "database_url",
    "make_engine",
    "session_factory",
]
