"""commissions: built in later issues."""
