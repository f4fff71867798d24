import pytest

from parts.app import PARTS


@pytest.fixture
def service():
    return PARTS
