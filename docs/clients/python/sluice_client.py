"""What a Python program needs to talk to Sluice over Kafka, with Debian's python3-avro, python3-cryptography and
python3-kafka: the released schemas, Avro single-object encoding, owners' request signatures and the
client properties file `sluice dev` writes. docs/clients.md explains each part; submit_and_follow.py uses them.
"""
import base64
import datetime
import hashlib
import io
import json
import os
import re
import uuid

import avro.io
import avro.schema
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

MARKER = b"\xc3\x01"
HEADER_LENGTH = 10
SIGNATURE_HEADER = "sluice-signature"
MAX_KEY_FILE_BYTES = 16 * 1024
MAX_PROPERTIES_FILE_BYTES = 64 * 1024


# --- The Parsing Canonical Form and its CRC-64-AVRO fingerprint, computed here --------------------------------------
# python3-avro 1.11's own canonical form keeps attributes the specification strips (logicalType among them), so its
# fingerprints of Sluice's schemas (uuid and timestamp-millis fields) differ from Java's. This is the specification's
# algorithm ("Parsing Canonical Form for Schemas"), as schemas/src/test/python/decode_event.py also computes it.

_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
_NAMED = {"record", "error", "enum", "fixed"}
_EMPTY = 0xC15D213AA4D7A795


def _rabin_table():
    table = []
    for byte in range(256):
        fp = byte
        for _ in range(8):
            fp = (fp >> 1) ^ (_EMPTY & -(fp & 1))
        table.append(fp)
    return table


_TABLE = _rabin_table()


def fingerprint64(data):
    """CRC-64-AVRO, the 64-bit Rabin fingerprint of the Avro specification, of some bytes."""
    fp = _EMPTY
    for byte in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


def _full_name(name, namespace):
    return name if "." in name or not namespace else namespace + "." + name


def canonical_form(schema, namespace="", seen=None):
    """The Parsing Canonical Form of a schema given as parsed JSON."""
    seen = set() if seen is None else seen
    text = lambda value: json.dumps(value, ensure_ascii=False)
    if isinstance(schema, str):
        return text(schema if schema in _PRIMITIVES else _full_name(schema, namespace))
    if isinstance(schema, list):
        return "[" + ",".join(canonical_form(branch, namespace, seen) for branch in schema) + "]"
    kind = schema["type"]
    if isinstance(kind, (dict, list)) or (kind not in _NAMED and kind not in ("array", "map")):
        return canonical_form(kind, namespace, seen)  # {"type": "long", "logicalType": ...} is just "long"
    if kind == "array":
        return '{"type":"array","items":' + canonical_form(schema["items"], namespace, seen) + "}"
    if kind == "map":
        return '{"type":"map","values":' + canonical_form(schema["values"], namespace, seen) + "}"
    full = _full_name(schema["name"], schema.get("namespace", namespace))
    if full in seen:
        return text(full)
    seen.add(full)
    inner = full.rsplit(".", 1)[0] if "." in full else ""
    parts = ['"name":' + text(full), '"type":' + text("record" if kind == "error" else kind)]
    if kind in ("record", "error"):
        parts.append('"fields":[' + ",".join(
            '{"name":' + text(f["name"]) + ',"type":' + canonical_form(f["type"], inner, seen) + "}"
            for f in schema["fields"]) + "]")
    elif kind == "enum":
        parts.append('"symbols":[' + ",".join(text(symbol) for symbol in schema["symbols"]) + "]")
    else:
        parts.append('"size":' + str(int(schema["size"])))
    return "{" + ",".join(parts) + "}"


# --- The released schemas --------------------------------------------------------------------------------------------

