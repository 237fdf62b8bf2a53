#!/usr/bin/python3
"""Decode one Sluice event with nothing but a released schema file: a second client, independent of the Java code.

Usage: decode_event.py SCHEMA.avsc EVENT.bin

EVENT.bin holds one value in Avro single-object encoding: the marker C3 01, the CRC-64-AVRO fingerprint of the
writer schema's Parsing Canonical Form (8 bytes, little-endian), then the Avro binary body. The script checks the
marker, computes the fingerprint of SCHEMA.avsc itself and compares, decodes the body with Debian's python3-avro
and prints the record as JSON. Exits 1 with the reason on stderr when any of that fails.
"""
import base64
import datetime
import decimal
import io
import json
import sys
import uuid

import avro.io
import avro.schema

MARKER = b"\xc3\x01"
HEADER_LENGTH = 10
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAMED = {"record", "error", "enum", "fixed"}
EMPTY_FINGERPRINT = 0xC15D213AA4D7A795


def _rabin_table():
    table = []
    for byte in range(256):
        fp = byte
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY_FINGERPRINT & -(fp & 1))
        table.append(fp)
    return table


RABIN_TABLE = _rabin_table()


def fingerprint64(data):
    """CRC-64-AVRO (the 64-bit Rabin fingerprint of the Avro specification) of some bytes."""
    fp = EMPTY_FINGERPRINT
    for byte in data:
        fp = (fp >> 8) ^ RABIN_TABLE[(fp ^ byte) & 0xFF]
    return fp


def _text(value):
    return json.dumps(value, ensure_ascii=False)


def _full_name(name, namespace):
    if "." in name or not namespace:
        return name
    return namespace + "." + name


def canonical_form(schema, namespace="", seen=None):
    """The Parsing Canonical Form of a schema given as parsed JSON (Avro specification, 'Parsing Canonical Form')."""
    seen = set() if seen is None else seen
    if isinstance(schema, str):
        return _text(schema if schema in PRIMITIVES else _full_name(schema, namespace))
    if isinstance(schema, list):
        return "[" + ",".join(canonical_form(branch, namespace, seen) for branch in schema) + "]"
    kind = schema["type"]
    if isinstance(kind, (dict, list)) or (kind not in NAMED and kind not in ("array", "map")):
        return canonical_form(kind, namespace, seen)  # {"type": "string", "logicalType": ...} and the like
    if kind == "array":
        return '{"type":"array","items":' + canonical_form(schema["items"], namespace, seen) + "}"
    if kind == "map":
        return '{"type":"map","values":' + canonical_form(schema["values"], namespace, seen) + "}"
    name = schema["name"]
    full = name if "." in name else _full_name(name, schema.get("namespace", namespace))
    if full in seen:
        return _text(full)
    seen.add(full)
    inner_namespace = full.rsplit(".", 1)[0] if "." in full else ""
    parts = ['"name":' + _text(full), '"type":' + _text("record" if kind == "error" else kind)]
    if kind in ("record", "error"):
        fields = ['{"name":' + _text(field["name"]) + ',"type":' + canonical_form(field["type"], inner_namespace, seen) + "}"
                  for field in schema["fields"]]
        parts.append('"fields":[' + ",".join(fields) + "]")
    elif kind == "enum":
        parts.append('"symbols":[' + ",".join(_text(symbol) for symbol in schema["symbols"]) + "]")
    else:
        parts.append('"size":' + str(int(schema["size"])))
    return "{" + ",".join(parts) + "}"


def _json_default(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    raise TypeError("cannot print a " + type(value).__name__)


def decode(schema_text, data):
    if len(data) < HEADER_LENGTH or data[:2] != MARKER:
        raise ValueError("not single-object encoded: expected c3 01 and an 8-byte fingerprint, got "
                         + str(len(data)) + " bytes starting " + data[:HEADER_LENGTH].hex(" "))
    expected = fingerprint64(canonical_form(json.loads(schema_text)).encode("utf-8"))
    actual = int.from_bytes(data[2:HEADER_LENGTH], "little")
    if actual != expected:
        raise ValueError("fingerprint mismatch: the bytes carry " + data[2:HEADER_LENGTH].hex(" ")
                         + ", the schema's is " + expected.to_bytes(8, "little").hex(" "))
    schema = avro.schema.parse(schema_text)
    body = io.BytesIO(data[HEADER_LENGTH:])
    record = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(body))
    left_over = len(body.read())
    if left_over:
        raise ValueError(str(left_over) + " bytes left over after the body")
    return record


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as schema_file:
        schema_text = schema_file.read()
    with open(argv[2], "rb") as event_file:
        data = event_file.read()
    try:
        record = decode(schema_text, data)
    except Exception as error:  # any failure is reported the same way: what went wrong, exit 1
        print("cannot decode " + argv[2] + ": " + str(error), file=sys.stderr)
        return 1
    print(json.dumps(record, default=_json_default, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
