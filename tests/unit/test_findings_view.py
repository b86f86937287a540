from sozialdash.ingest.report import ERROR, NOTE, WARNING, Finding, Report
from sozialdash.views import findings as fv


def _report() -> Report:
    report = Report()
    for row in range(2, 10_002):
        report.error("werte.csv", "Gebiet unbekannt", row=row, column="Stadtteil", value=f"X{row}", fix="ID prüfen")
    report.error("gebiete.zip", "Kein Koordinatensystem", fix="crs: EPSG:25832")
    for n in range(40):
        report.warning("werte.csv", f"Spalte {n} ungenutzt", column=str(n))
    report.note("werte.csv", "Fußnote entfernt", row=12)
    return report


def test_counts_per_level():
    assert fv.counts(_report().findings) == {ERROR: 10_001, WARNING: 40, NOTE: 1}


def test_ten_thousand_rows_become_one_message_with_the_first_few():
    [werte, gebiete] = fv.by_file(_report().findings, ERROR)
    assert (werte.file, werte.count, werte.hidden) == ("werte.csv", 10_000, 0)
    [message] = werte.messages
    assert message.count == 10_000 and [f.row for f in message.first] == [2, 3, 4, 5, 6]
    assert (gebiete.file, gebiete.count) == ("gebiete.zip", 1)


def test_many_different_messages_are_capped():
    [werte] = fv.by_file(_report().findings, WARNING, most=25)
    assert len(werte.messages) == 25 and werte.hidden == 15


def test_a_level_without_findings_is_empty():
    assert fv.by_file(Report().findings, ERROR) == []


def test_the_place_says_only_what_the_finding_has():
    assert fv.place(Finding(ERROR, "a.csv", "m", row=3, column="Wert", value="1,2,3", fix="Punkt statt Komma")) == [
        ("Zeile", "3"), ("Spalte", "Wert"), ("Wert", "'1,2,3'"), ("Lösung", "Punkt statt Komma")]
    assert fv.place(Finding(NOTE, "a.csv", "m")) == []
    assert fv.place(Finding(NOTE, "a.csv", "m", row=0, value="")) == [("Zeile", "0"), ("Wert", "''")]


def test_a_fix_shared_by_every_row_is_said_once():
    [werte, _] = fv.by_file(_report().findings, ERROR)
    assert fv.shared_fix(werte.messages[0]) == "ID prüfen"
    mixed = fv.Message("m", 2, [Finding(ERROR, "a", "m", fix="x"), Finding(ERROR, "a", "m", fix="y")])
    single = fv.Message("m", 1, [Finding(ERROR, "a", "m", fix="x")])
    assert fv.shared_fix(mixed) is None and fv.shared_fix(single) is None
