#!/usr/bin/python3
"""Reads an Attention Analytics output topic written with --output-format avro-registry and prints
one JSON object per record: {"key": ..., "value": {...}} (value null for a tombstone).

Each value is in the Confluent wire format: byte 0, a 4-byte big-endian schema id, the Avro binary
body. The writer schema is fetched once per id from the registry's Confluent-compatible API
(GET <registry>/apis/ccompat/v6/schemas/ids/<id>) and the body decoded with it.

Needs Debian's python3-confluent-kafka, python3-avro and python3-requests (no fastavro, no PyPI):
  apt-get install python3-confluent-kafka python3-avro python3-requests

Usage: consume_registry.py BOOTSTRAP_SERVERS REGISTRY_URL TOPIC [MAX_RECORDS]
Reads the topic from the beginning (read_committed) until MAX_RECORDS or 10 s without a record.
"""
import io
import json
import struct
import sys

import avro.io
import avro.schema
import requests
from confluent_kafka import Consumer

SCHEMAS = {}


def writer_schema(registry, schema_id):
    if schema_id not in SCHEMAS:
        reply = requests.get(f"{registry}/apis/ccompat/v6/schemas/ids/{schema_id}", timeout=10)
        reply.raise_for_status()
        SCHEMAS[schema_id] = avro.schema.parse(reply.json()["schema"])
    return SCHEMAS[schema_id]


def decode(registry, value):
    if value is None:
        return None  # a tombstone: the user's record was erased
    if len(value) < 5 or value[0] != 0:
        raise ValueError("not the Confluent wire format")
    (schema_id,) = struct.unpack(">I", value[1:5])
    reader = avro.io.DatumReader(writer_schema(registry, schema_id))
    return reader.read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


def plain(datum):
    """Avro's Python datum as JSON: timestamps (datetime) and dates as ISO-8601 text, bytes as hex."""
    if isinstance(datum, dict):
        return {k: plain(v) for k, v in datum.items()}
    if isinstance(datum, list):
        return [plain(v) for v in datum]
    if isinstance(datum, bytes):
        return datum.hex()
    if hasattr(datum, "isoformat"):
        return datum.isoformat()
    return datum


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    bootstrap, registry, topic = argv[1], argv[2].rstrip("/").removesuffix("/apis/ccompat/v6"), argv[3]
    limit = int(argv[4]) if len(argv) == 5 else -1
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "consume-registry-py",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
    })
    consumer.subscribe([topic])
    count = 0
    try:
        while limit < 0 or count < limit:
            message = consumer.poll(10.0)
            if message is None:
                break
            if message.error():
                raise SystemExit(f"consume_registry.py: {message.error()}")
            key = message.key().decode("utf-8") if message.key() is not None else None
            print(json.dumps({"key": key, "value": plain(decode(registry, message.value()))}), flush=True)
            count += 1
    finally:
        consumer.close()
    print(f"{count} record{'' if count == 1 else 's'}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
