"""The TITAN Django project: settings, ASGI entry point, URL map and the web apps."""
