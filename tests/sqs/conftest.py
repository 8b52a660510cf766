"""One Terrarium server per test session, and boto3 clients pointed at it.

The server is the jar the Maven build makes (terrarium-server/target/terrarium.jar, or $TERRARIUM_JAR);
when it is missing it is built once with `mvn -q -B -DskipTests package`.
"""
import os
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _jar():
    jar = Path(os.environ.get("TERRARIUM_JAR", ROOT / "terrarium-server" / "target" / "terrarium.jar"))
    if not jar.is_file():
        subprocess.run(["mvn", "-q", "-B", "-DskipTests", "package"], cwd=ROOT, check=True)
    return jar


def _wait_healthy(endpoint, process, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"terrarium exited with {process.returncode} before serving")
        try:
            with urllib.request.urlopen(endpoint + "/_terrarium/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"terrarium did not answer at {endpoint} in time")


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("terrarium") / "server.log").open("w")
    process = subprocess.Popen(
        ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(_jar()),
         "--port", str(port), "--log-level", "warn"],
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, time.monotonic() + 60)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def sqs(endpoint):
    return boto3.client("sqs", region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def queue_name():
    return "py-" + uuid.uuid4().hex[:12]


@pytest.fixture
def queue_url(sqs, queue_name):
    url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)
