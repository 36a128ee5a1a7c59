"""AES in pure Python: the block cipher (FIPS-197), CBC with PKCS#7 padding (NIST SP 800-38A
§6.2, RFC 5652 §6.3), AES Key Wrap (RFC 3394 §2.2) and GCM (NIST SP 800-38D).

Why it is written here: the browser-only site runs this kit in Pyodide with pure-Python wheels
only (``lite/requirements-browser.txt``), and ``cryptography`` and ``pycryptodome`` are compiled
(absent there); PyPI has no maintained pure-Python AES. So ``security.encrypt``/``decrypt`` and
``security.jwe_encode``/``jwe_decode`` use this module everywhere, and the tests check it against
FIPS-197 Appendix C, RFC 3394 §4, the GCM specification's test cases and ``cryptography``.

It is a teaching runner's cipher: correct, small and readable, not constant-time (table look-ups
indexed by key bytes leak through the cache to code on the same machine). Callers bound the data
size (:data:`~xsk_nb.xanoscript.limits.MAX_CIPHER_BYTES`): pure Python encrypts some hundred
kilobytes a second.
"""

from __future__ import annotations

import hmac

BLOCK = 16
KEY_SIZES = (16, 24, 32)  # AES-128, AES-192, AES-256 (FIPS-197 §5, Figure 4)


