"""Loopback fakes of Slack, Discord and Hugging Face, and recording fakes of the core's ports.

Shared by the tests and the benches; never part of the product, and never pointed at a real host.
"""
