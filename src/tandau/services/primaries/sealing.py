"""Sealing ballots to an election key, and the key's shares (libsodium through PyNaCl, Shamir by pycryptodome).

The double envelope of Estonia's internet voting, done on the server so that casting works without JavaScript:

- the inner envelope is an X25519 sealed box (libsodium ``crypto_box_seal``: an ephemeral key pair per ballot,
  XSalsa20-Poly1305) of ``{"t": tracking code, "s": selection}``, padded with spaces to one length per
  contest so that the size of a box tells nothing about the number of marks;
- the outer envelope is the row that holds it (member, contest, cast number), kept only until decryption.

The private key exists whole only at the ceremony and in the decrypting process. It is split into
``threshold``-of-``n`` shares with Shamir's scheme over GF(2^128) (pycryptodome ``Shamir``, 16-byte secrets:
the 32-byte key is shared as two halves with the same share indices). A share is typed by a person, so its
text carries the key id, its index and a checksum that catches a mistyped digit before any arithmetic.

Nothing here reads or writes a file or a database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from Crypto.Protocol.SecretSharing import Shamir
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from tandau.errors import InputError

SHARE_PREFIX = "tandau-share-1"
MAX_HOLDERS = 255  # Shamir share indices are 1..255 in pycryptodome's GF(2^128) encoding of small ints
TRACKER_CHARS = 19
SEED_BYTES = 32


def fingerprint(public_key_hex: str) -> str:
    """The first 16 hex digits of the SHA-256 of the public key (what holders compare at the ceremony).

    >>> fingerprint("00" * 32)
    '66687aadf862bd77'
    """
    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Share:
    """One holder's share of an election key: ``index`` 1..n and the 32 bytes of its two halves."""

    key_id: str
    index: int
    value: bytes

    def text(self) -> str:
        """The share as its holder keeps it: ``tandau-share-1:KEY:INDEX:HEX:CHECK``."""
        body = f"{SHARE_PREFIX}:{self.key_id}:{self.index}:{self.value.hex()}"
        return f"{body}:{_check(body)}"


def _check(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:8]


def parse_share(text: str, *, parameter: str = "share") -> Share:
    """A share from its text; InputError naming ``parameter`` when it is malformed or mistyped."""
    parts = text.strip().split(":")
    if len(parts) != 5 or parts[0] != SHARE_PREFIX:
        raise InputError(f"a share looks like {SHARE_PREFIX}:KEY:INDEX:HEX:CHECK", parameter=parameter)
    _, key_id, index, value, check = parts
    if not hmac.compare_digest(_check(":".join(parts[:4])), check.lower()):
        raise InputError("the share's checksum does not match: a character was mistyped", parameter=parameter)
    try:
        raw = bytes.fromhex(value)
        number = int(index)
    except ValueError:
        raise InputError("the share's index or value is not valid", parameter=parameter) from None
    if len(raw) != 32 or not 1 <= number <= MAX_HOLDERS:
        raise InputError("the share's index or value has the wrong size", parameter=parameter)
    return Share(key_id, number, raw)


@dataclass(frozen=True, slots=True)
class NewKey:
    """A freshly made election key: its public half (hex) and the shares of its private half."""

    key_id: str
    public_key: str
    shares: tuple[Share, ...]


def make_key(threshold: int, holders: int) -> NewKey:
    """A new X25519 key pair; the private key is split into ``holders`` shares, any ``threshold`` of which
    rebuild it, and then dropped (Python cannot promise the bytes are overwritten: docs/security.md)."""
    if not 1 <= threshold <= holders <= MAX_HOLDERS:
        raise InputError(f"need 1 <= threshold <= holders <= {MAX_HOLDERS}, got {threshold} of {holders}",
                         parameter="threshold")
    private = PrivateKey.generate()
    secret = bytes(private)
    key_id = secrets.token_hex(4)
    low = Shamir.split(threshold, holders, secret[:16])
    high = Shamir.split(threshold, holders, secret[16:])
    shares = tuple(Share(key_id, i, a + b) for (i, a), (j, b) in zip(low, high, strict=True) if i == j)
    del secret
    return NewKey(key_id, bytes(private.public_key).hex(), shares)


