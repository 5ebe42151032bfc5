from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests import factories
from veille.core.models import Mention, Workspace
from veille.insights.models import Outcome
from veille.insights.outcomes import (
    OutcomeImportError,
    import_csv,
    lagged_correlation,
    pearson,
)

pytestmark = pytest.mark.django_db


def test_pearson_by_hand():
    # x = 1, 2, 3; y = 2, 4, 7: means 2 and 13/3; cov = (-1)(-7/3) + 0 + (1)(8/3) = 5;
    # var x = 2, var y = 49/9 + 1/9 + 64/9 = 114/9; r = 5 / sqrt(2 * 114 / 9) = 0.9934.
    assert pearson([1, 2, 3], [2, 4, 7]) == pytest.approx(5 / (2 * 114 / 9) ** 0.5)
    assert pearson([1, 1, 1], [2, 4, 7]) is None
    assert pearson([1, 2], [3, 4]) is None


def test_import_csv_with_french_separators_and_replacement():
    space = factories.workspace()
    counts = import_csv(space, "date;visites;ventes\n01/03/2026;1 200;3,5\n2026-03-02;900;\n")
    assert counts == {"visites": 2, "ventes": 1}
    assert Outcome.objects.get(metric="visites", day=date(2026, 3, 1)).value == 1200
    assert Outcome.objects.get(metric="ventes").value == 3.5
    import_csv(space, "date,visites\n2026-03-01,1300\n")
    assert Outcome.objects.get(metric="visites", day=date(2026, 3, 1)).value == 1300
    assert Outcome.objects.filter(metric="visites").count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "traffic.csv is empty"),
        ("visits,date\n1,2026-01-01\n", "row 1: the first column must be 'date'"),
        ("date,visits\n2026-01-01,12\n31/02/2026,5\n", "row 3, column 'date': '31/02/2026'"),
        ("date,visits\n2026-01-01,douze\n", "row 2, column 'visits': 'douze' is not a number"),
        ("date,visits\n2026-01-01,nan\n", "not a finite number"),
    ],
)
def test_bad_files_name_the_row_and_column_and_store_nothing(content: str, message: str):
    space = factories.workspace()
    with pytest.raises(OutcomeImportError, match=message):
        import_csv(space, content, "traffic.csv")
    assert not Outcome.objects.exists()


def test_the_lag_at_which_visits_follow_mentions():
    space: Workspace = factories.workspace()
    source = factories.feed_source(space)
    pattern = [1, 5, 2, 8, 3, 0, 6, 4, 7, 2, 9, 1, 3, 5]
    start = date(2026, 3, 1)
    for offset, count in enumerate(pattern):
        for n in range(count):
            Mention.objects.create(
                workspace=space,
                source=source,
                external_id=f"{offset}-{n}",
                published_at=datetime.combine(
                    start + timedelta(days=offset), datetime.min.time(), tzinfo=UTC
                )
                + timedelta(hours=11),
            )
    # Visits two days after each day: 100 + 10 x that day's mentions.
    lines = ["date,visits"] + [
        f"{start + timedelta(days=offset + 2)},{100 + 10 * count}"
        for offset, count in enumerate(pattern)
    ]
    import_csv(space, "\n".join(lines))
    found = lagged_correlation(space, "visits", start, start + timedelta(days=20), max_lag=4)
    assert found.days == len(pattern)
    assert found.strongest == (2, pytest.approx(1.0))
    assert abs(found.by_lag[0]) < 0.9
