from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from complaints.domain.classification import Category, Severity, classify
from complaints.domain.complaint import Complaint
from complaints.domain.errors import (
    ClassificationIncomplete,
    EmptyComplaint,
    NothingToReclassify,
    ReasonRequired,
    ReceivedInFuture,
)
from complaints.domain.events import ComplaintClassified, ComplaintReceived
from complaints.domain.privacy import mask_name, mask_phone

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
REVIEW_BELOW = 0.4


def a_complaint(**overrides) -> Complaint:
    fields = dict(number="TS-20261125-0001", channel="phone", text="刹车异响", received_at=NOW, owner="agent-zhao", at=NOW,
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


def test_classifying_keeps_the_result_and_tells_parts_the_part_and_lot():
    complaint = a_complaint(text="刹车踩下去没反应，差点追尾", part_number="04465-33450", lot="L2026-11")
    complaint.classify(classify(complaint.text), at=NOW, review_below=REVIEW_BELOW)
    assert (complaint.category, complaint.severity) == (Category.PRODUCT_QUALITY, Severity.CRITICAL)
    assert complaint.classification.automatic and complaint.classification.actor == "classifier"
    assert [entry.kind for entry in complaint.timeline] == ["received", "classified"]
    received, classified = complaint.events
    assert isinstance(received, ComplaintReceived) and isinstance(classified, ComplaintClassified)
    assert (classified.complaint_number, classified.category, classified.severity) == (
        complaint.id, "product_quality", "critical")
    assert (classified.part_number, classified.lot, classified.overridden) == ("04465-33450", "L2026-11", False)
    assert classified.safety_related and classified.terms and classified.confidence > 0


def test_a_person_corrects_it_with_a_reason_and_the_automatic_result_stays():
    complaint = a_complaint(text="等了两个小时没人接待")
    complaint.classify(classify(complaint.text), at=NOW, review_below=REVIEW_BELOW)
    later = NOW + timedelta(hours=1)
    complaint.reclassify(category=None, severity=Severity.HIGH, reason=" VIP customer, second visit ",
                         by="agent-qian", at=later)
    automatic, corrected = complaint.classifications
    assert automatic.automatic and automatic.category is Category.AFTER_SALES_SERVICE
    assert (corrected.category, corrected.severity) == (Category.AFTER_SALES_SERVICE, Severity.HIGH)
    assert (corrected.actor, corrected.reason, corrected.at, corrected.automatic) == (
        "agent-qian", "VIP customer, second visit", later, False)
    assert corrected.confidence is None and complaint.severity is Severity.HIGH
    assert complaint.timeline[-1].kind == "reclassified" and complaint.timeline[-1].actor == "agent-qian"
    assert complaint.events[-1].overridden and complaint.events[-1].severity == "high"


def test_a_correction_needs_a_reason_and_something_to_change():
    complaint = a_complaint()
    complaint.classify(classify(complaint.text), at=NOW, review_below=REVIEW_BELOW)
    with pytest.raises(ReasonRequired):
        complaint.reclassify(category=Category.OTHER, severity=None, reason="  ", by="agent-qian", at=NOW)
    with pytest.raises(NothingToReclassify):
        complaint.reclassify(category=None, severity=None, reason="why not", by="agent-qian", at=NOW)
    assert len(complaint.classifications) == 1 and len(complaint.events) == 2


def test_an_unclassified_complaint_needs_both_category_and_severity():
    complaint = a_complaint()  # recorded before classification existed
    with pytest.raises(ClassificationIncomplete):
        complaint.reclassify(category=Category.OTHER, severity=None, reason="old", by="agent-qian", at=NOW)
    complaint.reclassify(category=Category.OTHER, severity=Severity.LOW, reason="old", by="agent-qian", at=NOW)
    assert complaint.category is Category.OTHER


def test_a_long_reason_still_fits_the_timeline():
    complaint = a_complaint()
    complaint.classify(classify(complaint.text), at=NOW, review_below=REVIEW_BELOW)
    complaint.reclassify(category=Category.OTHER, severity=None, reason="长" * 480, by="agent-qian", at=NOW)
    assert len(complaint.timeline[-1].summary) == 500
    assert complaint.classification.reason == "长" * 480


def test_an_unsure_classification_waits_for_review_and_a_correction_clears_it():
    complaint = a_complaint(text="你好，请回个电话")
    complaint.classify(classify(complaint.text), at=NOW, review_below=1.0)
    assert complaint.needs_review and complaint.events[-1].needs_review
    assert complaint.correction is None
    complaint.reclassify(category=Category.OTHER, severity=Severity.LOW, reason="asks for a call back",
                         by="agent-qian", at=NOW)
    assert not complaint.needs_review and not complaint.events[-1].needs_review
    example = complaint.correction
    assert (example.text, example.category, example.severity, example.corrected_by, example.reason) == (
        "你好，请回个电话", Category.OTHER, Severity.LOW, "agent-qian", "asks for a call back")
    later = NOW + timedelta(hours=2)
    complaint.reclassify(category=Category.AFTER_SALES_SERVICE, severity=None, reason="about the last visit",
                         by="manager-li", at=later)
    assert complaint.correction is example  # one example per complaint, the latest labels
    assert (example.category, example.severity, example.corrected_at) == (
        Category.AFTER_SALES_SERVICE, Severity.LOW, later)


def test_a_confident_classification_needs_no_review():
    complaint = a_complaint(text="刹车踩下去没反应，差点追尾")
    complaint.classify(classify(complaint.text), at=NOW, review_below=0.0)
    assert not complaint.needs_review and not complaint.events[-1].needs_review


def test_a_person_s_classification_is_never_changed_by_a_later_automatic_one():
    complaint = a_complaint(text="刹车踩下去没反应，差点追尾")
    complaint.classify(classify(complaint.text), at=NOW, review_below=REVIEW_BELOW)
    complaint.reclassify(category=Category.AFTER_SALES_SERVICE, severity=Severity.HIGH, reason="workshop's bolt",
                         by="agent-qian", at=NOW)
    recorded = (list(complaint.classifications), list(complaint.events), len(complaint.timeline))
    assert complaint.classify(classify(complaint.text), at=NOW + timedelta(days=1), review_below=1.0) is False
    assert (list(complaint.classifications), list(complaint.events), len(complaint.timeline)) == recorded
    assert (complaint.category, complaint.severity, complaint.needs_review) == (
        Category.AFTER_SALES_SERVICE, Severity.HIGH, False)
