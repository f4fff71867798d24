"""Who may do what at the complaints desk (issue 15): one name for each set of roles."""

# Whoever receives a complaint owns and works it (首问责任制), whatever their role; the service
# refuses anyone else outside the desk (403 not_complaint_owner).
RECEIVERS = ("complaints_agent", "service_advisor", "service_manager")
READERS = (*RECEIVERS, "integration")
# The complaints desk classifies complaints and reads the reports (SPEC §1); the service manager
# supervises it.
DESK = ("complaints_agent", "service_manager")
# Only the supervisor hands a complaint to another owner (首问责任制), sets the calendar, SLA
# targets and notification channels, and receives the escalations (SPEC: 升级至服务经理).
SUPERVISORS = ("service_manager",)
