"""The command line as a user runs it: exit codes, messages, --errors-out, languages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamroots.cli.app import make_app
from teamroots.i18n import set_language
from tests.factories import TEAMS, UNITS, record_rows, write_csv

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


@pytest.fixture
def run(sqlite_settings, monkeypatch):
    monkeypatch.setenv("TEAMROOTS_DATABASE_URL", sqlite_settings.database_url)
    runner = CliRunner()

    def invoke(*args: str, lang: str = "en"):
        set_language(lang)
        return runner.invoke(make_app(), list(args))

    return invoke


def test_init_then_census_of_an_empty_database(run):
    result = run("init")
    assert result.exit_code == 0 and "schema revision" in result.output
    result = run("census")
    assert result.exit_code == 0 and "teamroots demo" in result.output


def test_uninitialised_database_says_run_init(tmp_path, monkeypatch, db):
    monkeypatch.setenv("TEAMROOTS_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    result = CliRunner().invoke(make_app(), ["census"])
    assert result.exit_code == 2 and "teamroots init" in result.output


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_refused_setting_is_named_with_its_value_and_why(run, monkeypatch, lang):
    monkeypatch.setenv("TEAMROOTS_REMIND_EVERY_MINUTES", "7")
    result = run("--lang", lang, "worker")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "TEAMROOTS_REMIND_EVERY_MINUTES=7" in result.output
    assert ("divisor of 60" if lang == "en" else "60 的约数") in result.output
    monkeypatch.setenv("TEAMROOTS_REMIND_EVERY_MINUTES", "10")
    monkeypatch.setenv("TEAMROOTS_SESSION_IDLE_MINUTES", "0")
    result = run("census")
    assert result.exit_code == 2 and "TEAMROOTS_SESSION_IDLE_MINUTES=0" in result.output


def test_import_export_and_the_census(run, tmp_path):
    assert run("import", "units", str(write_csv(tmp_path / "u.csv", UNITS))).exit_code == 0
    result = run("import", "teams", str(write_csv(tmp_path / "t.csv", TEAMS)))
    assert result.exit_code == 0 and "3 new" in result.output
    result = run("import", "teams", str(tmp_path / "t.csv"))
    assert "0 new, 0 changed, 3 unchanged" in result.output
    result = run("export", "teams", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 0 and "3 rows written" in result.output
    result = run("census")
    assert "BF1-S1" in result.output and "Teams" in result.output


def test_bad_rows_exit_2_with_every_problem(run, tmp_path):
    run("import", "units", str(write_csv(tmp_path / "u.csv", UNITS)))
    run("import", "teams", str(write_csv(tmp_path / "t.csv", TEAMS)))
    rows = list(record_rows(1000))
    rows[10] = (rows[10][0], "31/02/2024", *rows[10][2:])
    rows[20] = ("T404", *rows[20][1:])
    rows[30] = (*rows[30][:6], "2.5", rows[30][7])
    path = write_csv(tmp_path / "r.csv", rows)
    out = tmp_path / "problems.csv"
    result = run("import", "records", str(path), "--errors-out", str(out))
    assert result.exit_code == 2
    for row, column in (("11", "date"), ("21", "team"), ("31", "incidents")):
        assert row in result.output and column in result.output
    with out.open(encoding="utf-8-sig") as fh:
        written = list(csv.DictReader(fh))
    assert [(p["row"], p["column"]) for p in written] == [
        ("11", "date"), ("21", "team"), ("31", "incidents")]
    assert all(p["file"] == str(path) and p["expected"] for p in written)
    assert "0 from" in run("census").output


def test_dry_run_and_mapping_example(run, tmp_path):
    run("import", "units", str(write_csv(tmp_path / "u.csv", UNITS)))
    args = ("import", "records", str(EXAMPLES / "garment_records.csv"),
            "--mapping", str(EXAMPLES / "garment_mapping.toml"))
    result = run(*args, "--dry-run")
    assert result.exit_code == 0 and "Dry run" in result.output
    result = run(*args)
    assert result.exit_code == 0 and "88 new" in result.output and "22 teams" in result.output
    assert "88 unchanged" in run(*args).output


def test_unknown_kind_and_missing_file(run, tmp_path):
    result = run("import", "widgets", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "Unknown import kind 'widgets'" in result.output
    result = run("import", "units", str(tmp_path / "missing.csv"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_chinese_messages(run, tmp_path):
    run("import", "units", str(write_csv(tmp_path / "u.csv", UNITS)), lang="zh-CN")
    result = run("import", "teams", str(write_csv(tmp_path / "t.csv", TEAMS)), lang="zh-CN")
    assert result.exit_code == 0
    assert "新增" in result.output
    result = run("import", "widgets", "x.csv", lang="zh-CN")
    assert "错误" in result.output


def test_demo_assess_json_and_report(run, tmp_path):
    import json

    assert run("demo", "--teams", "12", "--days", "40").exit_code == 0
    result = run("assess")
    assert result.exit_code == 0 and "Tiers per unit" in result.output
    assert "Stored as review 1" in result.output
    result = run("assess", "--json", "--no-save")
    doc = json.loads(result.stdout)
    assert doc["review_id"] is None and len(doc["teams"]) == 12
    assert {"team", "unit", "tier", "score", "rank_in_plant", "rank_in_unit", "kpis", "criteria",
            "diagnosis", "move_up"} <= set(doc["teams"][0])
    out = tmp_path / "r.html"
    result = run("report", "--out", str(out))
    assert result.exit_code == 0 and out.exists() and "<svg" in out.read_text(encoding="utf-8")
    result = run("report", "--out", str(out), lang="zh-CN")
    assert "报告已写入" in result.output and 'lang="zh-CN"' in out.read_text(encoding="utf-8")


def test_assess_errors(run, tmp_path):
    assert run("assess").exit_code == 2  # no teams yet
    assert "teamroots assess" in run("report").output
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[[criteria]]\nname = "a"\nkpi = "speed"\n', encoding="utf-8")
    run("demo", "--teams", "3", "--days", "10")
    result = run("assess", "--rubric", str(bad))
    assert result.exit_code == 2 and "criteria[1].kpi" in result.output
    result = run("assess", "--as-of", "yesterday")
    assert result.exit_code == 2 and "--as-of yesterday" in result.output


def test_plan_leaders_and_approve(run):
    import json

    run("demo", "--teams", "10", "--days", "30")
    run("assess")
    result = run("plan", "leaders", "--time-limit", "10")
    assert result.exit_code == 0 and "Leadership plan 1" in result.output
    assert "teamroots approve 1 --by NAME" in result.output
    doc = json.loads(run("plan", "leaders", "--json", "--no-save").stdout)
    assert doc["kind"] == "leaders" and len(doc["decisions"]) == 10
    result = run("approve", "1", "--by", "Li Ming")
    assert result.exit_code == 0 and "approved by Li Ming" in result.output
    result = run("approve", "1", "--by", "Li Ming")
    assert result.exit_code == 2 and "only a proposed plan" in result.output


def test_lang_option_is_read_before_the_help_is_built():
    from teamroots.cli.app import language_from

    assert language_from(["--lang", "zh-CN", "--help"]) == "zh-CN"
    assert language_from(["--lang=zh-CN", "census"]) == "zh-CN"
    assert language_from(["census"]) is None


def test_training_and_links_plans_from_the_command_line(run, tmp_path):
    import json

    run("demo", "--teams", "12", "--days", "30")
    result = run("plan", "links")
    assert result.exit_code == 2 and "teamroots assess" in result.output
    run("assess")
    dates = "2031-03-03,2031-03-10,2031-03-17,2031-03-24,2031-03-31"
    result = run("plan", "training", "--dates", dates)
    assert result.exit_code == 0 and "Training plan 1" in result.output
    assert "2031-03-31" in result.output and "teamroots approve 1 --by NAME" in result.output
    result = run("plan", "training", "--batches", "2", "--dates", "2031-03-03")
    assert result.exit_code == 2 and "--batches 2 but 1 dates" in result.output
    result = run("plan", "training", "--dates", "2031-03-10,2031-03-03")
    assert result.exit_code == 2 and "increasing order" in result.output
    result = run("plan", "training", "--dates", "next week")
    assert result.exit_code == 2 and "--dates next week is not a date" in result.output
    result = run("plan", "training", "--batches", "1", "--max-away", "0.1", "--no-deputies")
    assert result.exit_code == 2 and "at most 1 away per batch, 1 batches" in result.output
    result = run("plan", "links", "--json")
    doc = json.loads(result.stdout)
    assert doc["kind"] == "links" and doc["plan_id"] == 2
    assert {"cadre", "advanced_team", "backward_team", "reasons"} <= set(doc["links"][0])
    result = run("plan", "show", "1", "--json")
    training = json.loads(result.stdout)
    assert training["kind"] == "training" and len(training["results"]) == 5
    person = training["batches"][0]["leaders"][0]
    result = run("plan", "edit", "1", "--batch", f"{person}=9")
    assert result.exit_code == 2 and "one_batch_each" in result.output
    result = run("plan", "edit", "1", "--batch", f"{person}=two")
    assert result.exit_code == 2 and "the batch is a number" in result.output
    result = run("plan", "edit", "2", "--link", "E999999=-/-")
    assert result.exit_code == 2 and "Cadre E999999 is not in this plan" in result.output
    result = run("plan", "edit", "1")
    assert result.exit_code == 2 and "Say what to change" in result.output
    scores = tmp_path / "scores.csv"
    scores.write_text(f"employee_no,attended,score_before,score_after\n{person},yes,55,75\n",
                      encoding="utf-8")
    result = run("plan", "results", "1", str(scores))
    assert result.exit_code == 0 and "1 new, 0 changed" in result.output
    result = run("plan", "results", "2", str(scores))
    assert result.exit_code == 2 and "results are recorded for training plans" in result.output
    result = run("plan", "show", "1")
    assert result.exit_code == 0 and "Training plan 1" in result.output
    out = tmp_path / "r.html"
    assert run("report", "--out", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Training plan" in html and "Cadre links plan" in html and "+20.0" in html
    result = run("approve", "2", "--by", "Li Ming")
    assert result.exit_code == 0 and "Plan 2 approved by Li Ming." in result.output


def test_options_are_checked(run, tmp_path):
    run("demo", "--teams", "12", "--days", "40")
    assert run("plan", "training", "--max-away", "0").exit_code == 2
    assert run("plan", "training", "--batches", "0").exit_code == 2
    assert run("plan", "leaders", "--time-limit", "0").exit_code == 2
    past = run("plan", "training", "--dates", "2020-01-06,2020-01-13")
    assert past.exit_code == 2 and "--allow-past" in past.output
    assert run("assess", "--as-of", "2026年10月1日", "--no-save").exit_code == 0
    assert run("assess", "--as-of", "2026/10/1", "--no-save").exit_code == 0
    bad = run("assess", "--as-of", "yesterday")
    assert bad.exit_code == 2 and "2026/3/5" in bad.output
    assert run("report", "--out", str(tmp_path / "r.docx")).exit_code == 2


def test_the_report_as_a_real_pdf(run, tmp_path):
    import pypdf

    run("demo", "--teams", "12", "--days", "40")
    run("assess")
    out = tmp_path / "report.pdf"
    assert run("report", "--out", str(out), lang="zh-CN").exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "班组评定报告" in text and "T00001" in text


def test_demo_never_deletes_a_plants_own_data(run, tmp_path):
    assert run("import", "units", str(write_csv(tmp_path / "u.csv", UNITS))).exit_code == 0
    assert run("import", "teams", str(write_csv(tmp_path / "t.csv", TEAMS))).exit_code == 0
    refused = run("demo", "--replace")
    assert refused.exit_code == 1 and "not the sample plant" in refused.output
    assert "3 unchanged" in run("import", "teams", str(tmp_path / "t.csv")).output
    assert run("demo", "--replace", "--force", "--teams", "5", "--days", "10").exit_code == 0