# ---- the S-box, built from its definition (FIPS-197 §5.1.1): inverse in GF(2^8), then affine
def _gf_mul(a: int, b: int) -> int:
    """a * b in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 §4.2)."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        a = ((a << 1) ^ 0x11B) if a & 0x80 else a << 1
        b >>= 1
    return product


def _build_sbox() -> tuple[list[int], list[int]]:
    inverse = [0] * 256
    for a in range(1, 256):
        for b in range(1, 256):
            if _gf_mul(a, b) == 1:
                inverse[a] = b
                break
    sbox = [0] * 256
    for a in range(256):
        x = inverse[a]
        s = x
        for shift in range(1, 5):
            s ^= ((x << shift) | (x >> (8 - shift))) & 0xFF
        sbox[a] = s ^ 0x63
    inverse_sbox = [0] * 256
    for a, s in enumerate(sbox):
        inverse_sbox[s] = a
    return sbox, inverse_sbox


SBOX, INV_SBOX = _build_sbox()
_MUL = {n: [_gf_mul(a, n) for a in range(256)] for n in (2, 3, 9, 11, 13, 14)}


# ---- the block cipher (FIPS-197 §5)
def expand_key(key: bytes) -> list[list[int]]:
    """The round keys (FIPS-197 §5.2, KeyExpansion), each 16 bytes, Nr + 1 of them."""
    if len(key) not in KEY_SIZES:
        raise ValueError("an AES key is 16, 24 or 32 bytes")
    nk = len(key) // 4
    rounds = nk + 6
    words = [list(key[4 * i : 4 * i + 4]) for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (rounds + 1)):
        word = list(words[i - 1])
        if i % nk == 0:
            word = [SBOX[b] for b in word[1:] + word[:1]]  # SubWord(RotWord(w))
            word[0] ^= rcon
            rcon = _gf_mul(rcon, 2)
        elif nk > 6 and i % nk == 4:
            word = [SBOX[b] for b in word]
        words.append([a ^ b for a, b in zip(words[i - nk], word, strict=True)])
    return [[b for word in words[4 * r : 4 * r + 4] for b in word] for r in range(rounds + 1)]


# The state is 16 bytes in FIPS-197's column order: byte 4*c + r is row r of column c.
_SHIFT = [(4 * ((c + r) % 4) + r) for c in range(4) for r in range(4)]  # ShiftRows source
_UNSHIFT = [(4 * ((c - r) % 4) + r) for c in range(4) for r in range(4)]


def encrypt_block(round_keys: list[list[int]], block: bytes) -> bytes:
    """One 16-byte block through the cipher (FIPS-197 §5.1, Figure 5)."""
    state = [b ^ k for b, k in zip(block, round_keys[0], strict=True)]
    m2, m3 = _MUL[2], _MUL[3]
    for round_key in round_keys[1:-1]:
        s = [SBOX[state[i]] for i in _SHIFT]  # SubBytes and ShiftRows
        mixed = []
        for c in range(0, 16, 4):  # MixColumns (§5.1.3)
            a0, a1, a2, a3 = s[c : c + 4]
            mixed += [
                m2[a0] ^ m3[a1] ^ a2 ^ a3,
                a0 ^ m2[a1] ^ m3[a2] ^ a3,
                a0 ^ a1 ^ m2[a2] ^ m3[a3],
                m3[a0] ^ a1 ^ a2 ^ m2[a3],
            ]
        state = [b ^ k for b, k in zip(mixed, round_key, strict=True)]
    last = round_keys[-1]
    return bytes(SBOX[state[i]] ^ last[n] for n, i in enumerate(_SHIFT))


def decrypt_block(round_keys: list[list[int]], block: bytes) -> bytes:
    """The inverse cipher (FIPS-197 §5.3, Figure 12)."""
    state = [b ^ k for b, k in zip(block, round_keys[-1], strict=True)]
    m9, m11, m13, m14 = _MUL[9], _MUL[11], _MUL[13], _MUL[14]
    for round_key in reversed(round_keys[1:-1]):
        s = [INV_SBOX[state[i]] ^ round_key[n] for n, i in enumerate(_UNSHIFT)]
        state = []
        for c in range(0, 16, 4):  # InvMixColumns (§5.3.3)
            a0, a1, a2, a3 = s[c : c + 4]
            state += [
                m14[a0] ^ m11[a1] ^ m13[a2] ^ m9[a3],
                m9[a0] ^ m14[a1] ^ m11[a2] ^ m13[a3],
                m13[a0] ^ m9[a1] ^ m14[a2] ^ m11[a3],
                m11[a0] ^ m13[a1] ^ m9[a2] ^ m14[a3],
            ]
    first = round_keys[0]
    return bytes(INV_SBOX[state[i]] ^ first[n] for n, i in enumerate(_UNSHIFT))


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


# ---- CBC with PKCS#7 padding (SP 800-38A §6.2; RFC 5652 §6.3)
def cbc_encrypt(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    if len(iv) != BLOCK:
        raise ValueError("a CBC iv is 16 bytes")
    round_keys = expand_key(key)
    pad = BLOCK - len(plaintext) % BLOCK
    data = plaintext + bytes([pad]) * pad
    out, previous = [], iv
    for start in range(0, len(data), BLOCK):
        previous = encrypt_block(round_keys, _xor(data[start : start + BLOCK], previous))
        out.append(previous)
    return b"".join(out)


class DecryptionError(ValueError):
    """The ciphertext does not decrypt with this key (bad padding, or a GCM tag that fails)."""


def cbc_decrypt(key: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    if len(iv) != BLOCK:
        raise ValueError("a CBC iv is 16 bytes")
    if not ciphertext or len(ciphertext) % BLOCK:
        raise DecryptionError("CBC ciphertext is a whole number of 16-byte blocks")
    round_keys = expand_key(key)
    out, previous = [], iv
    for start in range(0, len(ciphertext), BLOCK):
        block = ciphertext[start : start + BLOCK]
        out.append(_xor(decrypt_block(round_keys, block), previous))
        previous = block
    data = b"".join(out)
    pad = data[-1]
    if not 1 <= pad <= BLOCK or data[-pad:] != bytes([pad]) * pad:
        raise DecryptionError("the padding is wrong: a different key or iv, or changed data")
    return data[:-pad]


# ---- AES Key Wrap (RFC 3394 §2.2.1 and §2.2.2, the index-based form)
_KW_IV = bytes.fromhex("A6A6A6A6A6A6A6A6")  # the default initial value (§2.2.3.1)


def key_wrap(kek: bytes, key: bytes) -> bytes:
    if len(key) % 8 or len(key) < 16:
        raise ValueError("key wrap takes a key of 16 bytes or more, a multiple of 8")
    round_keys = expand_key(kek)
    a, r = _KW_IV, [key[i : i + 8] for i in range(0, len(key), 8)]
    n = len(r)
    for j in range(6):
        for i in range(n):
            b = encrypt_block(round_keys, a + r[i])
            t = (n * j + i + 1).to_bytes(8, "big")
            a, r[i] = _xor(b[:8], t), b[8:]
    return a + b"".join(r)


def key_unwrap(kek: bytes, wrapped: bytes) -> bytes:
    if len(wrapped) % 8 or len(wrapped) < 24:
        raise DecryptionError("a wrapped key is 24 bytes or more, a multiple of 8")
    round_keys = expand_key(kek)
    a, r = wrapped[:8], [wrapped[i : i + 8] for i in range(8, len(wrapped), 8)]
    n = len(r)
    for j in reversed(range(6)):
        for i in reversed(range(n)):
            t = (n * j + i + 1).to_bytes(8, "big")
            b = decrypt_block(round_keys, _xor(a, t) + r[i])
            a, r[i] = b[:8], b[8:]
    if not hmac.compare_digest(a, _KW_IV):  # the integrity check (§2.2.3)
        raise DecryptionError("the wrapped key does not unwrap with this key")
    return b"".join(r)


# ---- GCM (NIST SP 800-38D): a 96-bit IV, a 128-bit tag
_R = 0xE1 << 120  # the reduction constant R = 11100001 || 0^120 (§6.3)


def _gf128_mul(x: int, y: int) -> int:
    """X • Y in GF(2^128) with GCM's bit order (§6.3, Algorithm 1)."""
    z, v = 0, y
    for bit in range(127, -1, -1):
        if (x >> bit) & 1:
            z ^= v
        v = (v >> 1) ^ _R if v & 1 else v >> 1
    return z


