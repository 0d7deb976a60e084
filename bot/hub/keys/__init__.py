"""Typed application state (aiohttp web.AppKey), one small module per concern.

A module imports only the keys, and so only the services, it reads: a route module that needs
the repository does not depend on the mail service. The services themselves know nothing of
aiohttp, so their keys live here; aiohttp-aware modules declare their own next to what they
store (metrics.METRICS, channels.CHANNELS, housekeeping.PRIVACY, web.sockets.SOCKETS).
"""
