"""The HTTP API: thin routers over the engine's use cases."""
