"""How a printed document reads on its paper, measured on the page."""

from __future__ import annotations

from playwright.sync_api import Page

_LINES = """elements => Object.fromEntries(elements.map(element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return [element.innerText, new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size];
}).filter(([, lines]) => lines > 1))"""

# True when the element is no wider than its parent's content (the page's text width).
WITHIN_THE_PAGE = """element => {
    const parent = element.parentElement, style = getComputedStyle(parent);
    const content = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return element.getBoundingClientRect().width <= content + 0.5;
}"""


def broken_across_lines(page: Page, selector: str) -> dict[str, int]:
    """The texts of the elements `selector` finds that take more than one line, with how many."""
    return page.locator(selector).evaluate_all(_LINES)
