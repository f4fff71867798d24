import sys

from shared.service import run

from complaints.app import COMPLAINTS
from complaints.learning import COMMANDS, main

if sys.argv[1:2] and sys.argv[1] in COMMANDS:
    sys.exit(main(sys.argv[1:]))
run(COMPLAINTS)
