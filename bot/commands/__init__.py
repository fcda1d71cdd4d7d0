"""The command grammar shared by every platform: ``/papers <subcommand> ...``."""
