from pathlib import Path

import pytest

from camwarden.config import (
    CONFIG_FILE_NAME,
    DATABASE_URL_ENV,
    LoginPolicy,
    default_database_url,
    load_settings,
)
from camwarden.errors import InvalidInput


def write_config(data_dir: Path, content: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / CONFIG_FILE_NAME).write_text(content, encoding="utf-8")


def test_without_a_file_the_defaults_apply(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", {})
    assert settings.data_dir == (tmp_path / "data").resolve()
    assert settings.database_url == f"sqlite:///{settings.data_dir / 'camwarden.db'}"
    assert settings.database_url == default_database_url(settings.data_dir)
    assert settings.login == LoginPolicy()
    assert settings.login.max_failures == 5
    assert settings.login.failure_window_seconds == 30
    assert settings.login.lockout_seconds == 300
    assert settings.default_locale == "vi"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.secrets_dir == settings.data_dir / "secrets"


def test_a_relative_data_folder_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(Path("data"), {}).data_dir == tmp_path.resolve() / "data"


def test_the_file_overrides_the_defaults(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        'database_url = "sqlite:////srv/camwarden/camwarden.db"\n'
        "secure_cookies = true\n"
        "[login]\n"
        "max_failures = 3\n"
        "session_hours = 8\n",
    )
    settings = load_settings(tmp_path, {})
    assert settings.database_url == "sqlite:////srv/camwarden/camwarden.db"
    assert settings.secure_cookies is True
    assert settings.login.max_failures == 3
    assert settings.login.session_hours == 8
    assert settings.login.lockout_seconds == 300


def test_the_environment_database_url_wins_over_the_file(tmp_path: Path) -> None:
    write_config(tmp_path, 'database_url = "sqlite:////from/the/file.db"\n')
    url = "postgresql+psycopg://camwarden@db.example/camwarden"
    assert load_settings(tmp_path, {DATABASE_URL_ENV: url}).database_url == url


def test_an_empty_environment_variable_does_not_override_the_file(tmp_path: Path) -> None:
    write_config(tmp_path, 'database_url = "sqlite:////from/the/file.db"\n')
    settings = load_settings(tmp_path, {DATABASE_URL_ENV: ""})
    assert settings.database_url == "sqlite:////from/the/file.db"


@pytest.mark.parametrize(
    ("content", "key", "section"),
    [
        ('databse_url = "sqlite://"\n', "databse_url", "top level"),
        ("data_dir = '/etc'\n", "data_dir", "top level"),
        ("[login]\nmax_failure = 3\n", "max_failure", "login"),
    ],
)
def test_an_unknown_setting_is_refused_by_name(
    tmp_path: Path, content: str, key: str, section: str
) -> None:
    write_config(tmp_path, content)
    with pytest.raises(InvalidInput) as caught:
        load_settings(tmp_path, {})
    assert caught.value.params["key"] == key
    assert caught.value.params["section"] == section
    assert f"'{key}'" in str(caught.value)


def test_a_file_that_is_not_toml_is_refused_with_its_path(tmp_path: Path) -> None:
    write_config(tmp_path, "database_url = \n")
    with pytest.raises(InvalidInput) as caught:
        load_settings(tmp_path, {})
    assert CONFIG_FILE_NAME in str(caught.value)


def test_a_setting_of_the_wrong_type_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "camwarden.toml").write_text('[login]\nmax_failures = "five"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="max_failures"):
        load_settings(tmp_path, {})
    (tmp_path / "camwarden.toml").write_text("[login]\nmax_failures = true\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="must be of type int"):
        load_settings(tmp_path, {})


def test_a_login_setting_that_is_not_a_table_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "camwarden.toml").write_text('login = "x"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"\[login\].*must be a table"):
        load_settings(tmp_path, {})


def test_retention_settings_have_defaults_and_take_a_whole_number_as_a_margin(
    tmp_path: Path,
) -> None:
    defaults = load_settings(tmp_path / "empty", {})
    assert (defaults.review_period_days, defaults.retention_check_seconds) == (15, 60)
    assert defaults.free_margin_gb == 10.0
    write_config(tmp_path, "free_margin_gb = 3\nreview_period_days = 30\n")
    settings = load_settings(tmp_path, {})
    assert settings.free_margin_gb == 3.0 and isinstance(settings.free_margin_gb, float)
    assert settings.review_period_days == 30
    write_config(tmp_path, "free_margin_gb = 0.5\n")
    assert load_settings(tmp_path, {}).free_margin_gb == 0.5


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("free_margin_gb = true\n", "must be of type float"),
        ('free_margin_gb = "5"\n', "must be of type float"),
        ("review_period_days = 7.5\n", "must be of type int"),
        ("free_margin_gb = -1.0\n", "must be at least 0"),
        ("review_period_days = 0\n", "must be at least 1"),
        ("retention_check_seconds = 0\n", "must be at least 1"),
    ],
)
def test_a_retention_setting_out_of_type_or_range_is_refused_by_name(
    tmp_path: Path, content: str, says: str
) -> None:
    write_config(tmp_path, content)
    with pytest.raises(InvalidInput, match=says) as caught:
        load_settings(tmp_path, {})
    assert caught.value.params["key"] == content.split(" ")[0]
