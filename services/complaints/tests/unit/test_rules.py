from datetime import timedelta

from shared.config import Settings

from complaints.config import ComplaintsRules


def test_sla_targets_and_the_sweep_interval_come_from_the_environment():
    rules = ComplaintsRules.from_settings(Settings.from_env("complaints", {
        "SLA_ACKNOWLEDGE_HOURS": "1", "SLA_FIRST_RESPONSE_HOURS": "24", "SLA_ESCALATION_HOURS": "20",
        "ESCALATION_SWEEP_SECONDS": "30", "AFTERSALES_TIMEZONE": "Asia/Urumqi"}))
    assert (rules.sla.acknowledge, rules.sla.first_response, rules.sla.escalation) == (
        timedelta(hours=1), timedelta(hours=24), timedelta(hours=20))
    assert rules.escalation_sweep == timedelta(seconds=30) and rules.timezone == "Asia/Urumqi"


def test_defaults_read_48_hours_and_2_days_as_two_working_days():
    rules = ComplaintsRules.from_settings(Settings.from_env("complaints", {}))
    assert (rules.sla.acknowledge, rules.sla.first_response, rules.sla.escalation) == (
        timedelta(hours=2), timedelta(hours=16), timedelta(hours=16))
    assert rules.escalation_sweep == timedelta(minutes=5) and rules.timezone == "Asia/Shanghai"
