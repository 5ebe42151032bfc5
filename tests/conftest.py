"""Test-wide set-up: every test run gets its own data directory."""

import os
import tempfile

os.environ.setdefault("VEILLE_DATA_DIR", tempfile.mkdtemp(prefix="veille-test-"))
