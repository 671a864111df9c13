"""certificates: built in later issues."""
