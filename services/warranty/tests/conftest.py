import pytest

from warranty.app import WARRANTY


@pytest.fixture
def service():
    return WARRANTY
