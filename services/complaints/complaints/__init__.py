"""Customer complaints (客户投诉): intake, classification, ownership, SLA clocks, feedback."""
