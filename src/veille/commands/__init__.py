"""The `veille` subcommands, one module per area; each has register(app)."""
