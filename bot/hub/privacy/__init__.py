"""Data protection: export and erasure of a customer's data across every store, retention, chat end.

The stores: the hub database (bot.hub.store), Rasa's tracker store (`tracker`, opened with
SQLAlchemy from the hub: the hub never imports Rasa) and the demo shop's records the bot created
(`shop`). `service.Privacy` ties them together; `bot.hub.housekeeping` runs the retention.
"""
