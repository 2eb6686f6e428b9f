#!/usr/bin/env python3
"""The spec's live figure (§8.3: on an open page within 2 s, without a reload), in headless
chromium: a manager signs in; then SAMPLES times, each measured alone, a missed call from a
new number is appended to the spool's Master.csv (ringbackd is watching it) until its
callback shows on her open page, and the CLI resolves it until it has left. The page keeps
one size throughout. A first call, not counted, waits for ringbackd to have started. Prints
both lists of milliseconds as one JSON object.

    page_latency.py BASE_URL SIGNIN_PATH MASTER_CSV ROW_TEMPLATE SAMPLES CLI_JSON

ROW_TEMPLATE is a cdr_csv row with {number}, {id}, {start} and {end} in it; the call is
written as the PBX writes it, ended 5 s before it is appended.
"""
import datetime
import json
import subprocess
import sys
import time
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from desk import LIVE_WAIT, chromium, sign_in

PBX_ZONE = zoneinfo.ZoneInfo("Europe/Moscow")


def row(template, index):
    now = datetime.datetime.now(PBX_ZONE)
    moment = lambda ago: (now - datetime.timedelta(seconds=ago)).strftime("%Y-%m-%d %H:%M:%S")
    values = {"{number}": f"89036{index:06d}", "{id}": f"{int(time.time())}.{index:06d}",
              "{start}": moment(25), "{end}": moment(5)}
    for marker, value in values.items():
        template = template.replace(marker, value)
    return template


def main(base, signin_path, master_csv, template, samples, cli):
    driver = chromium()
    seen = {"appeared_ms": [], "left_ms": []}
    try:
        sign_in(driver, base, signin_path)
        driver.execute_script("window.notReloaded = true")
        wait = lambda condition: WebDriverWait(driver, LIVE_WAIT, poll_frequency=0.01).until(condition)
        for index in range(int(samples) + 1):
            selector = f'.callback a[href="tel:+79036{index:06d}"]'
            with open(master_csv, "a") as spool:
                spool.write(row(template, index) + "\n")
            appended = time.monotonic()
            wait(lambda d: d.find_elements(By.CSS_SELECTOR, selector))
            appeared_ms = (time.monotonic() - appended) * 1000
            callback_id = driver.find_element(By.CSS_SELECTOR, selector).find_element(By.XPATH, "ancestor::li") \
                .get_attribute("data-callback-id")
            subprocess.run(json.loads(cli) + ["resolve", callback_id, "--reason", "benchmark"], check=True,
                           stdout=subprocess.DEVNULL)
            resolved = time.monotonic()
            wait(lambda d: not d.find_elements(By.CSS_SELECTOR, selector))
            if index > 0:
                seen["appeared_ms"].append(appeared_ms)
                seen["left_ms"].append((time.monotonic() - resolved) * 1000)
        seen["same_page"] = driver.execute_script("return window.notReloaded === true")
    finally:
        driver.quit()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:7])
