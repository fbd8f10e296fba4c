"""Without a Chromium, the browser tests are skipped and say why."""

from tests.browser.conftest import CHROMIUM_ENV, find_chromium


def test_an_override_that_is_not_a_binary_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "chromium"))

    path, reason = find_chromium()

    assert path is None
    assert CHROMIUM_ENV in reason
    assert "not an executable file" in reason


def test_without_any_chromium_the_reason_says_how_to_get_one(monkeypatch):
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    monkeypatch.setattr("shutil.which", lambda name: None)

    path, reason = find_chromium()

    assert path is None
    assert "chromium" in reason
    assert CHROMIUM_ENV in reason
