import hmac

import pytest

from sozialdash import roles

FAST = roles.MIN_ITERATIONS  # the maths is the same at any count; tests need not wait


@pytest.fixture(scope="module")
def reference() -> str:
    return roles.hash_password("Sozialraum 2026!", iterations=FAST)


def test_the_right_password_is_accepted(reference):
    assert roles.verify("Sozialraum 2026!", reference)


@pytest.mark.parametrize("typed", ["sozialraum 2026!", "Sozialraum 2026", "Sozialraum 2026! ", ""])
def test_a_wrong_password_is_refused(reference, typed):
    assert not roles.verify(typed, reference)


def test_the_reference_holds_no_plain_password(reference):
    scheme, iterations, salt, digest = reference.split("$")
    assert (scheme, int(iterations)) == ("pbkdf2_sha256", FAST)
    assert "Sozialraum" not in reference


def test_each_hash_gets_its_own_salt():
    first, second = (roles.hash_password("gleich", iterations=FAST) for _ in range(2))
    assert first != second
    assert roles.verify("gleich", first) and roles.verify("gleich", second)


def test_a_given_salt_gives_the_same_line():
    assert roles.hash_password("x", salt=b"salz", iterations=FAST) == roles.hash_password("x", salt=b"salz",
                                                                                          iterations=FAST)


def test_umlauts_in_a_password_work():
    assert roles.verify("Größe-Übung", roles.hash_password("Größe-Übung", iterations=FAST))


@pytest.mark.parametrize("reference", [
    "", "geheim", "Sozialraum 2026!", "pbkdf2_sha256$1000$abc", "md5$1000$c2FsdA==$c2FsdA==",
    "pbkdf2_sha256$viele$c2FsdA==$" + "A" * 44, "pbkdf2_sha256$1000$kein base64!$" + "A" * 44,
    "pbkdf2_sha256$1000$c2FsdA==$c2FsdA==",                  # a digest of the wrong length
    "pbkdf2_sha256$10$c2FsdA==$" + "A" * 43 + "=",          # too few iterations
    "pbkdf2_sha256$99999999999$c2FsdA==$" + "A" * 43 + "=",  # so many that every attempt would stall the server
    "pbkdf2_sha256$1000$$" + "A" * 43 + "=",                 # no salt
])
def test_a_malformed_reference_lets_nobody_in(reference):
    assert roles.parse(reference) is None
    assert not roles.verify("Sozialraum 2026!", reference)
    assert not roles.verify(reference, reference)


def test_the_comparison_is_constant_time(reference, monkeypatch):
    calls = []
    original = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(roles.hmac, "compare_digest", spy)
    assert roles.verify("Sozialraum 2026!", reference)
    assert not roles.verify("falsch", reference)
    assert len(calls) == 2 and all(isinstance(a, bytes) and len(a) == 32 for a, _ in calls)


@pytest.mark.parametrize("iterations", [10, roles.MAX_ITERATIONS + 1])
def test_unsafe_iteration_counts_are_refused(iterations):
    with pytest.raises(ValueError):
        roles.hash_password("x", iterations=iterations)


def test_an_empty_password_is_refused():
    with pytest.raises(ValueError):
        roles.hash_password("")


def _typed(monkeypatch, *answers):
    given = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(given))


def test_the_command_prints_a_line_that_verifies(monkeypatch, capsys):
    from sozialdash.__main__ import main

    _typed(monkeypatch, "Sozialraum 2026!", "Sozialraum 2026!")
    assert main(["passwort"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("datenpflege_hash = "))
    assert roles.verify("Sozialraum 2026!", line.split('"')[1])
    assert "Sozialraum 2026!" not in out


@pytest.mark.parametrize("answers, said", [(("kurz", "kurz"), "mindestens 10 Zeichen"),
                                           (("Sozialraum 2026!", "Sozialraum 2027!"), "verschieden")])
def test_the_command_refuses_short_or_differing_passwords(monkeypatch, capsys, answers, said):
    from sozialdash.__main__ import main

    _typed(monkeypatch, *answers)
    assert main(["passwort"]) == 1
    captured = capsys.readouterr()
    assert said in captured.err and "pbkdf2" not in captured.out
