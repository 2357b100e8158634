"""boto3 clients for verify, and AWS errors turned into a reason a person can act on.

Credentials and the default region come from the standard chain (a boto3 Session: environment, shared config and
credentials files, SSO, container and instance roles). Throttling and transient errors are retried by botocore's
"standard" retry mode (exponential backoff with jitter, at most `max_attempts` tries per call).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectionError as EndpointUnreachable  # refused, DNS failure, connect timeout

ClientFactory = Callable[[str, str], Any]  # (service, region) -> boto3 client

# Permission prefix of each service in IAM actions (for "access denied to ec2:SearchTransitGatewayRoutes").
_IAM_PREFIX = {"ec2": "ec2", "directconnect": "directconnect", "route53resolver": "route53resolver", "iam": "iam",
               "networkmanager": "networkmanager"}
_THROTTLING = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
    "RequestThrottled", "RequestThrottledException", "SlowDown", "BandwidthLimitExceeded",
})
_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException", "Forbidden"})
_BAD_CREDENTIALS = frozenset({
    "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
    "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidSignatureException",
})
_UNREACHABLE = (EndpointUnreachable, ReadTimeoutError, ConnectionClosedError)


@dataclass(frozen=True)
class AwsOptions:
    endpoint_url: str | None = None  # an emulator (moto) instead of AWS
    max_attempts: int = 5  # per call, first try included; throttling and transient errors are retried
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    def config(self) -> Config:
        return Config(
            retries={"mode": "standard", "total_max_attempts": self.max_attempts},  # the first try included
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            user_agent_extra="xcloud-verify",
        )


class Clients:
    """One client per (service, region), from one session."""

    def __init__(self, session: boto3.Session | None = None, options: AwsOptions | None = None) -> None:
        self.session = session or boto3.Session()
        self.options = options or AwsOptions()
        self._config = self.options.config()
        self._cache: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._cache:
            self._cache[key] = self.session.client(
                service, region_name=region, endpoint_url=self.options.endpoint_url, config=self._config
            )
        return self._cache[key]

    @property
    def home_region(self) -> str:
        """The region for global services (IAM): the session's, or us-east-1."""
        return self.session.region_name or "us-east-1"


@dataclass(frozen=True)
class Failure:
    reason: str
    scope: str  # "everything": stop reading (credentials); "endpoint": skip the service in that region; "call"


def explain(exc: Exception, service: str, region: str) -> Failure:
    """What went wrong, in words, and how much of the rest it rules out."""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError | ProfileNotFound):
        return Failure(
            f"no usable AWS credentials ({exc}); looked in the environment, the shared config and credentials files, "
            "SSO, and container and instance roles: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
            "everything",
        )
    if isinstance(exc, NoRegionError):
        return Failure(f"no region for {service}: {exc}", "everything")
    if isinstance(exc, _UNREACHABLE):
        return Failure(f"cannot reach {service} in {region} (region or endpoint down?): {exc}", "endpoint")
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "?"), error.get("Message", "")
        action = f"{_IAM_PREFIX.get(service, service)}:{exc.operation_name}"
        if code in _BAD_CREDENTIALS:
            return Failure(f"AWS rejected the credentials ({code}: {message})", "everything")
        if code in _DENIED:
            return Failure(f"access denied to {action} ({code}: {message})", "call")
        if code in _THROTTLING:
            attempts = exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1
            return Failure(f"throttled by AWS on {action} ({code}), still after {attempts} attempts with backoff", "call")
        return Failure(f"{action} failed ({code}: {message or 'no message'})", "call")
    if isinstance(exc, BotoCoreError):
        return Failure(f"{service} failed: {exc}", "call")
    raise exc
