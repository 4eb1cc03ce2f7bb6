"""The load test's own logic (benchmarks/loadcheck.py): reading forms and finding lost edits."""

from __future__ import annotations

from benchmarks.loadcheck import (
    Save,
    duplicates,
    form_with,
    history_mismatches,
    lost_edits,
    parse_page,
    percentile,
)


def save(value: str, version: int, field: str = "title", number: str = "TZ-1") -> Save:
    return Save(number, field, value, version, "a@x.test")


def test_every_save_covered_by_the_stored_value_or_a_later_one() -> None:
    saves = [save("een", 1), save("twee", 2), save("drie", 3)]
    assert lost_edits(saves, {("TZ-1", "title"): "drie"}) == []


def test_the_latest_save_missing_is_lost_and_so_are_the_ones_before_it() -> None:
    saves = [save("een", 1), save("twee", 2), save("drie", 3)]
    problems = lost_edits(saves, {("TZ-1", "title"): "twee"})
    assert len(problems) == 1
    assert "'drie'" in problems[0]
    assert len(lost_edits(saves, {("TZ-1", "title"): "iets anders"})) == 3


def test_fields_are_checked_apart() -> None:
    saves = [save("titel", 1), save("2026-05-01", 2, field="deadline")]
    stored = {("TZ-1", "title"): "titel", ("TZ-1", "deadline"): "2026-05-01"}
    assert lost_edits(saves, stored) == []


def test_two_acknowledged_saves_on_one_version_are_a_lost_update() -> None:
    saves = [save("een", 4), save("twee", 4, field="deadline")]
    stored = {("TZ-1", "title"): "een", ("TZ-1", "deadline"): "twee"}
    problems = lost_edits(saves, stored)
    assert problems == ["TZ-1: 2 bevestigde wijzigingen op dezelfde versie 4"]


def test_a_save_that_changed_nothing_keeps_the_version() -> None:
    unchanged = Save("TZ-1", "status", "open", 4, "b@x.test", changed=False)
    saves = [save("een", 4), unchanged]
    stored = {("TZ-1", "title"): "een", ("TZ-1", "status"): "open"}
    assert lost_edits(saves, stored) == []


def test_history_has_one_event_per_save() -> None:
    saves = [save("een", 1), save("twee", 2)]
    assert history_mismatches(saves, {("TZ-1", "a@x.test"): 2}) == []
    assert len(history_mismatches(saves, {("TZ-1", "a@x.test"): 3})) == 1
    assert len(history_mismatches(saves, {("TZ-2", "a@x.test"): 1, ("TZ-1", "a@x.test"): 2})) == 1


def test_a_form_is_read_as_a_browser_submits_it() -> None:
    page = """
    <form method="post" action="/uitloggen"><input type="hidden" name="csrf_token" value="t"></form>
    <form method="post" action="/beheer/x">
      <input type="hidden" name="csrf_token" value="t">
      <input name="title" value="Een &amp; twee">
      <textarea name="text">
Regel</textarea>
      <select name="status"><option value="open">Open</option>
        <option value="withdrawn" selected>Ingetrokken</option></select>
      <select name="owner"><option value="3">A</option><option value="4">B</option></select>
      <input type="checkbox" name="partially" value="y">
      <input type="hidden" name="version" value="7">
      <input type="submit" name="save" value="Opslaan">
    </form>
    <a rel="next" href="/toezeggingen?na=abc">Volgende</a>
    """
    forms, links = parse_page(page)
    form = form_with(forms, "version")
    assert form is not None
    assert form.action == "/beheer/x"
    assert form.fields == {
        "csrf_token": "t",
        "title": "Een & twee",
        "text": "Regel",
        "status": "withdrawn",
        "owner": "3",
        "version": "7",
    }
    assert form.submits == [("save", "Opslaan")]
    assert links == ["/toezeggingen?na=abc"]


def test_percentile_and_duplicates() -> None:
    assert percentile([], 0.5) == 0.0
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.5) == 2.0
    assert percentile([float(n) for n in range(1, 101)], 0.99) == 99.0
    assert duplicates(["a", "b", "a"]) == {"a": 2}
