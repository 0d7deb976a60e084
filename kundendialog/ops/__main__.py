import sys

from kundendialog.ops.cli import main

sys.exit(main())
