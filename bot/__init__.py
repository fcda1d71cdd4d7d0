"""paperbot's platform-neutral core: commands, search, votes and digests over a paper catalog."""
