"""Electoral systems (which seats of each council come from party lists, which from single-member districts) and
the councils' single-member districts.

>>> from tandau.core.systems import get_system
>>> get_system("kz-2023").split("republican_city", 42)
(21, 21)
"""

from tandau.core.systems.districts import (
    DISTRICT_SOURCES,
    CouncilSeats,
    District,
    Districting,
    check_system,
    derive_districts,
    district_id,
    with_districts,
)
from tandau.core.systems.registry import (
    DEFAULT_CYCLE_SYSTEM,
    KINDS,
    KZ_MAJILIS_SEATS,
    SYSTEMS,
    ElectoralSystem,
    Kind,
    LevelSystem,
    get_system,
    register,
    system_for_layout,
    system_ids,
)

__all__ = [
    "DEFAULT_CYCLE_SYSTEM", "DISTRICT_SOURCES", "KINDS", "KZ_MAJILIS_SEATS", "SYSTEMS", "CouncilSeats", "District",
    "Districting", "ElectoralSystem", "Kind", "LevelSystem", "check_system", "derive_districts", "district_id",
    "get_system", "register", "system_for_layout", "system_ids", "with_districts",
]
