"""The counter's stock and lots screens in Chromium (issue 9, item 4): stock by part, location
and lot, the ledger, a lot with its forward trace and actions, the backward trace of a vehicle.
Every figure on screen is checked against the parts API's own answer, and every action against
the state the API holds afterwards."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import requests
from playwright.sync_api import Locator, Page, expect

from shared.auth import mint
from tests.backoffice import CAMRY_VIN, MAIN, PADS, BackOffice, a_stocked_safety_part, issue
from tests.conftest import ALL

FORBIDDEN_ZH = "您的角色无权执行此操作。"  # problems.SENTENCES["forbidden"] in the zh catalog


def _figures(row: Locator) -> list[Decimal]:
    """On hand, reserved, held back, available of a stock row, as the screen shows them."""
    cells = row.locator("td.num").all_inner_texts()
    return [Decimal(text.replace(",", "")) for text in cells]


def _api_figures(office: BackOffice, lot: str) -> list[Decimal]:
    [balance] = office.get("parts", f"/stock?lot={lot}", "parts_clerk")["items"]
    return [Decimal(balance[name]) for name in ("on_hand", "reserved", "quarantined", "available")]


def test_a_clerk_sees_the_stock_the_api_holds_the_movements_and_the_vehicle_a_lot_went_to(
        desk, office: BackOffice, site, screenshot: Callable[[Page, str], object]):
    lot = a_stocked_safety_part(office)
    page = desk("demo-parts-clerk")

    # Scanned without its hyphen: the catalog's number is found, its lots and totals shown.
    page.goto("/parts/stock")
    page.fill("#part_number", PADS.replace("-", ""))
    page.press("#part_number", "Enter")
    row = page.locator(f"tbody tr[data-lot='{lot}']")
    expect(row).to_have_count(1)
    assert _figures(row) == _api_figures(office, lot) == [10, 0, 0, 10]
    expect(row).to_contain_text("前刹车片")
    expect(row).to_contain_text("B-07")  # the location's bin
    assert _figures(page.locator("tfoot tr")) == [10, 0, 0, 10]
    screenshot(page, "stock")

    # The whole stock as a file, named as the service names it.
    with page.expect_download() as downloading:
        page.click("a[href$='/parts/stock/export']")
    download = downloading.value
    assert download.suggested_filename == "stock.csv"
    exported = open(download.path(), encoding="utf-8-sig").read()
    assert f"{PADS},前刹车片,Front brake pads,{MAIN},{lot}," in exported

    # A movement made through the API is on top of the ledger, linked to its slip.
    slip = issue(office, CAMRY_VIN, "RO-20261207-01", "2")
    [newest] = office.get("parts", f"/ledger?part_number={PADS}&limit=1", "parts_clerk")["items"]
    assert (newest["kind"], newest["reference"], Decimal(newest["on_hand_change"])) == ("issue", slip["number"], -2)
    page.click("#part-movements")
    page.wait_for_url(re.compile(r"/parts/ledger\?part_number="))
    first = page.locator("tbody tr").first
    expect(first).to_have_attribute("data-movement", str(newest["id"]))
    expect(first.locator("td.num").first).to_have_text("-2")
    expect(first.get_by_role("link", name=slip["number"])).to_have_attribute("href", f"/parts/issues/{slip['number']}")
    expect(first).to_contain_text("RO-20261207-01")  # why: the repair order
    screenshot(page, "ledger")

    page.goto(f"/parts/stock?part_number={PADS}")
    assert _figures(page.locator(f"tbody tr[data-lot='{lot}']")) == _api_figures(office, lot) == [8, 0, 0, 8]

    # Forward trace: the lot went to the Camry on that repair order.
    page.goto(f"/parts/lots/{lot}")
    fitted = page.locator(f"tr[data-vin='{CAMRY_VIN}']")
    expect(fitted).to_have_count(1)
    expect(fitted).to_contain_text("RO-20261207-01")
    expect(fitted).to_contain_text(slip["number"])
    screenshot(page, "lot-forward-trace")

    # Backward trace: scan the VIN, see the lot, its supplier batch and receipt; on to the lot.
    page.goto("/parts/trace")
    page.fill("#vin", CAMRY_VIN)
    page.press("#vin", "Enter")
    traced = page.locator(f"tbody tr[data-vin='{CAMRY_VIN}']")
    expect(traced).to_have_count(1)
    expect(traced).to_contain_text("AKB-2611-03")
    expect(traced).to_contain_text(PADS)
    screenshot(page, "trace")
    traced.get_by_role("link", name=lot).click()
    page.wait_for_url(re.compile(rf"/parts/lots/{lot}$"))
    expect(page.locator("h1")).to_contain_text(lot)

    # While this clerk counts the part blind, the service withholds its figures: the screen says
    # so instead of showing blanks or zeros.
    parts = next(service for service in ALL if service.name == "parts")
    own_token = mint(site.infra.settings(parts).jwt_secret, "demo-parts-clerk", office.dealer, ["parts_clerk"])
    opened = requests.post(f"{site.stack.url('parts')}/api/v1/counts", json={"location": MAIN, "part_numbers": [PADS]},
                           headers={"Authorization": f"Bearer {own_token}"}, timeout=30)
    assert opened.status_code == 201, opened.text
    page.goto(f"/parts/stock?part_number={PADS}")
    hidden = page.locator(f"tbody tr[data-lot='{lot}'] td.num")
    expect(hidden).to_have_count(1)
    expect(hidden.locator(".badge.muted")).to_have_attribute("title", re.compile(r"CNT-"))
    assert not re.search(r"\d", hidden.inner_text())
    screenshot(page, "stock-while-counting")


def test_only_a_manager_puts_a_lot_on_hold_and_the_stock_then_shows_it_held_back(
        desk, office: BackOffice, screenshot: Callable[[Page, str], object]):
    lot = a_stocked_safety_part(office)

    # A clerk gets no hold button; a POST made anyway is refused with the service's 403, in words.
    clerk = desk("demo-parts-clerk")
    clerk.goto(f"/parts/lots/{lot}")
    expect(clerk.locator("h1")).to_contain_text(lot)
    expect(clerk.locator("#hold-lot, #release-lot")).to_have_count(0)
    csrf = clerk.locator("input[name=csrf_token]").first.get_attribute("value")
    forced = clerk.request.post(f"/parts/lots/{lot}/hold", form={"csrf_token": csrf, "reason": "recall"})
    assert FORBIDDEN_ZH in forced.text()
    assert office.get("parts", f"/lots/{lot}", "parts_clerk")["on_hold"] is False
    screenshot(clerk, "lot-as-clerk")

    manager = desk("demo-parts-manager")
    manager.goto(f"/parts/lots/{lot}")
    manager.fill("#reason", "Supplier notice AKB-SN-77: friction material out of spec")
    manager.press("#reason", "Enter")
    manager.wait_for_url(re.compile(r"done=hold"))
    held = office.get("parts", f"/lots/{lot}", "parts_manager")
    assert (held["on_hold"], held["hold_reason"]) == (True, "Supplier notice AKB-SN-77: friction material out of spec")
    expect(manager.locator("#done")).to_be_visible()
    expect(manager.locator("#release-lot")).to_have_count(1)
    screenshot(manager, "lot-on-hold")

    # The stock screen, only what is held back: the lot's ten are all held back, none available.
    manager.goto("/parts/stock")
    manager.select_option("#show", "held")
    manager.click("#find-stock")
    row = manager.locator(f"tbody tr[data-lot='{lot}']")
    expect(row).to_have_count(1)
    assert _figures(row) == _api_figures(office, lot) == [10, 0, 10, 0]
    expect(row.locator(".badge.safety")).to_have_count(1)
    screenshot(manager, "stock-held-back")
    manager.select_option("#show", "available")
    manager.click("#find-stock")
    expect(manager.locator(f"tbody tr[data-lot='{lot}']")).to_have_count(0)

    # Releasing it again: the clerk's stock screen shows it available.
    manager.goto(f"/parts/lots/{lot}")
    manager.fill("#reason", "Supplier cleared the batch")
    manager.click("#release-lot")
    manager.wait_for_url(re.compile(r"done=release"))
    assert office.get("parts", f"/lots/{lot}", "parts_manager")["on_hold"] is False
    clerk.goto(f"/parts/stock?part_number={PADS}&show=available")
    assert _figures(clerk.locator(f"tbody tr[data-lot='{lot}']")) == [10, 0, 0, 10]


def test_another_dealers_lot_is_not_found_and_shows_none_of_its_data(
        desk, site, dealer, screenshot: Callable[[Page, str], object]):
    theirs = a_stocked_safety_part(BackOffice(site.stack, site.infra, dealer=f"{dealer}B"))
    page = desk("demo-parts-clerk")  # of this test's dealer
    answer = page.goto(f"/parts/lots/{theirs}")
    assert answer.status == 404
    expect(page.locator(".problem")).to_contain_text(theirs)  # "lot … was not found"
    content = page.content()
    for their_data in ("AKEBONO-CN", "AKB-2611-03", PADS, "92.00"):
        assert their_data not in content
    screenshot(page, "other-dealers-lot")
