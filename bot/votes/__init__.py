"""Team voting: buttons and reactions on paper cards, one opinion per person per paper."""