class TopicSchemas:
    """Every released writer schema of one topic, by fingerprint; the newest one is the one to write with."""

    def __init__(self, released_dir, topic):
        versions_file = os.path.join(released_dir, "versions.txt")
        with open(versions_file, encoding="utf-8") as f:
            versions = [line.strip() for line in f if line.strip() and not line.startswith("#")]
        self.topic = topic
        self.by_fingerprint = {}
        self.newest = None
        for version in versions:
            path = os.path.join(released_dir, version, topic + ".avsc")
            if not os.path.exists(path):
                continue  # the topic did not exist yet in this version
            with open(path, encoding="utf-8") as f:
                text = f.read()
            fingerprint = fingerprint64(canonical_form(json.loads(text)).encode("utf-8"))
            schema = avro.schema.parse(text)
            self.by_fingerprint[fingerprint] = (version, schema)
            self.newest = (fingerprint, version, schema)
        if self.newest is None:
            raise ValueError(released_dir + ": no released schema of " + topic + " in versions " + ", ".join(versions))

    def encode(self, envelope):
        """The envelope (a dict) in single-object encoding with the newest released schema."""
        fingerprint, _, schema = self.newest
        out = io.BytesIO()
        avro.io.DatumWriter(schema).write(envelope, avro.io.BinaryEncoder(out))
        return MARKER + fingerprint.to_bytes(8, "little") + out.getvalue()

    def decode(self, data):
        """(event name, metadata, payload) of a single-object encoded envelope written with any released version."""
        if len(data) < HEADER_LENGTH or data[:2] != MARKER:
            raise ValueError(self.topic + ": not single-object encoded, starts " + data[:HEADER_LENGTH].hex(" "))
        fingerprint = int.from_bytes(data[2:HEADER_LENGTH], "little")
        if fingerprint not in self.by_fingerprint:
            raise ValueError(self.topic + ": header " + data[:HEADER_LENGTH].hex(" ") + " is no released schema's"
                             " (a newer release? see docs/schemas/headers.md)")
        _, schema = self.by_fingerprint[fingerprint]
        # The envelope is {metadata, payload: union of the topic's events}; python3-avro returns a union branch as a
        # bare dict, so the payload's union index is read here to know which event it is.
        metadata_field, payload_field = schema.fields
        reader = avro.io.DatumReader()
        decoder = avro.io.BinaryDecoder(io.BytesIO(data[HEADER_LENGTH:]))
        metadata = reader.read_data(metadata_field.type, metadata_field.type, decoder)
        branch = payload_field.type.schemas[decoder.read_long()]
        payload = reader.read_data(branch, branch, decoder)
        return branch.name, metadata, payload


def metadata(producer, correlation_id=None, now=None):
    """An EventMetadata for a new request: a fresh event id, the time, who produced it."""
    event_id = str(uuid.uuid4())
    return {
        "eventId": event_id,
        "occurredAt": now or datetime.datetime.now(datetime.timezone.utc),
        "correlationId": correlation_id or event_id,
        "causationId": None,
        "producer": producer,
    }


def step(name, script, env=None):
    """A StepSpec running `script` with /bin/sh, every optional field at its schema default."""
    return {
        "name": name, "argv": [], "script": script, "env": env or {}, "workdir": None,
        "limits": {"memoryBytes": None, "pids": None, "openFiles": None, "cpuShares": None},
        "capabilities": [], "shutdownSignal": "TERM", "stopGraceMillis": 20000,
    }


def job_submitted(job_id, owner, name, target, steps):
    """A JobSubmitted payload (python3-avro wants every field, so each default is spelled out)."""
    return {
        "jobId": job_id,
        "spec": {
            "owner": owner, "name": name, "target": target, "resources": [], "steps": steps, "inputs": [],
            "runTimeoutMillis": None, "queueTimeoutMillis": None, "retriesOnNodeLoss": 0,
            "persistentStore": None, "labels": {}, "network": "ISOLATED",
        },
    }


# --- Owners' signatures: a detached JWS (RFC 7515 appendix F), ES256, kid = RFC 7638 thumbprint ---------------------

