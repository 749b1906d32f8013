"""Every table crmsup stores, in one `MetaData`: the kernel's own and each area's.

The kernel imports no area, so `crmsup.records.models` alone holds only the kernel's tables.
What needs the whole schema imports this module instead: Alembic (`migrations/env.py`, which
compares and creates every table), backups and restores (`upkeep/`, which copy every table in
foreign-key order), the demo and the tests. An area's models import only the kernel's models.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from crmsup.records import models
from crmsup.records.access import models as access_models
from crmsup.records.attendance import models as attendance_models
from crmsup.records.development import models as development_models
from crmsup.records.discipline import models as discipline_models
from crmsup.records.models import ErasedRows
from crmsup.records.notes import models as notes_models
from crmsup.records.policies import models as policies_models
from crmsup.records.recommendations import models as recommendations_models
from crmsup.records.reviews import models as reviews_models
from crmsup.records.training import models as training_models

#: The models modules of every area, in the order their tables were added (issue 4's file,
#: then issue 5's areas): loading them is what puts their tables on `METADATA`.
AREA_MODELS = (
    discipline_models,
    reviews_models,
    recommendations_models,
    training_models,
    attendance_models,
    policies_models,
    notes_models,
    development_models,
    access_models,
)

METADATA: MetaData = models.Base.metadata

#: The columns naming the associate in every area's tables, in the order erasure deletes
#: their rows: issue 5's areas first (their rows may point at discipline records and
#: reviews), then the associate's file. The associate's key is not here: deleting it is the
#: shredding itself, and `upkeep.erasure` does it last.
ERASED_ROWS: ErasedRows = (
    *access_models.ERASED_ROWS,
    *development_models.ERASED_ROWS,
    *policies_models.ERASED_ROWS,
    *notes_models.ERASED_ROWS,
    *attendance_models.ERASED_ROWS,
    *training_models.ERASED_ROWS,
    *discipline_models.ERASED_ROWS,
    *reviews_models.ERASED_ROWS,
    *recommendations_models.ERASED_ROWS,
)
