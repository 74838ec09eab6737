"""Settings: every threshold named and documented; YAML overrides; unknown keys refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.deal import Stage
from ae_coach.errors import SettingsError
from ae_coach.inspector.settings import Settings, field_docs, load_settings


def test_every_setting_is_documented_and_labelled() -> None:
    docs = field_docs(Settings)
    for name in Settings.model_fields:
        text = docs.get(name, "")
        assert text, f"{name} has no docstring"
        assert "seed" in text.lower() or "ae-coach default" in text, (
            f"{name}: say whether it is the seed's or an ae-coach default"
        )


def test_seed_numbers_are_the_seeds() -> None:
    s = Settings()
    assert (s.tier1_min_amount, s.tier2_min_amount, s.tier3_min_amount) == (100_000, 50_000, 25_000)


def test_load_partial_overrides_keep_other_defaults(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text("stale_days: {proposal: 5}\nchampion_dark_days: 10\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.stale_days[Stage.PROPOSAL] == 5
    assert settings.stale_days[Stage.DISCOVERY] == 21
    assert settings.champion_dark_days == 10 and settings.slip_count == 2


def test_unknown_key_names_it_and_lists_the_allowed(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text("champion_dark_dayz: 10\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "unknown setting 'champion_dark_dayz'" in message and "champion_dark_days" in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("champion_dark_days: 0\n", "champion_dark_days"),
        ("stale_days: {negotiation: 3}\n", "stale_days"),
        ("commit_required_grades: {budget: 2}\n", "unknown MEDDPICC element 'budget'"),
        ("health_penalty: {severe: 3}\n", "unknown severity 'severe'"),
        ("- a\n- b\n", "must be a mapping"),
        ("a: [\n", "not valid YAML"),
        ("slip_count: 2\nslip_count: 3\n", "duplicate key 'slip_count'"),
        (
            "x: &x [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
            + "".join(f"x{i}: &x{i} [" + ", ".join([f"*x{'' if i == 0 else i - 1}"] * 10) + "]\n" for i in range(5)),
            "more than 100,000 values",
        ),
    ],
)
def test_bad_values_are_settings_errors(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=expected.replace("[", r"\[")):
        load_settings(path)


def test_missing_file_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "nope.yaml")


def test_none_means_defaults() -> None:
    assert load_settings(None) == Settings()


def test_docs_threshold_table_is_current() -> None:
    from ae_coach.inspector.settings import settings_table

    doc = (Path(__file__).resolve().parent.parent / "docs" / "inspector.md").read_text(encoding="utf-8")
    start, end = "<!-- settings-table:start -->\n", "\n<!-- settings-table:end -->"
    current = doc.split(start, 1)[1].split(end, 1)[0]
    assert current == settings_table(), "regenerate with: python -m ae_coach.inspector.settings"


def test_cli_review_refuses_an_unknown_setting_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ae_coach.cli import app, main

    if "review" not in {command.name for command in app.registered_commands}:
        pytest.skip("the review command is not registered yet")
    path = tmp_path / "team.yaml"
    path.write_text("stale_dayz: {proposal: 5}\n", encoding="utf-8")
    deal = Path(__file__).resolve().parent.parent / "examples" / "deals" / "northwind-validation.yaml"
    assert main(["review", str(deal), "--backend", "offline", "--settings", str(path)]) == 2
    assert "unknown setting 'stale_dayz'" in capsys.readouterr().err
