"""Platform adapters: each translates its payloads to neutral invocations and renders replies."""
