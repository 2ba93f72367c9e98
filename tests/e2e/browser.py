"""Steps the browser tests share."""


def sign_in_on(page, origin: str, username: str, password: str):
    """Sign in through the real form, as a person would."""
    page.goto(f"{origin}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page
