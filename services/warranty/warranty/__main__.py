from shared.service import run

from warranty.app import WARRANTY

run(WARRANTY)
