import pytest

from complaints.app import COMPLAINTS


@pytest.fixture
def service():
    return COMPLAINTS
