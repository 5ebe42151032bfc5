"""Helpers shared by tests: the local HTTP server and where the shared fixtures live."""

from pathlib import Path

# Third-party fixtures stay in ../shared next to the repository (see DESIGN.md).
SHARED_FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
FEEDS_DIR = SHARED_FIXTURES / "feeds"
EDGE_DIR = FEEDS_DIR / "edge"
