from shared.service import run

from parts.app import PARTS

run(PARTS)
