"""Serve the fake Shopify, WooCommerce and DHL APIs with the demo orders, to try a backend by hand:

    .venv-rasa/bin/python -m tests.fakes_shop shopify      # or woocommerce, dhl

It prints the environment that points the bot at the fake (plus DHL tracking), then serves
until Ctrl-C. Ports are free ones on 127.0.0.1. Nothing here is for production.
"""

from __future__ import annotations

import sys
import time
from contextlib import ExitStack

from tests.fakes_shop.base import serving_in_thread
from tests.fakes_shop.dhl import FakeDhl
from tests.fakes_shop.shopify import FakeShopify
from tests.fakes_shop.woocommerce import FakeWooCommerce


def main(argv: list[str]) -> int:
    platform = argv[0] if argv else ""
    if platform not in ("shopify", "woocommerce", "dhl"):
        print(__doc__)
        return 2
    with ExitStack() as stack:
        dhl = stack.enter_context(serving_in_thread(FakeDhl()))
        env = {"KD_DHL_API_KEY": dhl.api_key, "KD_DHL_API_URL": dhl.url}
        if platform == "shopify":
            shop = stack.enter_context(serving_in_thread(FakeShopify()))
            env |= {
                "KD_SHOP_BACKEND": "shopify",
                "KD_SHOP_URL": shop.url,
                "KD_SHOPIFY_ACCESS_TOKEN": shop.token,
            }
        elif platform == "woocommerce":
            woo = stack.enter_context(serving_in_thread(FakeWooCommerce()))
            env |= {
                "KD_SHOP_BACKEND": "woocommerce",
                "KD_SHOP_URL": woo.url,
                "KD_WOOCOMMERCE_CONSUMER_KEY": woo.key,
                "KD_WOOCOMMERCE_CONSUMER_SECRET": woo.secret,
            }
        for key, value in env.items():
            print(f"export {key}={value}")
        sys.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
