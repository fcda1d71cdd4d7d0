"""The weekly team report: what the team voted on and saved, with a chart of its votes."""
