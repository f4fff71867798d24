from shared.service import run

from complaints.app import COMPLAINTS

run(COMPLAINTS)
