import os

# Tests run against a development configuration whatever the shell says about DEBUG.
os.environ.setdefault("SHANZHI_PRODUCTION", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
