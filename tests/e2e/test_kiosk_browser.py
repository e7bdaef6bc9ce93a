"""The kiosk in headless Chromium with touch: stories, a note, the idle reset, no way out."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, expect

from kek_geo.notes.model import make_note
from kek_geo.notes.places import GemeindeLocator
from kek_geo.settings import Settings
from kek_geo.snapshot import Snapshot
from kek_geo.storage import open_note_store
from kek_geo.ui.mapview import FRAME_TITLE
from tests.e2e.conftest import ARTIFACTS, free_port, start_server, wait_healthy
from tests.helpers import ROOT

pytestmark = pytest.mark.e2e
TIMEOUT = 30_000
IDLE_S = 5
START_TITLE = "Kreis Herford 2040 – Ihre Meinung zählt"
PAYLOAD = "<img src=x onerror=\"document.title='pwned'\"> Radweg fehlt"


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A kiosk server with a short idle time and its own database folder."""
    data = tmp_path_factory.mktemp("kiosk-data")
    port = free_port()
    proc = start_server(
        port,
        env={"KEK_MODE": "kiosk", "KEK_KIOSK_IDLE_S": str(IDLE_S), "KEK_DATA_DIR": str(data)},
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    yield url, data
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def touch(browser: Browser, kiosk: tuple[str, Path]) -> Iterator[tuple[Page, list[str]]]:
    """A portrait touch screen (1080×1920) recording every request that leaves the kiosk."""
    url = kiosk[0]
    context: BrowserContext = browser.new_context(
        viewport={"width": 1080, "height": 1920}, has_touch=True
    )
    page = context.new_page()
    outside: list[str] = []

    def record(address: str) -> None:
        if not address.startswith((url, url.replace("http", "ws", 1), "data:", "blob:", "about:")):
            outside.append(address)

    page.on("request", lambda r: record(r.url))
    page.on("websocket", lambda ws: record(ws.url))
    page.on("popup", lambda p: outside.append(f"popup {p.url}"))
    yield page, outside
    context.close()


def map_frame(page: Page) -> FrameLocator:
    return page.frame_locator(f"iframe[title='{FRAME_TITLE}']").first


def start_screen(page: Page) -> None:
    expect(page.get_by_role("heading", name=START_TITLE)).to_be_visible(timeout=TIMEOUT)


def count_small_buttons(page: Page) -> int:
    """Visible buttons (pills included) under 48 px wide or high."""
    return int(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('button')).filter(b => b.offsetParent)
                .map(b => b.getBoundingClientRect())
                .filter(r => r.width < 48 || r.height < 48).length"""
        )
    )


#: Visible text whose contrast with its background is below WCAG AA (4.5:1, large text 3:1).
LOW_CONTRAST_JS = """() => {
    const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
    const lum = c => {
        const [r, g, b] = c.slice(0, 3).map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = el => {
        for (let e = el; e; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { return c; }
        }
        return [255, 255, 255];
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own || !el.offsetParent) { continue; }
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || Number(style.opacity) === 0) { continue; }
        const fg = rgba(style.color), bg = background(el);
        const a = fg.length === 4 ? fg[3] : 1;
        const mixed = fg.slice(0, 3).map((v, i) => v * a + bg[i] * (1 - a));
        const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
        const ratio = (hi + 0.05) / (lo + 0.05);
        const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
        const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        if (ratio < need) { out.push([el.textContent.trim().slice(0, 40), ratio.toFixed(2)]); }
    }
    return out;
}"""


def assert_start_screen_for_touch(page: Page) -> None:
    """No Streamlit chrome to reach, big buttons, readable text, the cards in rows."""
    questions = page.get_by_test_id("stBaseButton-primary")
    expect(questions.first).to_be_visible(timeout=TIMEOUT)
    for test_id in ("stToolbar", "stMainMenu", "stSidebar", "stAppDeployButton"):
        assert not page.get_by_test_id(test_id).is_visible(), test_id
    assert count_small_buttons(page) == 0  # every button at least 48 px in both directions
    assert page.evaluate(LOW_CONTRAST_JS) == []
    # the question cards stand two a row, their buttons side by side at the cards' foot
    feet = [round(box["y"] + box["height"]) for b in questions.all() if (box := b.bounding_box())]
    assert len(feet) >= 2
    assert all(abs(a - b) <= 1 for a, b in zip(feet[::2], feet[1::2], strict=False)), feet


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"kiosk-{name}.png"))


def test_a_visitor_reads_a_story_and_leaves_a_note(
    touch: tuple[Page, list[str]], kiosk: tuple[str, Path]
) -> None:
    page, outside = touch
    url, data = kiosk
    page.goto(url)
    start_screen(page)
    assert_start_screen_for_touch(page)
    shot(page, "start")

    page.get_by_role("button", name="Wo fehlt schnelles Internet?").tap()
    expect(page.get_by_role("heading", name="Wo fehlt schnelles Internet?")).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_text("64,6 %").first).to_be_visible()
    expect(map_frame(page).locator("path.leaflet-interactive").first).to_be_attached(
        timeout=TIMEOUT
    )
    zoom = map_frame(page).locator(".leaflet-control-zoom-in").bounding_box()
    assert zoom is not None and zoom["width"] >= 48 and zoom["height"] >= 48
    assert page.evaluate(LOW_CONTRAST_JS) == []
    shot(page, "story")

    page.get_by_role("button", name="Hinweis zu diesem Thema geben").tap()
    expect(page.get_by_role("heading", name="Hinweis geben")).to_be_visible(timeout=TIMEOUT)
    container = map_frame(page).locator(".leaflet-container")
    expect(container).to_be_visible(timeout=TIMEOUT)
    box = container.bounding_box()
    assert box is not None
    container.tap(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.get_by_text("Gewählter Ort:")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("radio", name="Idee/Chance").tap()  # theme: the story's (Digitalisierung)
    assert page.get_by_role("radio", name="Digitalisierung").get_attribute("aria-checked") == "true"
    assert count_small_buttons(page) == 0
    assert page.evaluate(LOW_CONTRAST_JS) == []
    page.get_by_label("4. Ihr Hinweis").fill(PAYLOAD)
    page.get_by_role("heading", name="Hinweis geben").tap()  # leave the text field
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Hinweis absenden").tap()
    expect(page.get_by_text("Danke! Ihr Hinweis ist angekommen.")).to_be_visible(timeout=TIMEOUT)
    shot(page, "thanks")
    assert page.title() != "pwned"

    store = open_note_store(Settings(geodata_dir=ROOT / "geodata", raw_dir=data, data_dir=data))
    try:
        (note,) = store.list()
    finally:
        store.engine.dispose()
    assert (note.theme, note.kind, note.status, note.text) == (
        "digitalisierung", "idee", "neu", PAYLOAD,
    )  # fmt: skip
    assert note.gemeinde_ags.startswith("05758")

    # the visitor switches to English and walks away: the kiosk starts again, in German
    page.get_by_role("button", name="English").tap()
    expect(page.get_by_role("heading", name="Leave a note")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(IDLE_S * 1000 + 2500)
    start_screen(page)
    assert page.evaluate("location.pathname") == "/"
    shot(page, "after-reset")
    assert outside == []


def test_nothing_outside_the_kiosk_can_be_reached(
    touch: tuple[Page, list[str]], kiosk: tuple[str, Path]
) -> None:
    page, outside = touch
    url, data = kiosk
    for path in ("szenario-bearbeiten", "szenarien", "moderation", "daten", "uebersicht"):
        page.goto(f"{url}/{path}")
        start_screen(page)
        assert page.get_by_role("heading", name="Szenario bearbeiten").count() == 0
        page.wait_for_timeout(1000)
        # Streamlit's "Page not found" dialog is in the page, but the kiosk never shows it
        assert not page.get_by_text("Page not found").is_visible()
        assert page.get_by_test_id("stFileUploader").count() == 0
    page.goto(f"{url}/?embed_options=show_toolbar&szenario=x")
    start_screen(page)
    assert not page.get_by_test_id("stMainMenu").is_visible()

    approved = make_note(
        lon=8.6706, lat=52.1152, theme="mobilitaet", kind="staerke", text=PAYLOAD,
        status="freigegeben", locate=GemeindeLocator(Snapshot(ROOT / "geodata").geo("gemeinden")),
    )  # fmt: skip
    store = open_note_store(Settings(geodata_dir=ROOT / "geodata", raw_dir=data, data_dir=data))
    try:
        store.add(approved)
    finally:
        store.engine.dispose()
    page.get_by_role("button", name="Hinweise anderer ansehen").tap()
    frame = map_frame(page)
    marker = frame.locator("path.leaflet-interactive").first
    expect(marker).to_be_attached(timeout=TIMEOUT)  # the approved note, drawn by the cluster
    marker.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Radweg fehlt", timeout=TIMEOUT)
    assert PAYLOAD in popup.inner_text()  # shown as the characters typed
    assert popup.locator("img").count() == 0 and page.title() != "pwned"
    assert page.evaluate(LOW_CONTRAST_JS) == []
    shot(page, "notes")
    links = page.evaluate(
        """() => {
            const docs = [document, ...Array.from(document.querySelectorAll('iframe'))
                .map(f => { try { return f.contentDocument; } catch (e) { return null; } })];
            return docs.filter(Boolean).flatMap(d => Array.from(d.querySelectorAll('a[href]')))
                .map(a => new URL(a.getAttribute('href'), a.ownerDocument.baseURI))
                .filter(u => u.origin !== location.origin).map(u => u.href);
        }"""
    )
    assert links == []  # credits are plain text; nothing leads to another site
    opened = page.evaluate("window.open('https://example.org') === null")
    assert opened
    # no long-press menu ("search the web", "open in new tab"), in the page or in the map
    menu = """() => { const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true});
                     document.body.dispatchEvent(e); return e.defaultPrevented; }"""
    assert page.evaluate(menu)
    assert frame.locator("body").evaluate(menu.replace("() =>", "(body) =>"))
    assert outside == []


def test_a_tap_on_the_map_chooses_the_place(
    touch: tuple[Page, list[str]], kiosk: tuple[str, Path]
) -> None:
    """The map frame reports the tapped municipality (its feature) to the page."""
    page, outside = touch
    page.goto(f"{kiosk[0]}/mein-ort")
    frame = map_frame(page)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    container = frame.locator(".leaflet-container")
    box = container.bounding_box()
    assert box is not None
    assert page.get_by_role("heading", level=2).count() == 0
    container.tap(position={"x": box["width"] / 2, "y": box["height"] / 2})
    nine = "Bünde|Enger|Herford|Hiddenhausen|Kirchlengern|Löhne|Rödinghausen|Spenge|Vlotho"
    chosen = page.get_by_role("heading", level=2, name=re.compile(f"^({nine})$"))
    expect(chosen).to_be_visible(timeout=TIMEOUT)
    assert outside == []
