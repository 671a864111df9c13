"""The attendance day view offline, in a real browser at 360 px: one mark online, three with the
connection down ("3 marks waiting"), the connection back, every mark stored once. Not a pytest test:
this branch has no Playwright; run it like scripts/screenshots.py (Playwright in its own venv,
Debian's Chromium) against a server with the demo data:

    /path/to/venv/bin/python scripts/attendance_offline.py BASE_URL GROUP_CODE DAY_ID
"""

import sys

from playwright.sync_api import sync_playwright

BASE, CODE, DAY = sys.argv[1], sys.argv[2], sys.argv[3]
with sync_playwright() as pw:
    browser = pw.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
    )
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{BASE}/accounts/login/?next=/staff/groups/{CODE}/attendance/?day={DAY}")
    page.fill("input[name=username]", "trainer")
    page.fill("input[name=password]", "bastau-demo-2026")
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    url = f"{BASE}/staff/groups/{CODE}/attendance/?day={DAY}"
    page.goto(url)
    selects = page.locator("td[data-testid=cell] select")
    print("cells", selects.count(), "scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
    page.screenshot(path="day-360.png", full_page=True)
    # online: one mark
    with page.expect_response(lambda r: "/attendance/mark/" in r.url) as resp:
        selects.nth(0).select_option("present")
    print("online mark", resp.value.status)
    page.wait_for_timeout(300)
    # offline: three marks
    ctx.set_offline(True)
    page.locator("td[data-testid=cell] select").nth(1).select_option("late")
    page.wait_for_timeout(300)
    page.locator("td[data-testid=cell] select").nth(2).select_option("absent_unexcused")
    page.wait_for_timeout(300)
    page.locator("td[data-testid=cell] select").nth(3).select_option("absent_excused:illness")
    page.wait_for_timeout(500)
    print(
        "pending:",
        page.locator("#att-pending").inner_text(),
        "| stored:",
        page.evaluate("localStorage.getItem('bastau.attendance.pending')")[:80],
    )
    page.screenshot(path="day-360-offline.png", full_page=True)
    ctx.set_offline(False)
    page.wait_for_timeout(3000)
    print(
        "after online: pending visible:",
        page.locator("#att-pending").is_visible(),
        page.evaluate("localStorage.getItem('bastau.attendance.pending')"),
    )
    page.goto(url)
    kinds = page.locator("td[data-testid=cell]").evaluate_all("els => els.map(e => e.dataset.kind)")
    print("kinds after reload", kinds)
    if kinds[:4] != ["present", "late", "absent_unexcused", "absent_excused"]:
        sys.exit(f"FAILED: the cells hold {kinds}")
    if page.evaluate("localStorage.getItem('bastau.attendance.pending')") != "[]":
        sys.exit("FAILED: marks are still waiting")
    print("page errors (the offline requests are expected):", errors)
    browser.close()
