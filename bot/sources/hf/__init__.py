"""The Hugging Face Daily Papers source: its wire schema, a paced and retrying client."""
