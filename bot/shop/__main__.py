"""`python -m bot.shop check`: see bot/shop/check.py."""

import sys

from bot.shop.check import main

sys.exit(main(sys.argv[1:]))
