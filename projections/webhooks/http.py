"""One webhook POST, to the addresses a ``Destination`` was checked for (``projections/webhooks/targets.py``).

The connection goes to a checked address, never to a fresh lookup of the host name; the ``Host``
header, TLS server name (SNI) and certificate verification use the host name, as for any https
request. Redirects are not followed (a 3xx is a failure) and ``timeout`` bounds connecting and each
read. The receiver's answer is judged by its status alone: its body is never read, stored or shown,
so a delivery cannot be used to read an internal page. What went wrong is one of our short reasons.
"""

import http.client
import socket
import ssl
from dataclasses import dataclass

from projections.webhooks.targets import Address, Destination

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
USER_AGENT = "KampungBahagia-Webhooks/1"

TIMEOUT = "timeout"
CONNECTION_REFUSED = "connection refused"
CONNECTION_FAILED = "connection failed"
TLS_ERROR = "TLS error"
BAD_RESPONSE = "invalid HTTP response"
REASONS = (TIMEOUT, CONNECTION_REFUSED, CONNECTION_FAILED, TLS_ERROR, BAD_RESPONSE)


@dataclass(frozen=True)
class Response:
    http_status: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300


def _connect(addresses: tuple[Address, ...], port: int, timeout: float | None) -> socket.socket:
    """A connection to the first of ``addresses`` that answers."""
    failure: OSError = ConnectionRefusedError("no address")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout)
        except OSError as error:
            failure = error
    raise failure


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to ``addresses`` (checked), for a request naming the host."""

    addresses: tuple[Address, ...] = ()

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection, PinnedHTTPConnection):
    """HTTPS over ``PinnedHTTPConnection``'s socket: ``HTTPSConnection.connect`` wraps it in TLS with
    the host name as server name, verified against the system's certificate authorities."""


def post(destination: Destination, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POST ``body`` to ``destination``: its status, or why there was none."""
    pinned = PinnedHTTPSConnection if destination.scheme == "https" else PinnedHTTPConnection
    connection = pinned(destination.host, destination.port, timeout=timeout)
    connection.addresses = destination.addresses
    try:
        connection.request("POST", destination.path, body=body, headers={
            **headers, "Content-Type": CONTENT_TYPE, "User-Agent": USER_AGENT, "Connection": "close",
        })
        status = connection.getresponse().status
    except TimeoutError:
        return Response(None, TIMEOUT)
    except ConnectionRefusedError:
        return Response(None, CONNECTION_REFUSED)
    except ssl.SSLError:  # a certificate that does not verify, or no TLS at all
        return Response(None, TLS_ERROR)
    except http.client.HTTPException:
        return Response(None, BAD_RESPONSE)
    except OSError:
        return Response(None, CONNECTION_FAILED)
    finally:
        connection.close()
    return Response(status, None if 200 <= status < 300 else f"HTTP {status}")
