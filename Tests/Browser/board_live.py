#!/usr/bin/env python3
"""The head's pages live, in headless chromium: the head signs in and opens three windows,
the board (/), /alerts and the office wallboard; then a missed call is appended to the
spool's Master.csv (ringbackd is watching it). Without a reload, its alert
shows on /alerts, its callback in the board's unassigned queue, and the missed-calls figure
goes up by one on the board and the wallboard. Prints what it saw as one JSON object.

    board_live.py BASE_URL SIGNIN_PATH WALLBOARD_PATH MASTER_CSV CSV_LINE NUMBER
"""
import json
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from desk import LIVE_WAIT, chromium, sign_in


def missed_figure(driver):
    return int(driver.find_element(By.CSS_SELECTOR, ".figures .value").text)


def main(base, signin_path, wallboard_path, master_csv, line, number):
    driver = chromium()
    seen = {}
    try:
        sign_in(driver, base, signin_path)
        windows = {"board": driver.current_window_handle}
        for name, path in (("alerts", "/alerts"), ("wallboard", wallboard_path)):
            driver.switch_to.new_window("tab")
            driver.get(base + path)
            windows[name] = driver.current_window_handle
        before = {}
        for name, handle in windows.items():
            driver.switch_to.window(handle)
            WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState === 'complete'"))
            driver.execute_script("window.notReloaded = true")
            if name != "alerts":
                before[name] = missed_figure(driver)

        with open(master_csv, "a") as spool:
            spool.write(line + "\n")
        appended = time.monotonic()
        tel = f'a[href="tel:{number}"]'
        checks = {
            "alerts": lambda d: d.find_elements(By.CSS_SELECTOR, f"[data-alert-id] {tel}"),
            "board": lambda d: d.find_elements(By.CSS_SELECTOR, f".callback {tel}") and missed_figure(d) == before["board"] + 1,
            "wallboard": lambda d: missed_figure(d) == before["wallboard"] + 1,
        }
        for name, check in checks.items():
            driver.switch_to.window(windows[name])
            left = max(0.05, LIVE_WAIT - (time.monotonic() - appended))
            WebDriverWait(driver, left, poll_frequency=0.05).until(check)
            seen[name + "_after_ms"] = round((time.monotonic() - appended) * 1000)
            seen[name + "_same_page"] = driver.execute_script("return window.notReloaded === true")
    finally:
        driver.quit()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:7])
