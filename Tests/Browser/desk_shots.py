#!/usr/bin/env python3
"""Signs in by the link's button in headless chromium, then writes a screenshot of each
NAME=PATH page at 390 px and 1280 px wide, and prints, as JSON, whether any page opened an
alert or carried an element that a value could have smuggled in.

    desk_shots.py BASE_URL SIGNIN_PATH SCREENSHOTS NAME=PATH ...
"""
import json
import sys

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from desk import chromium, sign_in


def main(base, signin_path, screenshots, pages):
    driver = chromium()
    seen = {"alerts": 0, "pages": {}}
    try:
        sign_in(driver, base, signin_path)
        for page in pages:
            name, path = page.split("=", 1)
            driver.get(base + path)
            for width in (390, 1280):
                driver.set_window_size(width, 900)
                driver.save_screenshot(f"{screenshots}/{name}-{width}.png")
            try:
                driver.switch_to.alert
                seen["alerts"] += 1
            except NoAlertPresentException:
                pass
            seen["pages"][name] = driver.find_element(By.TAG_NAME, "h1").text
    finally:
        driver.quit()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
