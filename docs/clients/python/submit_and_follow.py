#!/usr/bin/python3
"""Submit a job to Sluice, signed with its owner's key, and follow sluice.job.events until the job's end.

Usage: submit_and_follow.py --kafka-config FILE --owner OWNER --owner-key KEY.pem --step NAME=SCRIPT [...]
           [--bootstrap-servers HOST:PORT] [--topic-prefix PREFIX] [--job-id ID] [--name NAME] [--target TARGET]
           [--released-schemas DIR] [--timeout SECONDS]

Prints one line per event of the job and ends with `job <id> <OUTCOME>`. Exit code 0 when the job SUCCEEDED,
1 when it ended otherwise (failed, cancelled, rejected, its request refused), 2 on a usage error, 3 when the broker
did not answer or the job did not end within --timeout. Needs Debian's python3-avro, python3-cryptography and
python3-kafka. See docs/clients.md.
"""
import argparse
import logging
import os
import sys
import time
import uuid

sys.dont_write_bytecode = True  # run from a checkout: leave no __pycache__ beside the recipe

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

import sluice_client

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASED = os.path.join(HERE, "../../../schemas/src/main/resources/io/sluice/schemas/released")
BROKER_TIMEOUT_MS = 10_000
FINAL = {"JobCleanedUp", "JobRejected", "JobRequestRefused"}


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--kafka-config", required=True,
                        help="Kafka client properties, e.g. .sluice/dev/user.kafka.properties")
    parser.add_argument("--bootstrap-servers", help="wins over the file's bootstrap.servers")
    parser.add_argument("--topic-prefix", default=os.environ.get("SLUICE_TOPIC_PREFIX", ""))
    parser.add_argument("--owner", required=True)
    parser.add_argument("--owner-key", required=True, help="the owner's PEM key file, as `sluice keygen` writes")
    parser.add_argument("--job-id", default=None)
    parser.add_argument("--name", default="from-python")
    parser.add_argument("--target", default="linux")
    parser.add_argument("--step", action="append", required=True, metavar="NAME=SCRIPT")
    parser.add_argument("--released-schemas", default=RELEASED, help="the released/ directory of the schemas")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the job's end")
    args = parser.parse_args(argv)
    for value in args.step:
        if "=" not in value:
            parser.error("--step " + value + ": expected NAME=SCRIPT")
    if not 0 < args.timeout <= 86400:
        parser.error("--timeout: between 0 and 86400 seconds")
    return args


def summary(payload):
    """An event's scalar fields but the job id, as `name=value, ...` (the spec and lists are left out)."""
    return ", ".join(k + "=" + (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in payload.items()
                     if k != "jobId" and v is not None and not isinstance(v, (dict, list)))


def main(argv):
    args = arguments(argv)
    try:
        login = sluice_client.kafka_python_login(
            sluice_client.read_java_properties(args.kafka_config), args.kafka_config)
        key = sluice_client.OwnerKey(args.owner_key)
        requests = sluice_client.TopicSchemas(args.released_schemas, "sluice.job.requests")
        events = sluice_client.TopicSchemas(args.released_schemas, "sluice.job.events")
    except (OSError, ValueError) as error:
        print("submit_and_follow: " + str(error), file=sys.stderr)
        return 2
    if args.bootstrap_servers:
        login["bootstrap_servers"] = args.bootstrap_servers.split(",")
    login.setdefault("bootstrap_servers", ["localhost:9092"])
    requests_topic = args.topic_prefix + "sluice.job.requests"
    events_topic = args.topic_prefix + "sluice.job.events"
    job_id = args.job_id or "py-" + uuid.uuid4().hex[:12]
    broker = ",".join(login["bootstrap_servers"])
    # kafka-python warns on every SCRAM login that the exchange itself is not encrypted (as SASL_PLAINTEXT says).
    logging.getLogger("kafka").setLevel(logging.ERROR)

    consumer = producer = None
    try:
        # Follow from the end of every partition as it is now, before submitting, so no event of the job is missed.
        # The user principal may read the topic but join no consumer group: partitions are assigned, nothing committed.
        consumer = KafkaConsumer(group_id=None, enable_auto_commit=False, request_timeout_ms=3 * BROKER_TIMEOUT_MS,
                                 **login)
        partitions = consumer.partitions_for_topic(events_topic)
        if not partitions:
            print("submit_and_follow: the broker at " + broker + " has no topic " + events_topic
                  + " this login may read", file=sys.stderr)
            return 3
        assigned = [TopicPartition(events_topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        for partition, end in consumer.end_offsets(assigned).items():
            consumer.seek(partition, end)

        # kafka-python's default partitioner is Java's (murmur2 of the key): the request lands where the CLI's would.
        producer = KafkaProducer(acks="all", **login)
        value = requests.encode({
            "metadata": sluice_client.metadata("python-recipe/" + os.uname().nodename, correlation_id=job_id),
            "payload": sluice_client.job_submitted(job_id, args.owner, args.name, args.target,
                                                   [sluice_client.step(*s.split("=", 1)) for s in args.step]),
        })
        sent = producer.send(requests_topic, key=job_id.encode("utf-8"), value=value,
                             headers=[(sluice_client.SIGNATURE_HEADER, key.sign(value).encode("ascii"))])
        where = sent.get(timeout=BROKER_TIMEOUT_MS / 1000)
        print("submitted " + job_id + " as " + args.owner + " (key " + key.key_id + ") to " + requests_topic
              + " partition " + str(where.partition) + ", schema " + requests.newest[1], flush=True)

        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                for record in records:
                    if record.key != job_id.encode("utf-8"):
                        continue  # another job's event
                    name, _, payload = events.decode(record.value)
                    print((name + " " + summary(payload)).rstrip(), flush=True)
                    if name in FINAL:
                        result = payload.get("outcome") or ("REJECTED" if name == "JobRejected" else "REFUSED")
                        print("job " + job_id + " " + result, flush=True)
                        return 0 if result == "SUCCEEDED" else 1
        print("submit_and_follow: job " + job_id + " did not end within " + str(args.timeout) + " s",
              file=sys.stderr)
        return 3
    except KafkaError as error:
        print("submit_and_follow: the broker at " + broker + ": " + type(error).__name__ + ": " + str(error),
              file=sys.stderr)
        return 3
    finally:
        for client in (producer, consumer):
            if client is not None:
                client.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
