"""The typed environment readers: pure, no database."""

import pytest

from csplatform.env import ConfigError, Env


def test_missing_required_variable_names_it_in_one_line():
    with pytest.raises(ConfigError) as error:
        Env({}).str("SECRET_KEY", required_because="CSPLATFORM_ENV is production")
    message = str(error.value.code)
    assert "SECRET_KEY" in message
    assert "production" in message
    assert "\n" not in message


def test_blank_value_counts_as_missing():
    with pytest.raises(ConfigError):
        Env({"SECRET_KEY": "   "}).str("SECRET_KEY")
    assert Env({"X": " "}).str("X", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("off", False), ("No", False)]
)
def test_bool_reads_common_spellings(raw, expected):
    assert Env({"DEBUG": raw}).bool("DEBUG", default=not expected) is expected


def test_bool_rejects_nonsense():
    with pytest.raises(ConfigError, match="DEBUG"):
        Env({"DEBUG": "maybe"}).bool("DEBUG", default=False)


def test_int_checks_type_and_minimum():
    assert Env({"N": "12"}).int("N", 1) == 12
    with pytest.raises(ConfigError, match="whole number"):
        Env({"N": "twelve"}).int("N", 1)
    with pytest.raises(ConfigError, match="at least 1"):
        Env({"N": "0"}).int("N", 5, minimum=1)


def test_list_splits_and_trims():
    assert Env({"HOSTS": "a.example, b.example ,"}).list("HOSTS") == ["a.example", "b.example"]
    assert Env({}).list("HOSTS", ["localhost"]) == ["localhost"]


def test_choice_is_case_insensitive_and_strict():
    assert (
        Env({"MODE": "Production"}).choice("MODE", ["development", "production"], "development")
        == "production"
    )
    with pytest.raises(ConfigError, match="one of"):
        Env({"MODE": "staging"}).choice("MODE", ["development", "production"], "development")


def test_database_url_is_parsed_and_bad_scheme_rejected():
    config = Env({"DATABASE_URL": "postgres://u:p@db.internal:5433/cs"}).database("DATABASE_URL")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "cs")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        Env({"DATABASE_URL": "nosuchdb://x"}).database("DATABASE_URL")


GOOD_KEY = "x7#k2!vq9@m4$zr8^tp1&wd6*hs3(yf5)ne0_lb-jc+gu=oa~ix%qe<ry>tz"


def test_secret_key_meets_djangos_own_rule():
    assert Env({"SECRET_KEY": GOOD_KEY}).secret_key("SECRET_KEY") == GOOD_KEY
    for weak in ("abcde", GOOD_KEY[:49], "ab" * 30, "django-insecure-" + GOOD_KEY):
        with pytest.raises(ConfigError) as error:
            Env({"SECRET_KEY": weak}).secret_key("SECRET_KEY")
        message = str(error.value.code)
        assert message.count("\n") == 0
        assert "SECRET_KEY" in message
        assert weak not in message


def test_filemail_writes_to_the_absolute_directory_it_names():
    config = Env({"EMAIL_URL": "filemail:////var/mail/cs"}).email("EMAIL_URL", "consolemail://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["EMAIL_FILE_PATH"] == "/var/mail/cs"
    # Three slashes would be a path relative to wherever the process runs; none, nowhere.
    for url in ("filemail:///var/mail/cs", "filemail://"):
        with pytest.raises(ConfigError, match="EMAIL_URL must name an absolute directory"):
            Env({"EMAIL_URL": url}).email("EMAIL_URL", "consolemail://")
