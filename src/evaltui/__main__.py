import sys

from evaltui.cli import main

sys.exit(main())
