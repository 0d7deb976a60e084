"""The shop behind the bot: one typed interface, one backend per platform (Rasa-side, Python 3.10).

    model.py     the records a backend returns (Order, Item, Shipment, Invoice, ReturnCase, …)
    backend.py   ShopBackend, its errors, and *how to add a backend* (read that docstring)
    numbers.py   the shop's order-number format (company.yml shop.order_numbers)
    http.py      the one HTTP client of all platform backends (deadline, retries, rate limits)
    registry.py  which backend: company.yml `shop:` + secrets from KD_* variables
    cache.py     the short read cache within one conversation
    ledger.py    the bot's own records next to any shop: verification failures, records created
    demo*.py     the demo shop (SQLAlchemy), the default
    shopware.py  Shopware 6 Admin API
    check.py     `python -m bot.shop check`: credentials and one order, with a clear error

The actions use it only through actions/shop.py.
"""
