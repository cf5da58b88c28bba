"""HTTP: the Starlette app, settings, middleware and the `smartcity` command."""
