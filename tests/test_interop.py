"""The JWK loads in joserfc, jwcrypto and PyJWT and signs/verifies HS256/384/512 in each."""

from __future__ import annotations

import json

import pytest

from xsk_nb.keygen import ALLOWED_BITS, create_secret_key, key_bytes

ALGS = ["HS256", "HS384", "HS512"]


@pytest.mark.parametrize("bits", ALLOWED_BITS)
@pytest.mark.parametrize("alg", ALGS)
def test_joserfc_signs_and_verifies(bits: int, alg: str) -> None:
    from joserfc import jws
    from joserfc.errors import BadSignatureError
    from joserfc.jwk import OctKey

    jwk = create_secret_key(bits, alg=alg)
    key = OctKey.import_key(jwk)
    assert key.raw_value == key_bytes(jwk)
    # joserfc lists only HS256 as "recommended"; the others must be allowed by name.
    token = jws.serialize_compact({"alg": alg}, b"payload", key, algorithms=[alg])
    assert jws.deserialize_compact(token, key, algorithms=[alg]).payload == b"payload"
    other = OctKey.import_key(create_secret_key(bits))
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(token, other, algorithms=[alg])


@pytest.mark.parametrize("bits", ALLOWED_BITS)
@pytest.mark.parametrize("alg", ALGS)
def test_jwcrypto_signs_and_verifies(bits: int, alg: str) -> None:
    from jwcrypto import jwk as jwcrypto_jwk
    from jwcrypto import jws as jwcrypto_jws

    jwk = create_secret_key(bits)
    key = jwcrypto_jwk.JWK(**jwk)
    signer = jwcrypto_jws.JWS(b"payload")
    signer.add_signature(key, alg=alg, protected=json.dumps({"alg": alg}))
    token = signer.serialize(compact=True)
    verifier = jwcrypto_jws.JWS()
    verifier.deserialize(token)
    verifier.verify(key)
    assert verifier.payload == b"payload"
    other = jwcrypto_jwk.JWK(**create_secret_key(bits))
    verifier.deserialize(token)
    with pytest.raises(jwcrypto_jws.InvalidJWSSignature):
        verifier.verify(other)


@pytest.mark.parametrize("bits", ALLOWED_BITS)
@pytest.mark.parametrize("alg", ALGS)
def test_pyjwt_signs_and_verifies(bits: int, alg: str) -> None:
    import jwt

    jwk = create_secret_key(bits)
    key = jwt.PyJWK(jwk, algorithm=alg)
    token = jwt.encode({"sub": "student"}, key.key, algorithm=alg)
    assert jwt.decode(token, key.key, algorithms=[alg]) == {"sub": "student"}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, key_bytes(create_secret_key(bits)), algorithms=[alg])
