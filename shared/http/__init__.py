"""Flask plumbing shared by the three services' HTTP APIs."""
