"""The terminal chat: the local default, running the same core as Slack and Discord."""