def _ghash(h: int, aad: bytes, ciphertext: bytes) -> int:
    """GHASH_H(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64) (§6.4, §7.1 step 5)."""
    y = 0
    for data in (aad, ciphertext):
        for start in range(0, len(data), BLOCK):
            block = data[start : start + BLOCK].ljust(BLOCK, b"\0")
            y = _gf128_mul(y ^ int.from_bytes(block, "big"), h)
    lengths = (len(aad) * 8).to_bytes(8, "big") + (len(ciphertext) * 8).to_bytes(8, "big")
    return _gf128_mul(y ^ int.from_bytes(lengths, "big"), h)


def _gctr(round_keys: list[list[int]], counter: int, data: bytes) -> bytes:
    """GCTR (§6.5) from counter block ``counter``, incrementing its last 32 bits."""
    out = []
    prefix, count = counter >> 32, counter & 0xFFFFFFFF
    for start in range(0, len(data), BLOCK):
        block = ((prefix << 32) | count).to_bytes(BLOCK, "big")
        stream = encrypt_block(round_keys, block)
        chunk = data[start : start + BLOCK]
        out.append(_xor(chunk, stream[: len(chunk)]))
        count = (count + 1) & 0xFFFFFFFF
    return b"".join(out)


def gcm_encrypt(key: bytes, iv: bytes, plaintext: bytes, aad: bytes = b"") -> tuple[bytes, bytes]:
    """(ciphertext, 16-byte tag) of GCM-AE (§7.1) with a 12-byte ``iv``."""
    if len(iv) != 12:
        raise ValueError("a GCM iv here is 12 bytes (96 bits, SP 800-38D §5.2.1.1)")
    round_keys = expand_key(key)
    h = int.from_bytes(encrypt_block(round_keys, bytes(BLOCK)), "big")
    j0 = int.from_bytes(iv + b"\0\0\0\1", "big")
    ciphertext = _gctr(round_keys, j0 + 1, plaintext)
    tag = _gctr(round_keys, j0, _ghash(h, aad, ciphertext).to_bytes(BLOCK, "big"))
    return ciphertext, tag


def gcm_decrypt(key: bytes, iv: bytes, ciphertext: bytes, tag: bytes, aad: bytes = b"") -> bytes:
    """The plaintext of GCM-AD (§7.2), or :class:`DecryptionError` if the tag fails."""
    if len(iv) != 12:
        raise DecryptionError("a GCM iv here is 12 bytes (96 bits, SP 800-38D §5.2.1.1)")
    round_keys = expand_key(key)
    h = int.from_bytes(encrypt_block(round_keys, bytes(BLOCK)), "big")
    j0 = int.from_bytes(iv + b"\0\0\0\1", "big")
    expected = _gctr(round_keys, j0, _ghash(h, aad, ciphertext).to_bytes(BLOCK, "big"))
    if len(tag) != BLOCK or not hmac.compare_digest(expected, tag):
        raise DecryptionError("the authentication tag does not match: another key, or changed data")
    return _gctr(round_keys, j0 + 1, ciphertext)