def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class OwnerKey:
    """An owner's EC P-256 key from the PEM file `sluice keygen` writes (PKCS#8 private key, then its public key)."""

    def __init__(self, path):
        if os.path.getsize(path) > MAX_KEY_FILE_BYTES:
            raise ValueError(path + ": not a key file (" + str(os.path.getsize(path)) + " bytes)")
        with open(path, "rb") as f:
            pem = f.read()
        try:
            self.private_key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as error:
            raise ValueError(path + ": no unencrypted PKCS#8 private key: " + str(error)) from None
        if not isinstance(self.private_key, ec.EllipticCurvePrivateKey) or self.private_key.curve.name != "secp256r1":
            raise ValueError(path + ": not an EC P-256 key")
        self.key_id = thumbprint(self.private_key.public_key())

    def sign(self, value):
        """The `sluice-signature` header value over the record's value exactly as sent."""
        header = _b64url(json.dumps({"alg": "ES256", "kid": self.key_id}, separators=(",", ":")).encode("utf-8"))
        signing_input = (header + "." + _b64url(value)).encode("ascii")
        r, s = decode_dss_signature(self.private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        # JWS wants R || S, 32 bytes each (RFC 7518 section 3.4), not the DER that cryptography returns.
        return header + ".." + _b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def thumbprint(public_key):
    """The RFC 7638 thumbprint of an EC P-256 public key: SHA-256 of its JWK's required members, sorted, no spaces."""
    numbers = public_key.public_numbers()
    jwk = '{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}' % (
        _b64url(numbers.x.to_bytes(32, "big")), _b64url(numbers.y.to_bytes(32, "big")))
    return _b64url(hashlib.sha256(jwk.encode("ascii")).digest())


# --- Kafka login: the Java client properties file (`sluice dev` writes .sluice/dev/user.kafka.properties) ----------

_JAAS_OPTION = re.compile(r'(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"')


def _unescape(text):
    """Java properties escapes: \\uXXXX, \\t, \\n, \\r, \\f, and a backslash before any other character."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "u" and i + 6 <= len(text):
                out.append(chr(int(text[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def read_java_properties(path):
    """The properties of a Java properties file (one `key=value` or `key: value` a line; no continuation lines)."""
    if os.path.getsize(path) > MAX_PROPERTIES_FILE_BYTES:
        raise ValueError(path + ": too large for a client properties file")
    properties = {}
    with open(path, encoding="latin-1") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line[0] in "#!":
                continue
            match = re.match(r"((?:[^=:\s\\]|\\.)+)\s*[=:\s]\s*(.*)", line)
            if not match:
                raise ValueError(path + " line " + str(number) + ": not 'key=value'")
            properties[_unescape(match.group(1))] = _unescape(match.group(2))
    return properties


def kafka_python_login(java_properties, source):
    """kafka-python's settings for the Java client properties Sluice's CLI takes (bootstrap, SASL PLAIN or SCRAM,
    a CA file for TLS); any other property is reported, not silently dropped."""
    login = {}
    for key, value in java_properties.items():
        if key == "bootstrap.servers":
            login["bootstrap_servers"] = value.split(",")
        elif key == "security.protocol":
            login["security_protocol"] = value
        elif key == "sasl.mechanism":
            login["sasl_mechanism"] = value
        elif key == "ssl.ca.location":
            login["ssl_cafile"] = value
        elif key == "sasl.jaas.config":
            options = dict(_JAAS_OPTION.findall(value))
            if "username" not in options or "password" not in options:
                raise ValueError(source + ": sasl.jaas.config has no username=\"...\" and password=\"...\"")
            login["sasl_plain_username"] = options["username"].replace('\\"', '"').replace("\\\\", "\\")
            login["sasl_plain_password"] = options["password"].replace('\\"', '"').replace("\\\\", "\\")
        else:
            raise ValueError(source + ": property " + key + " is not one this recipe passes to kafka-python")
    return login
