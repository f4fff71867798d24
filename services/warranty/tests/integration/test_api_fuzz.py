import pytest

from shared.testing import FUZZ_SHARDS, assert_api_answers_as_documented, bearer


@pytest.mark.parametrize("shard", range(FUZZ_SHARDS))
def test_the_api_answers_as_documented(service, settings_on_both, clock, shard):
    apps = [service.create_app(settings, clock=clock) for settings in settings_on_both]
    assert_api_answers_as_documented(apps, bearer(settings_on_both[0]), shard=shard)
