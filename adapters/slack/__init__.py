"""The Slack adapter: slack-bolt's AsyncApp over HTTP, Block Kit cards, buttons and reactions."""
