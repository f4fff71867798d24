from datetime import datetime, timezone

from warranty.domain.catalog import CatalogPart

AT = datetime(2026, 11, 25, tzinfo=timezone.utc)


def facts(**overrides):
    values = dict(name="刹车片", category="brakes", source="oem", safety_critical=True, at=AT)
    values.update(overrides)
    return values


def test_newer_facts_replace_older_ones_and_older_ones_are_ignored():
    part = CatalogPart("D001", "P-1")
    assert part.learn(sequence=2, **facts(source="aftermarket"))
    assert not part.learn(sequence=1, **facts(source="oem"))
    assert not part.learn(sequence=2, **facts(source="oem"))
    assert part.source == "aftermarket" and part.sequence == 2
