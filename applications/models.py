"""applications: built in later issues."""
