"""The pure-Python AES of xsk_nb.xanoscript.aes against the published test vectors
(FIPS-197 Appendix C, RFC 3394 §4, the GCM specification's test cases) and, on random
inputs, against ``cryptography`` (a test dependency only: the browser site has no compiled
wheels, which is why aes.py exists)."""

from __future__ import annotations

import os
import random

import pytest

from xsk_nb.xanoscript import aes

PLAIN = bytes.fromhex("00112233445566778899aabbccddeeff")


@pytest.mark.parametrize(
    ("key", "cipher"),
    [  # FIPS-197 Appendix C.1, C.2, C.3
        ("000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"),
        ("000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"),
        (
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "8ea2b7ca516745bfeafc49904b496089",
        ),
    ],
)
def test_fips197_appendix_c(key: str, cipher: str) -> None:
    round_keys = aes.expand_key(bytes.fromhex(key))
    assert aes.encrypt_block(round_keys, PLAIN).hex() == cipher
    assert aes.decrypt_block(round_keys, bytes.fromhex(cipher)) == PLAIN


def test_fips197_key_expansion_last_word() -> None:
    # FIPS-197 Appendix A.1: the last word of the AES-128 expansion of 2b7e1516...
    round_keys = aes.expand_key(bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c"))
    assert bytes(round_keys[-1][-4:]).hex() == "b6630ca6"


@pytest.mark.parametrize(
    ("kek", "key", "wrapped"),
    [  # RFC 3394 §4.1, §4.3 and §4.6
        (
            "000102030405060708090A0B0C0D0E0F",
            "00112233445566778899AABBCCDDEEFF",
            "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF",
            "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
            "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21",
        ),
    ],
)
def test_rfc3394_vectors(kek: str, key: str, wrapped: str) -> None:
    assert aes.key_wrap(bytes.fromhex(kek), bytes.fromhex(key)).hex() == wrapped.lower()
    assert aes.key_unwrap(bytes.fromhex(kek), bytes.fromhex(wrapped)) == bytes.fromhex(key)


def test_key_unwrap_refuses_a_wrong_kek() -> None:
    wrapped = bytes.fromhex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5")
    with pytest.raises(aes.DecryptionError):
        aes.key_unwrap(bytes(16), wrapped)


GCM_P = (
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
)
GCM_A = "feedfacedeadbeeffeedfacedeadbeefabaddad2"
GCM_IV = "cafebabefacedbaddecaf888"


@pytest.mark.parametrize(
    ("key", "plain", "aad", "cipher", "tag"),
    [  # McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 3, 4 and 16
        (
            "feffe9928665731c6d6a8f9467308308",
            GCM_P + "1aafd255",
            "",
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
            "4d5c2af327cd64a62cf35abd2ba6fab4",
        ),
        (
            "feffe9928665731c6d6a8f9467308308",
            GCM_P,
            GCM_A,
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
            "5bc94fbc3221a5db94fae95ae7121a47",
        ),
        (
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            GCM_P,
            GCM_A,
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b",
        ),
    ],
)
def test_gcm_spec_vectors(key: str, plain: str, aad: str, cipher: str, tag: str) -> None:
    k, p, a, iv = (bytes.fromhex(x) for x in (key, plain, aad, GCM_IV))
    out, mac = aes.gcm_encrypt(k, iv, p, a)
    assert (out.hex(), mac.hex()) == (cipher, tag)
    assert aes.gcm_decrypt(k, iv, out, mac, a) == p
    with pytest.raises(aes.DecryptionError):
        aes.gcm_decrypt(k, iv, out, bytes(16), a)


def test_xano_tested_example() -> None:
    """xano-inc/cli@eb4d11d .claude/skills/functions/security-encrypt/SKILL.md line 74: key
    "my-secret-key-1234", iv sm0CycLG9roCbd7u2rogWQ==, "Hello World" -> NQaT0kQuqvNv3OKoDUnzKA==
    (the 18-byte key zero-padded to 32 bytes)."""
    import base64

    key = b"my-secret-key-1234".ljust(32, b"\0")
    iv = base64.b64decode("sm0CycLG9roCbd7u2rogWQ==")
    cipher = aes.cbc_encrypt(key, iv, b"Hello World")
    assert base64.b64encode(cipher) == b"NQaT0kQuqvNv3OKoDUnzKA=="
    assert aes.cbc_decrypt(key, iv, cipher) == b"Hello World"


def test_cbc_decrypt_refuses_bad_padding_and_length() -> None:
    key, iv = bytes(32), bytes(16)
    with pytest.raises(aes.DecryptionError):
        aes.cbc_decrypt(key, iv, bytes(15))
    cipher = aes.cbc_encrypt(key, iv, b"x")
    with pytest.raises(aes.DecryptionError):
        aes.cbc_decrypt(bytes([1]) * 32, iv, cipher)


def test_random_inputs_agree_with_cryptography() -> None:
    ciphers = pytest.importorskip("cryptography.hazmat.primitives.ciphers")
    from cryptography.hazmat.primitives import keywrap, padding
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    rng = random.Random(20240601)
    for _ in range(12):
        key = os.urandom(rng.choice(aes.KEY_SIZES))
        iv = os.urandom(16)
        data = os.urandom(rng.randrange(0, 70))
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        enc = ciphers.Cipher(ciphers.algorithms.AES(key), ciphers.modes.CBC(iv)).encryptor()
        assert aes.cbc_encrypt(key, iv, data) == enc.update(padded) + enc.finalize()
        assert aes.cbc_decrypt(key, iv, aes.cbc_encrypt(key, iv, data)) == data

        nonce, aad = os.urandom(12), os.urandom(rng.randrange(0, 40))
        sealed = AESGCM(key).encrypt(nonce, data, aad)
        assert b"".join(aes.gcm_encrypt(key, nonce, data, aad)) == sealed
        assert aes.gcm_decrypt(key, nonce, sealed[:-16], sealed[-16:], aad) == data

        cek = os.urandom(rng.choice((16, 24, 32, 64)))
        assert aes.key_wrap(key, cek) == keywrap.aes_key_wrap(key, cek)
        assert aes.key_unwrap(key, keywrap.aes_key_wrap(key, cek)) == cek


def test_key_sizes_are_checked() -> None:
    with pytest.raises(ValueError, match="16, 24 or 32 bytes"):
        aes.expand_key(bytes(20))
