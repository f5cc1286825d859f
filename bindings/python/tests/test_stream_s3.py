"""open_pdf's stream handed to boto3's upload_fileobj: a report goes to S3 at the pace
of the upload, with no temporary file and without the whole PDF in memory. moto serves
S3 inside this process (it intercepts botocore), so nothing leaves the machine."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

SIZE = 20 * 1024 * 1024  # over boto3's 8 MiB threshold: a multipart upload of several parts


@pytest.fixture
def s3(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="reports")
        yield s3


def test_upload_fileobj_takes_the_stream(client, s3):
    query = {"params": {"fakeSizeBytes": SIZE}}
    want = client.get_pdf(160, query)
    with client.open_pdf(160, query) as stream:
        s3.upload_fileobj(stream, "reports", "160.pdf")
    got = s3.get_object(Bucket="reports", Key="160.pdf")["Body"].read()
    assert len(got) == len(want) >= SIZE
    assert got == want
