"""Who may do what at the parts desk (issue 3, item 12)."""

CLERKS = ("parts_clerk", "parts_manager")
MANAGERS = ("parts_manager",)
READERS = (
    "parts_clerk", "parts_manager", "service_advisor", "warranty_clerk", "warranty_manager",
    "complaints_agent", "service_manager", "integration",
)
