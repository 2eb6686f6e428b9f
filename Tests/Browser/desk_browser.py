#!/usr/bin/env python3
"""Drives Debian's headless chromium (through chromium-driver and Selenium) over the desk,
as a manager would: signs in by the link's button, reads the list, takes a callback, marks
one done, and writes a screenshot of each page at 390 px and 1280 px wide. Prints what it
saw as one JSON object for the Swift test to check against the store.

    desk_browser.py BASE_URL SIGNIN_PATH SCREENSHOTS DONE_ID TAKE_ID
"""
import json
import sys

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from desk import chromium, click_and_wait


def main(base, signin_path, screenshots, done_id, take_id):
    driver = chromium()
    seen = {}
    try:
        def shots(name):
            for width in (390, 1280):
                driver.set_window_size(width, 900)
                driver.save_screenshot(f"{screenshots}/{name}-{width}.png")
            driver.set_window_size(1280, 900)

        def ids():
            return [int(e.get_attribute("data-callback-id")) for e in driver.find_elements(By.CSS_SELECTOR, "[data-callback-id]")]

        def alert_opened():
            try:
                driver.switch_to.alert
                return True
            except NoAlertPresentException:
                return False

        driver.get(base + signin_path)
        shots("signin")
        seen["signin_buttons"] = len(driver.find_elements(By.CSS_SELECTOR, 'button[name="action"][value="signin"]'))
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, 'button[name="action"][value="signin"]'))
        seen["after_signin_path"] = driver.current_url[len(base):]
        seen["before"] = ids()
        seen["client_names"] = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".client")]
        seen["injected_images"] = len(driver.find_elements(By.CSS_SELECTOR, ".callback img"))
        seen["alert"] = alert_opened()
        seen["tel_links"] = [e.get_attribute("href") for e in driver.find_elements(By.CSS_SELECTOR, ".who a")]
        shots("desk")

        take = driver.find_element(By.CSS_SELECTOR, f'[data-callback-id="{take_id}"] button[value="take"]')
        click_and_wait(driver, take)
        seen["after_take"] = ids()
        seen["take_buttons_left"] = len(driver.find_elements(By.CSS_SELECTOR, f'[data-callback-id="{take_id}"] button[value="take"]'))

        row = driver.find_element(By.CSS_SELECTOR, f'[data-callback-id="{done_id}"]')
        row.find_element(By.NAME, "reason").send_keys("reached on her mobile")
        click_and_wait(driver, row.find_element(By.CSS_SELECTOR, 'button[value="resolve"]'))
        seen["after_done"] = ids()
        seen["alert_at_end"] = alert_opened()
        shots("desk-after")
        driver.get(f"{base}/callbacks/{take_id}")
        seen["story_rows"] = len(driver.find_elements(By.CSS_SELECTOR, ".story tbody tr"))
        shots("callback")
        driver.find_element(By.CSS_SELECTOR, ".story tbody tr a").click()
        seen["legs_rows"] = len(driver.find_elements(By.CSS_SELECTOR, ".legs tbody tr"))
        shots("call")
    finally:
        driver.quit()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
