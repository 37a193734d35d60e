"""The HTTP front end: not part of any behavior."""

PORT = 8080
