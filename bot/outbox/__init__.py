"""What paperbot sent: messages recorded as they go out, and rebuilt whole after a vote."""
