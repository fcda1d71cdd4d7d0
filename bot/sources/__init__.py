"""Where papers come from: the Hugging Face API, and the bundled sample catalog."""
