"""Warranty (索赔): coverage, vehicles, eligibility, claims to the manufacturer, supplier recovery."""
