"""Scheduled digests: subscriptions, the covered window, selection and the exactly-once run."""
