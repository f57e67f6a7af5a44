"""The pure reminder rules: activity due times and their query bounds, snooze limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bcm_desktop.domain.errors import ValidationError
from bcm_desktop.domain.reminders import (
    activity_due_at,
    activity_entered_before,
    activity_entered_from,
    check_snooze,
)

START = datetime(2030, 3, 28, 0, 0, tzinfo=UTC)  # Europe moves its clocks on 31 March
MOMENTS = [START + timedelta(minutes=37 * n) for n in range(0, 24 * 60 // 37 * 6)]


@pytest.mark.parametrize("days", [0, 1, 3])
def test_the_query_bounds_agree_with_the_due_time(days: int) -> None:
    probes = [START + timedelta(days=2, hours=h) for h in range(0, 48, 5)]
    probes.append(activity_due_at(START + timedelta(days=1), days))  # exactly a due time
    for entered in MOMENTS:
        due = activity_due_at(entered, days)
        assert due.astimezone().time().isoformat() == "00:00:00"
        for probe in probes:
            assert (due <= probe) == (entered < activity_entered_before(probe, days))
            assert (due >= probe) == (entered >= activity_entered_from(probe, days))


def test_snooze_is_five_minutes_to_a_day() -> None:
    assert check_snooze(timedelta(minutes=5)) == timedelta(minutes=5)
    assert check_snooze(timedelta(days=1)) == timedelta(days=1)
    for wrong in (timedelta(minutes=4, seconds=59), timedelta(days=1, seconds=1)):
        with pytest.raises(ValidationError, match="5 minutes to 1 day"):
            check_snooze(wrong)
    with pytest.raises(ValidationError, match="how long"):
        check_snooze(5)  # type: ignore[arg-type]
