"""What the kit accepts and how a refusal reads (xsk_nb.contract): the allowed values, the
kid rules, and the helpers every refusal is worded with."""

from __future__ import annotations

import pytest

from xsk_nb import contract
from xsk_nb.contract import (
    ALLOWED_ALGS,
    ALLOWED_BITS,
    KID_ALLOWED_TEXT,
    VIEWS,
    bits_from_text,
    describe_rejected,
    one_of,
    positive_int,
    validate_kid,
    validate_view,
)

PASTED = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g"


def test_the_allowed_values_are_xanos_and_rfc_7518s() -> None:
    # Xano's create_secret_key reference (seed): bits 512, 1024, 2048 or 4096, format "object".
    assert ALLOWED_BITS == (512, 1024, 2048, 4096)
    assert contract.ALLOWED_FORMATS == ("object",)
    assert ALLOWED_ALGS == ("HS256", "HS384", "HS512")  # RFC 7518 §3.1's HMAC algorithms
    assert VIEWS == ("notebook", "app", "terminal")


def test_the_package_exposes_the_allowed_sizes_from_here() -> None:
    import xsk_nb
    from xsk_nb import keygen

    assert xsk_nb.ALLOWED_BITS is ALLOWED_BITS is keygen.ALLOWED_BITS


# --- bits typed as text (CLI, magic, XanoScript) -----------------------------------------------


@pytest.mark.parametrize("text", ["512", " 1024 ", "+2048", "4096"])
def test_bits_from_text(text: str) -> None:
    assert bits_from_text(text) == int(text)


@pytest.mark.parametrize("text", ["256", "abc", "", "512.0", "1e3", "²", "9" * 5000, "0x200"])
def test_bits_from_text_refuses_with_the_allowed_sizes(text: str) -> None:
    with pytest.raises(
        ValueError, match=r"^bits must be one of 512, 1024, 2048 or 4096; got "
    ) as e:
        bits_from_text(text)
    assert len(str(e.value)) < 120


# --- one list of allowed values, one describer of rejected values ------------------------------


def test_one_of_lists_the_allowed_values_once() -> None:
    assert one_of(ALLOWED_BITS) == "512, 1024, 2048 or 4096"
    assert one_of(("sig",), quoted=True) == '"sig"'
    assert one_of(("a", "b"), quoted=True) == '"a" or "b"'
    with pytest.raises(ValueError, match="at least one"):
        one_of(())


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (256, "256"),
        (-5, "-5"),
        (10**100, "an int of about 101 digits"),
        (2.5, "2.5"),
        (True, "True"),
        (None, "None"),
        ("", "an empty str"),
        ("x", "a str of 1 character"),
        (
            "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g",
            "a str of 86 characters",
        ),
        (b"secret", "a bytes object of 6 bytes"),
        (["k"], "a list of 1 item"),
        ({"k": "v", "kty": "oct"}, "a dict of 2 items"),
        (object(), "an object"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_describe_rejected_echoes_numbers_and_never_text(value: object, described: str) -> None:
    assert describe_rejected(value) == described


def test_describe_rejected_echoes_int_likes() -> None:
    numpy = pytest.importorskip("numpy")
    assert describe_rejected(numpy.int64(7)) == "7"


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (-3, ValueError), (True, TypeError), (1.5, TypeError), ("2", TypeError)],
    ids=repr,
)
def test_positive_int_refuses_in_one_sentence_naming_the_value(
    value: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^n_keys must be a positive int, such as 10; got ") as e:
        positive_int(value, "n_keys", such_as="such as 10")
    assert "\n" not in str(e.value)


def test_positive_int_accepts_int_likes() -> None:
    assert positive_int(3, "n") == 3
    numpy = pytest.importorskip("numpy")
    assert positive_int(numpy.int64(4), "n") == 4


@pytest.mark.parametrize("kid", ["", "x" * 129, "a\nb", PASTED + PASTED], ids=len)
def test_kid_rules_refuse_without_echoing(kid: str) -> None:
    with pytest.raises(ValueError) as e:
        validate_kid(kid)
    assert str(e.value) == f"kid must be {KID_ALLOWED_TEXT}; got {describe_rejected(kid)}"
    assert PASTED[:8] not in str(e.value)


def test_kid_rules_accept_the_special_values_and_a_printable_id() -> None:
    assert [validate_kid(k) for k in ("random", "thumbprint", "v1", "x" * 128, None)] == [
        "random", "thumbprint", "v1", "x" * 128, None,
    ]  # fmt: skip
    assert KID_ALLOWED_TEXT == (
        '"random", "thumbprint" or a printable key id of 1 to 128 characters'
    )


@pytest.mark.parametrize("view", ["lab", PASTED, None, 3])
def test_validate_view_names_the_views(view: object) -> None:
    with pytest.raises(ValueError) as e:
        validate_view(view)
    assert str(e.value) == 'view must be "notebook", "app" or "terminal"'
