"""Channels: the ``/ws/stream/`` consumer, protocol messages, JWT handshake, publish helpers.

This package does not import ``titan_web``. The web layer registers the functions it needs
(token authentication, topic authorization, replay of missed events) through
:mod:`realtime.hooks` at start-up.
"""
