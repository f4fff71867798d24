from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from complaints.domain.complaint import Complaint
from complaints.domain.errors import EmptyComplaint, ReceivedInFuture
from complaints.domain.events import ComplaintReceived
from complaints.domain.privacy import mask_name, mask_phone

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def a_complaint(**overrides) -> Complaint:
    fields = dict(channel="phone", text="刹车异响", received_at=NOW, owner="agent-zhao", at=NOW,
                  customer_name="王先生", customer_phone="13812341234")
    fields.update(overrides)
    return Complaint("D001", **fields)


def test_the_receiver_owns_it_and_the_event_carries_no_personal_data():
    complaint = a_complaint()
    assert complaint.owner == "agent-zhao" and complaint.status == "open"
    [event] = complaint.events
    assert isinstance(event, ComplaintReceived)
    assert event.owner == "agent-zhao"
    assert "13812341234" not in repr(event) and "王先生" not in repr(event)


def test_a_letter_may_be_received_before_it_is_recorded_but_not_after_now():
    assert a_complaint(channel="letter", received_at=NOW - timedelta(days=3)).received_at < NOW
    with pytest.raises(ReceivedInFuture):
        a_complaint(received_at=NOW + timedelta(hours=1))
    with pytest.raises(EmptyComplaint):
        a_complaint(text="   ")


def test_a_related_event_is_shown_once():
    complaint = a_complaint()
    assert complaint.note_related_event(NOW, "claim_approved", "claim W-1 approved", "event:/aftersales/warranty", "e-1")
    assert not complaint.note_related_event(NOW, "claim_approved", "claim W-1 approved", "event:/aftersales/warranty", "e-1")
    assert [entry.kind for entry in complaint.timeline] == ["received", "claim_approved"]


@pytest.mark.parametrize("phone, masked", [("13812341234", "138****1234"), ("+8613812341234", "+86*******1234"),
                                           ("12345", "*****"), (None, None)])
def test_phones_are_masked(phone, masked):
    assert mask_phone(phone) == masked


def test_names_are_masked():
    assert mask_name("王先生") == "王**"
    assert mask_name("Li Wei") == "L*****"
