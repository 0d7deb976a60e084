"""Local stand-ins for the shop platforms and carriers the shop backends talk to.

Each fake is an aiohttp app served on 127.0.0.1 that speaks the platform's real wire
format (its docstring names the API version and the published reference the payloads
follow), is seeded with the demo shop's orders (tests/fakes_shop/demo.py), checks
authentication, records every call and can be told to refuse the next call(s) with the
platform's rate-limit or server error. Backends get the fake's base URL from their
configuration, exactly as they would get the real one.
"""
