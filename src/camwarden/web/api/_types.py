"""Field types shared by the API's models and parameters: ids and UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field
from pydantic_core import PydanticCustomError

from camwarden.storage.lookup import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="A row id: a positive integer.")]


def _input_as_utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_out_of_range", "the instant is outside the years 1 to 9999 in UTC"
        ) from None


UtcInput = Annotated[AwareDatetime, AfterValidator(_input_as_utc)]
"""An instant given with its time zone offset (naive times are ambiguous), turned into UTC."""

# Pydantic writes an instant in UTC as ISO 8601 with a "Z", e.g. 2026-01-05T01:00:00Z.
UtcOutput = Annotated[datetime, AfterValidator(lambda moment: moment.astimezone(UTC))]
"""An instant answered in ISO 8601 UTC."""
