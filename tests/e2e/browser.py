"""Steps the browser tests share."""


def sign_in_on(page, origin: str, username: str, password: str, *, succeed: bool = True):
    """Sign in through the real form, as a person would, and wait for the answer.

    The fields are found by id rather than label so that the step works in whatever
    language the browser asks for. Waiting on the form's own navigation (not just "load
    state", which is already reached on the sign-in page) is what keeps the next step
    from racing the POST: a test that goes on too early lands back on the sign-in page
    and fails far from the cause. ``succeed=False`` is for the tests of refusals.
    """
    page.goto(f"{origin}/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form[action='/login/'] button[type=submit]").click()
    if succeed:
        assert "/login/" not in page.url, (
            f"{username} could not sign in: {page.locator('main').inner_text()}"
        )
    return page
