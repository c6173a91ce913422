"""The test suite (a package, so that every module imports the shared fixtures and helpers
by one path: ``tests.conftest``)."""
