"""Loopback fakes of outside services, fed with real recorded responses."""
