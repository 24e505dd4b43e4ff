#!/usr/bin/env python3
"""Short-lived MCP access tokens from an mcp-token broker, for Python agents.

Signs the broker call with your AWS identity (SigV4, service "lambda", botocore's signer and its
standard credential chain: environment, shared profiles, IAM Identity Center, ECS/EC2 roles) and
uses only the standard library for HTTP. botocore comes with boto3 and the AWS CLI.

    from get_token import get_token, mcp_headers
    headers = mcp_headers("https://abc123.lambda-url.us-west-2.on.aws/")  # {"Authorization": "Bearer …"}

As a command (like `mcp-token get` / `mcp-token headers`; stdout carries only the result):

    MCP_TOKEN_BROKER_URL=https://abc123.lambda-url.us-west-2.on.aws/ python3 get_token.py [--headers]

Tokens live minutes to an hour: call get_token() again (or cache the response until a few minutes
before "expires_at") rather than holding one token for the life of a long-running agent.
Tested by tests/consumers/test/python.test.ts against the local stack.
"""

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from botocore.auth import SigV4Auth
from botocore.exceptions import BotoCoreError
from botocore.awsrequest import AWSRequest
from botocore.session import Session

# Bounds on what the broker may send back: a token response is a few KiB.
MAX_RESPONSE_BYTES = 64 * 1024
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_FUNCTION_URL_HOST = re.compile(r"^[a-z0-9]+\.lambda-url\.([a-z0-9-]+)\.on\.aws$")


class BrokerError(Exception):
    """The broker refused: `code` is its error code (access_denied, unknown_profile, …)."""

    def __init__(self, status, code, description, request_id):
        super().__init__(f"{description} [{code}, request id {request_id}]")
        self.status, self.code, self.request_id = status, code, request_id


def _region(broker_url, session, region):
    if region:
        return region
    host = urllib.parse.urlsplit(broker_url).hostname or ""
    match = _FUNCTION_URL_HOST.match(host)
    region = match.group(1) if match else session.get_config_variable("region")
    if not region:
        raise ValueError("no region: the broker URL is not a Function URL host; pass region= or set AWS_REGION")
    return region


def get_token(broker_url, profile="default", region=None, aws_profile=None, timeout=10):
    """Returns the broker's token response: access_token, token_type, expires_in, expires_at, scope, profile."""
    parts = urllib.parse.urlsplit(broker_url)
    if not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)):
        raise ValueError(f"broker_url must be https: (http: only on loopback), got {broker_url!r}")
    session = Session(profile=aws_profile)
    credentials = session.get_credentials()
    if credentials is None:
        who = aws_profile or os.environ.get("AWS_PROFILE") or "default"
        raise RuntimeError(
            f"no AWS credentials for profile {who!r}: run `aws sso login --profile {who}` "
            f"or `aws configure --profile {who}`"
        )
    url = broker_url.rstrip("/") + "/v1/token"
    body = json.dumps({"profile": profile}).encode()
    signed = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(credentials.get_frozen_credentials(), "lambda", _region(broker_url, session, region)).add_auth(signed)
    request = urllib.request.Request(url, data=body, headers=dict(signed.headers.items()), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _json(response.read(MAX_RESPONSE_BYTES + 1))
    except urllib.error.HTTPError as error:
        payload = _json(error.read(MAX_RESPONSE_BYTES + 1), strict=False)
        raise BrokerError(
            error.code,
            str(payload.get("error", f"http_{error.code}")),
            # A Function URL refusal (IAM, signature) has {"Message": …} instead of the broker's fields.
            str(payload.get("error_description") or payload.get("Message") or error.reason),
            str(payload.get("request_id", "-")),
        ) from None


def mcp_headers(broker_url, **kwargs):
    """The headers an MCP client sends: {"Authorization": "Bearer <token>"}."""
    token = get_token(broker_url, **kwargs)
    return {"Authorization": f"{token['token_type']} {token['access_token']}"}


def _json(raw, strict=True):
    if len(raw) > MAX_RESPONSE_BYTES:
        raise ValueError(f"broker response larger than {MAX_RESPONSE_BYTES} bytes")
    try:
        value = json.loads(raw)
        if isinstance(value, dict):
            return value
    except ValueError:
        pass
    if strict:
        raise ValueError("broker response is not a JSON object")
    return {}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print a short-lived MCP access token from an mcp-token broker.")
    parser.add_argument("--broker", default=os.environ.get("MCP_TOKEN_BROKER_URL"), help="broker Function URL")
    parser.add_argument("--profile", default=os.environ.get("MCP_TOKEN_PROFILE", "default"), help="broker profile")
    parser.add_argument("--aws-profile", default=None, help="AWS shared-config profile (default: AWS_PROFILE)")
    parser.add_argument("--region", default=None, help="SigV4 region (default: from the Function URL host)")
    parser.add_argument("--headers", action="store_true", help='print {"Authorization": "Bearer …"} as JSON')
    args = parser.parse_args(argv)
    if not args.broker:
        parser.error("no broker URL: pass --broker or set MCP_TOKEN_BROKER_URL")
    options = {"profile": args.profile, "region": args.region, "aws_profile": args.aws_profile}
    try:
        if args.headers:
            print(json.dumps(mcp_headers(args.broker, **options)))
        else:
            print(get_token(args.broker, **options)["access_token"])
    except BrokerError as error:
        print(f"get_token.py: {error}", file=sys.stderr)
        return 4 if error.status in (401, 403, 404) else 1
    except (BotoCoreError, OSError, RuntimeError, ValueError) as error:
        print(f"get_token.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
