#!/usr/bin/env python3
"""Stocks moto's S3 server for the mirror tests, as PhysioNet's cloud grants would leave a bucket.

Usage: stock-s3.py ENDPOINT BUCKET PREFIX SOURCE_DIR
Run against `python3 -m moto.server` started with INITIAL_NO_AUTH_ACTION_COUNT=3: the first three calls
(create the IAM user, its key, its policy) go unauthenticated; everything after, this script's uploads and
physio's reads, must be signed with that key. Prints "ACCESS_KEY_ID SECRET_ACCESS_KEY".
"""
import json
import os
import sys

import boto3

endpoint, bucket, prefix, source = sys.argv[1:5]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="reader")
key = iam.create_access_key(UserName="reader")["AccessKey"]
iam.put_user_policy(UserName="reader", PolicyName="everything", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}))
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
s3.create_bucket(Bucket=bucket)
for root, _, files in os.walk(source):
    for name in files:
        path = os.path.join(root, name)
        relative = os.path.relpath(path, source)
        s3.upload_file(path, bucket, f"{prefix}/{relative}" if prefix else relative)
print(key["AccessKeyId"], key["SecretAccessKey"])
