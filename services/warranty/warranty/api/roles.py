"""Who may do what at the warranty desk (issue 15): one name for each set of roles."""

# Vehicles, coverage, claims and lot recalls: the service, warranty and complaints desks.
READERS = (
    "service_advisor", "warranty_clerk", "warranty_manager", "complaints_agent",
    "service_manager", "integration",
)
# A claim's attachments: the readers above but the service advisor.
ATTACHMENT_READERS = ("warranty_clerk", "warranty_manager", "service_manager", "complaints_agent", "integration")
# Eligibility at write-up: the readers above but the complaints desk.
ELIGIBILITY_ASKERS = ("service_advisor", "warranty_clerk", "warranty_manager", "service_manager", "integration")
# Supplier recoveries and labour operations: the warranty desk and the service manager.
BACK_OFFICE = ("warranty_clerk", "warranty_manager", "service_manager", "integration")
# Parts warranty (配件保修): the warranty desk, the parts counter and the service manager.
PARTS_WARRANTY_READERS = (
    "warranty_clerk", "warranty_manager", "parts_clerk", "parts_manager", "service_manager", "integration",
)
# The parts counter takes the customer's report too (配件保修 starts at the counter).
CASE_OPENERS = ("warranty_clerk", "warranty_manager", "parts_clerk")
# Who registers a vehicle and records its odometer.
REGISTRARS = ("service_advisor", "warranty_clerk", "warranty_manager")
# The warranty desk: the clerk and the manager.
DESK = ("warranty_clerk", "warranty_manager")
CLERKS = ("warranty_clerk",)
MANAGERS = ("warranty_manager",)
REPORT_READERS = ("warranty_manager", "service_manager")
# The clerk's queue shows how many claims wait in each status.
STATUS_COUNT_READERS = ("warranty_clerk", *REPORT_READERS)
