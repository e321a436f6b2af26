"""The TITAN engine: pure numerical code, async at its edges, never Django."""
