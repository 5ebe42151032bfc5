"""veille: French-first buzz monitoring and reactive community management."""

__version__ = "0.1.0"
