"""Google API clients for verify, calls retried with backoff, and Google errors turned into a reason a person can act on.

Clients are the discovery-based google-api-python-client, built offline from the discovery documents it bundles
(networkconnectivity v1, compute v1, dns v1, iam v1): no discovery fetch at run time, and the request shapes are
Google's own. `GcpOptions.endpoint` sends every call to one server instead (an emulator or the tests' fake): the
API's service path is kept, as on Google (`<endpoint>/compute/v1/projects/...`).

Credentials come from Application Default Credentials (`google.auth.default`: GOOGLE_APPLICATION_CREDENTIALS, the
gcloud user credentials, the metadata server), read-only scope. `anonymous=True` sends no credentials (emulators).
429 and 5xx answers, and connections refused or cut, are retried with exponential backoff and jitter, at most
`max_attempts` tries per call.
"""

from __future__ import annotations

import json
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import google.auth
import google.auth.exceptions
import google_auth_httplib2
import httplib2
from googleapiclient import discovery, discovery_cache
from googleapiclient.errors import HttpError

from .aws import Failure

APIS = {"networkconnectivity": "v1", "compute": "v1", "dns": "v1", "iam": "v1"}
SCOPE = "https://www.googleapis.com/auth/cloud-platform.read-only"
RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
UNREACHABLE = (ConnectionError, socket.timeout, TimeoutError, httplib2.ServerNotFoundError, httplib2.HttpLib2Error)


class GoogleCallError(Exception):
    """A Google call that failed for good (after retries), with what it was and how much of the rest it rules out."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


@dataclass(frozen=True)
class GcpOptions:
    endpoint: str | None = None  # one server for every Google API (an emulator) instead of *.googleapis.com
    project: str | None = None  # project of objects the spec gives none (default: the ADC project)
    anonymous: bool = False  # send no credentials (emulators)
    max_attempts: int = 5  # per call, first try included
    backoff: float = 0.5  # first retry waits up to this many seconds, doubling each time (full jitter)
    max_backoff: float = 16.0
    timeout: float = 30.0


GoogleClientFactory = Callable[[str], Any]  # api name -> a googleapiclient Resource


class GoogleClients:
    """One client per API, sharing the credentials; `call` executes a request with retries."""

    def __init__(self, options: GcpOptions | None = None, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options or GcpOptions()
        self.sleep = sleep
        self._cache: dict[str, Any] = {}
        self._http: Any = None
        self.default_project: str | None = self.options.project

    def credentials(self) -> Any:
        """The authorised HTTP object; raises GoogleCallError when no credentials can be found."""
        if self._http is None:
            http = httplib2.Http(timeout=self.options.timeout)
            if self.options.anonymous:
                self._http = http
            else:
                try:
                    creds, project = google.auth.default(scopes=[SCOPE])
                except google.auth.exceptions.DefaultCredentialsError as exc:
                    raise GoogleCallError(Failure(
                        f"no usable Google credentials ({exc}); set GOOGLE_APPLICATION_CREDENTIALS or run "
                        "`gcloud auth application-default login`", "everything")) from None
                self.default_project = self.default_project or project
                self._http = google_auth_httplib2.AuthorizedHttp(creds, http=http)
        return self._http

    def __call__(self, api: str) -> Any:
        if api not in self._cache:
            document = discovery_cache.get_static_doc(api, APIS[api])
            if document is None:  # pragma: no cover - the documents ship with google-api-python-client
                raise GoogleCallError(Failure(f"no bundled discovery document for {api} {APIS[api]}", "everything"))
            client_options = None
            if self.options.endpoint:
                service_path = json.loads(document).get("servicePath", "")
                client_options = {"api_endpoint": f"{self.options.endpoint.rstrip('/')}/{service_path}"}
            self._cache[api] = discovery.build_from_document(
                document, http=self.credentials(), client_options=client_options,
            )
        return self._cache[api]

    def call(self, request: Any, what: str, *, missing_ok: bool = False) -> Any:
        """Execute `request`, retrying 429, 5xx and cut connections with backoff; GoogleCallError when it fails."""
        attempts = max(1, self.options.max_attempts)
        for attempt in range(1, attempts + 1):
            try:
                return request.execute(num_retries=0)
            except HttpError as exc:
                status = exc.status_code or exc.resp.status
                if status == 404 and missing_ok:
                    return None
                if status in RETRIED_STATUS and attempt < attempts:
                    self._wait(attempt)
                    continue
                raise GoogleCallError(explain_http(exc, status, what, attempt)) from None
            except UNREACHABLE as exc:
                if attempt < attempts:
                    self._wait(attempt)
                    continue
                where = self.options.endpoint or "Google APIs"
                raise GoogleCallError(Failure(
                    f"cannot reach {where} for {what} after {attempt} attempt(s): {exc or type(exc).__name__}",
                    "endpoint")) from None
            except google.auth.exceptions.GoogleAuthError as exc:
                raise GoogleCallError(Failure(f"Google credentials failed ({exc})", "everything")) from None
            except ValueError as exc:  # an answer that is not the API's JSON (a proxy's page, a wrong endpoint)
                raise GoogleCallError(Failure(f"{what}: the answer is not Google API JSON ({exc})", "call")) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int) -> None:
        ceiling = min(self.options.max_backoff, self.options.backoff * 2 ** (attempt - 1))
        self.sleep(random.uniform(0, ceiling))  # jitter, not security


def explain_http(exc: HttpError, status: int, what: str, attempts: int) -> Failure:
    message = _message(exc)
    if status in (401,):
        return Failure(f"Google rejected the credentials ({status}: {message})", "everything")
    if status == 403:
        return Failure(f"access denied to {what} ({status}: {message})", "call")
    if status == 429:
        return Failure(f"throttled by Google on {what} (429), still after {attempts} attempts with backoff", "call")
    if status >= 500:
        return Failure(f"{what} failed ({status}: {message or 'server error'}), still after {attempts} attempts "
                       "with backoff", "call")
    return Failure(f"{what} failed ({status}: {message or 'no message'})", "call")


def _message(exc: HttpError) -> str:
    try:
        return str(exc.reason or "").strip()
    except Exception:
        return ""
