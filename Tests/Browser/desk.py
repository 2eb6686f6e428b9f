"""What the browser scripts share: Debian's chromium, headless, through its chromium-driver,
and the desk's sign-in by a link's button."""
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

# How long a live test waits for a change to show: a bound on a fact, not the spec's 2 s,
# which is a performance target measured alone by scripts/bench-latency.sh (page_latency.py).
# The test run loads the machine with six tests at once and a release build beside them.
LIVE_WAIT = 20


def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def click_and_wait(driver, button):
    """A form's button: waits for the page it posts to (a new document, loaded), never on a
    clock. The old document is marked; the new one has no mark."""
    driver.execute_script("window.leaving = true")
    button.click()
    WebDriverWait(driver, 30, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.execute_script("return window.leaving !== true && document.readyState === 'complete'"))


def sign_in(driver, base, signin_path):
    driver.get(base + signin_path)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, 'button[name="action"][value="signin"]'))
