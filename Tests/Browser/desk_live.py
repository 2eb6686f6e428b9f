#!/usr/bin/env python3
"""The desk live, in headless chromium: signs in, then appends a missed call to the spool's
Master.csv (ringbackd is watching it) and waits for the new callback to show
on the open page without a reload; then resolves it through the CLI and waits for it to
leave. Prints what it saw as one JSON object.

    desk_live.py BASE_URL SIGNIN_PATH MASTER_CSV CSV_LINE NUMBER CLI_JSON
"""
import json
import subprocess
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from desk import LIVE_WAIT, chromium, sign_in


def main(base, signin_path, master_csv, line, number, cli):
    driver = chromium()
    seen = {}
    try:
        sign_in(driver, base, signin_path)
        driver.execute_script("window.notReloaded = true")
        selector = f'.callback a[href="tel:{number}"]'

        with open(master_csv, "a") as spool:
            spool.write(line + "\n")
        appended = time.monotonic()
        WebDriverWait(driver, LIVE_WAIT, poll_frequency=0.05).until(lambda d: d.find_elements(By.CSS_SELECTOR, selector))
        seen["appeared_after_ms"] = round((time.monotonic() - appended) * 1000)
        seen["same_page"] = driver.execute_script("return window.notReloaded === true")
        row = driver.find_element(By.CSS_SELECTOR, selector).find_element(By.XPATH, "ancestor::li")
        callback_id = row.get_attribute("data-callback-id")
        seen["callback_id"] = int(callback_id)

        subprocess.run(json.loads(cli) + ["resolve", callback_id, "--reason", "called from the car"], check=True,
                       stdout=subprocess.DEVNULL)
        resolved = time.monotonic()
        WebDriverWait(driver, LIVE_WAIT, poll_frequency=0.05).until(lambda d: not d.find_elements(By.CSS_SELECTOR, selector))
        seen["left_after_ms"] = round((time.monotonic() - resolved) * 1000)
        seen["still_same_page"] = driver.execute_script("return window.notReloaded === true")
    finally:
        driver.quit()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:7])