def combine(shares: Sequence[Share], public_key_hex: str) -> PrivateKey:
    """The private key rebuilt from shares; InputError when they are of another key, repeated, too few, or do
    not rebuild the key whose public half is ``public_key_hex`` (a wrong share gives another key)."""
    if len({s.key_id for s in shares}) != 1:
        raise InputError("the shares belong to different keys", parameter="share")
    if len({s.index for s in shares}) != len(shares):
        raise InputError("the same share was given twice", parameter="share")
    low = Shamir.combine([(s.index, s.value[:16]) for s in shares])
    high = Shamir.combine([(s.index, s.value[16:]) for s in shares])
    key = bytearray(low + high)
    try:
        private = PrivateKey(bytes(key))
    finally:
        key[:] = bytes(len(key))
    if not hmac.compare_digest(bytes(private.public_key).hex(), public_key_hex):
        raise InputError("these shares do not rebuild the election key (too few, or one is wrong)",
                         parameter="share")
    return private


def padded_length(candidate_ids: Sequence[str], max_marks: int | None) -> int:
    """The plaintext length every ballot of a contest is padded to: the longest possible payload.

    >>> padded_length(["a", "bb"], 1) == len(payload("ABCD-EFGH-JKLM-NPQR", ["bb"]))
    True
    """
    return _padded_length(tuple(candidate_ids), max_marks)


@lru_cache(maxsize=1024)
def _padded_length(candidate_ids: tuple[str, ...], max_marks: int | None) -> int:
    """Cached: the ballot path asks it for every ballot of the same few contests."""
    longest = sorted(candidate_ids, key=len, reverse=True)
    chosen = longest if max_marks is None else longest[:max_marks]
    return len(payload("X" * TRACKER_CHARS, chosen))


def payload(tracker: str, selection: Sequence[str]) -> bytes:
    return json.dumps({"t": tracker, "s": list(selection)}, ensure_ascii=False, separators=(",", ":")).encode()


def seal(public_key: bytes, tracker: str, selection: Sequence[str], pad_to: int) -> bytes:
    """The inner envelope: the tracking code and selection, padded with spaces to ``pad_to`` bytes, sealed."""
    plain = payload(tracker, selection)
    return SealedBox(PublicKey(public_key)).encrypt(plain + b" " * max(0, pad_to - len(plain)))


def unseal(private: PrivateKey, box: bytes) -> tuple[str, list[str]]:
    """(tracking code, selection) of a sealed ballot; InputError when the box was not sealed to this key."""
    try:
        data = json.loads(SealedBox(private).decrypt(box))
    except (CryptoError, ValueError):
        raise InputError("a sealed ballot does not open with this key", parameter="ballot") from None
    return str(data["t"]), [str(c) for c in data["s"]]


def seal_seed(public_key: bytes, seed: bytes) -> bytes:
    return SealedBox(PublicKey(public_key)).encrypt(seed)


def unseal_seed(private: PrivateKey, box: bytes) -> bytes:
    return SealedBox(private).decrypt(box)


def new_seed() -> tuple[bytes, str]:
    """A 256-bit tie-break seed and its commitment (SHA-256 hex), published when voting opens."""
    seed = secrets.token_bytes(SEED_BYTES)
    return seed, commitment(seed)


def commitment(seed: bytes) -> str:
    """The SHA-256 (hex) of a seed: what ``tandau verify --commitment`` compares with the revealed seed."""
    return hashlib.sha256(seed).hexdigest()


def _idem_keys(idempotency_key: str, member_id: str, contest_id: str) -> tuple[str, bytes]:
    base = f"{contest_id}\x00{member_id}\x00{idempotency_key}".encode()
    digest = hashlib.blake2b(base, digest_size=32, person=b"tandau-idem-id").hexdigest()
    box_key = hashlib.blake2b(base, digest_size=32, person=b"tandau-idem-bx").digest()
    return digest, box_key


def idempotency(idempotency_key: str, member_id: str, contest_id: str, tracker: str) -> tuple[str, bytes]:
    """(hash to store, the tracking code sealed under the key): only the client that holds the idempotency
    key can ask for the receipt again; the database holds nothing that opens it."""
    digest, box_key = _idem_keys(idempotency_key, member_id, contest_id)
    return digest, bytes(SecretBox(box_key).encrypt(tracker.encode()))


def idempotency_hash(idempotency_key: str, member_id: str, contest_id: str) -> str:
    return _idem_keys(idempotency_key, member_id, contest_id)[0]


def receipt_again(idempotency_key: str, member_id: str, contest_id: str, box: bytes) -> str:
    """The tracking code of the ballot first submitted with ``idempotency_key``."""
    return SecretBox(_idem_keys(idempotency_key, member_id, contest_id)[1]).decrypt(box).decode()
