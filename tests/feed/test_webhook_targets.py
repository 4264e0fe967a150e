"""Webhooks cannot be aimed inside: a target must be https and public, in every spelling of an
address, when subscribing and again at each delivery (DNS rebinding too), unless an administrator
allowed it (``KAMPUNG_WEBHOOK_ALLOW``); a delivery connects to the address checked, with the host
name for Host, SNI and the certificate, follows no redirect, and keeps nothing the receiver said."""

import socket
import ssl
import subprocess
import threading
from ipaddress import ip_address
from pathlib import Path

import pytest

from domain.errors import InvalidValue
from projections.webhooks import targets as webhook_targets
from projections.webhooks.http import TLS_ERROR
from projections.webhooks.targets import (
    HOST_NOT_FOUND, REFUSED_HTTP, REFUSED_INTERNAL, TargetPolicy, TargetRefused, is_public,
)
from projections.webhooks.worker import Round
from interfaces.app import create_app
from tests.api.conftest import ApiClient, assert_problem
from tests.feed.webhook_support import (  # noqa: F401 - receiver and _dispose_engines are fixtures
    ADMIN, PUBLIC_ADDRESS, Receiver, _dispose_engines, head, launched_rts, public_example, receiver, store_of,
    webhook_app_config, worker_of,
)
from tests.web.conftest import sign_in

INTERNAL = [
    "https://127.0.0.1/", "https://127.0.0.1:5432/", "https://localhost/", "https://localhost./",
    "https://2130706433/",  # 127.0.0.1 as one decimal number
    "https://0177.0.0.1/",  # octal
    "https://0x7f.1/",  # hex, short form
    "https://127.1/",  # short form
    "https://0x7f000001/", "https://017700000001/",
    "https://[::1]:22/", "https://[0:0:0:0:0:0:0:1]/",
    "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service: link-local
    "https://10.0.0.5/", "https://172.16.0.1/", "https://192.168.1.1/",  # private
    "https://100.64.0.1/",  # carrier-grade NAT
    "https://0.0.0.0/", "https://0/", "https://[::]/",  # unspecified
    "https://224.0.0.1/", "https://[ff02::1]/",  # multicast
    "https://240.0.0.1/", "https://255.255.255.255/", "https://198.18.0.1/", "https://192.0.2.1/",  # reserved
    "https://[fe80::1]/", "https://[fc00::1]/", "https://[fec0::1]/", "https://[2001:db8::1]/",
    "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/", "https://[::ffff:8.8.8.8]/",  # IPv4-mapped
    "https://[2002:7f00:1::]/", "https://[2002:a00:1::]/",  # 6to4 of 127.0.0.1 and 10.0.0.1
    "https://[64:ff9b::a00:1]/", "https://[64:ff9b:1::a00:1]/",  # NAT64 of 10.0.0.1
    "https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",  # Teredo to 10.0.0.1
]
REBINDING = "rebinding.example"


class Rebinding:
    """A name lookup whose answer for ``rebinding.example`` the test changes (as its owner's DNS may)."""

    def __init__(self) -> None:
        self.answer = [PUBLIC_ADDRESS]

    def __call__(self, host: str, port: int):
        return list(self.answer) if host == REBINDING else public_example(host, port)


# --- the policy ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", INTERNAL)
def test_every_spelling_of_an_internal_address_is_refused(url):
    with pytest.raises(TargetRefused) as refused:
        TargetPolicy().destination(url)
    assert refused.value.reason == REFUSED_INTERNAL


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:2800:220:1::1", "2002:5db8:d70e::1"])
def test_public_addresses_are_public(address):
    assert is_public(ip_address(address))


def test_a_public_https_target_connects_to_the_address_it_was_checked_for():
    destination = TargetPolicy(resolve=public_example).destination("https://mitra.example:8443/kait?x=1")
    assert (destination.host, destination.port, destination.path, destination.addresses) == (
        "mitra.example", 8443, "/kait?x=1", (PUBLIC_ADDRESS,))


def test_plain_http_a_name_that_resolves_inside_in_part_and_an_unknown_name_are_refused():
    lookup = Rebinding()
    policy = TargetPolicy(resolve=lookup)
    for url, reason in (("http://mitra.example/", REFUSED_HTTP), ("https://nowhere.invalid/", HOST_NOT_FOUND)):
        with pytest.raises(TargetRefused, match=reason):
            policy.destination(url)
    lookup.answer = [PUBLIC_ADDRESS, ip_address("10.0.0.1")]  # every address counts, not just the first
    with pytest.raises(TargetRefused, match=REFUSED_INTERNAL):
        policy.destination(f"https://{REBINDING}/")


def test_an_administrator_allows_hosts_by_name_and_networks_over_http_too():
    def lookup(host, port):
        return [ip_address("10.1.2.3")] if host == "penerima.pemkot.local" else public_example(host, port)

    policy = TargetPolicy.from_setting("127.0.0.1, 10.20.0.0/16  penerima.pemkot.local", resolve=lookup)
    assert policy.destination("http://127.0.0.1:8080/").addresses == (ip_address("127.0.0.1"),)
    assert policy.destination("http://2130706433:8080/").addresses == (ip_address("127.0.0.1"),)  # the same address
    assert policy.destination("http://penerima.pemkot.local/").addresses == (ip_address("10.1.2.3"),)
    assert policy.destination("https://10.20.9.9/").addresses == (ip_address("10.20.9.9"),)
    for url, reason in (("https://10.21.0.1/", REFUSED_INTERNAL), ("https://127.0.0.2/", REFUSED_INTERNAL),
                        ("http://mitra.example/", REFUSED_HTTP)):
        with pytest.raises(TargetRefused, match=reason):
            policy.destination(url)
    with pytest.raises(InvalidValue, match="KAMPUNG_WEBHOOK_ALLOW"):
        TargetPolicy.from_setting("10.0.0.0/8, https://penerima/")


# --- subscribing ------------------------------------------------------------------------------------------------


@pytest.fixture
def api(app_sqlite) -> ApiClient:
    """The API as a deployment runs it by default: no target allowed beyond the public ones."""
    flask_app = create_app(webhook_app_config(app_sqlite, KAMPUNG_WEBHOOK_TARGETS=TargetPolicy(resolve=public_example)))
    return ApiClient(flask_app.test_client(), actor="integrasi.bpjs:integrator")


@pytest.mark.parametrize("url, said", [
    *((url, "Give an https URL") for url in (
        "http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:22/", "http://mitra.example/")),
    *((url, "is not a public address") for url in INTERNAL[::4]),
    ("https://tidak-ada.invalid/", "cannot be resolved"),
])
def test_subscribing_an_internal_or_plain_http_target_is_a_422_and_records_nothing(api, app_sqlite, url, said):
    api.get("/webhooks")  # the integrator's account and token are made
    before = head(app_sqlite)
    body = assert_problem(api.post("/webhooks", {"url": url}), 422, "url")
    assert said in body["errors"]["url"][0]
    assert api.get("/webhooks").get_json()["items"] == [] and head(app_sqlite) == before


def test_the_default_allows_no_internal_target_and_the_admin_page_says_why_in_indonesian(app_sqlite, monkeypatch):
    monkeypatch.delenv("KAMPUNG_WEBHOOK_ALLOW", raising=False)
    client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "KAMPUNG_APP": app_sqlite,
                         "SECRET_KEY": "test"}).test_client()
    sign_in(client, "admin.dpmppa", "admin")
    for url, said in (("http://10.0.0.7/kait", "http:// tanpa enkripsi hanya boleh"),
                      ("https://0x7f.1/kait", "bukan alamat publik"),
                      ("https://tidak-ada.invalid/kait", "tidak dapat ditemukan")):
        response = client.post("/admin/webhooks", data={"url": url})
        assert response.status_code == 422 and said in response.get_data(as_text=True), url
    assert client.application.extensions["kampung.webhooks"].subscriptions().rows == []


# --- delivering -------------------------------------------------------------------------------------------------


def test_an_existing_subscription_pointing_inside_is_refused_at_delivery_with_our_reason(app_sqlite, receiver):
    store = store_of(app_sqlite)
    plain, _ = store.create(receiver.url(), [], ADMIN, head=0)  # made before targets were checked
    loopback, _ = store.create(receiver.url().replace("http://127.0.0.1", "https://0x7f.1"), [], ADMIN, head=0)
    launched_rts(app_sqlite, 1)

    assert worker_of(app_sqlite, store, targets=TargetPolicy()).deliver_due() == Round(2, 0, 2)

    assert receiver.on() == []
    for subscription, reason in ((plain, REFUSED_HTTP), (loopback, REFUSED_INTERNAL)):
        [attempt] = store.deliveries(subscription["id"]).rows
        assert (attempt["status"], attempt["http_status"], attempt["error"]) == ("failed", None, reason)
        assert store.get(subscription["id"])["last_error"] == reason


def test_a_name_that_resolves_inside_after_subscribing_reaches_nothing(app_sqlite, receiver):
    lookup = Rebinding()
    policy = TargetPolicy.from_setting("", resolve=lookup)
    policy.check_subscription(f"https://{REBINDING}/kait")  # public when subscribed
    store = store_of(app_sqlite)
    subscription, _ = store.create(f"https://{REBINDING}:{receiver.server.server_port}/kait", [], ADMIN, head=0)
    launched_rts(app_sqlite, 1)
    lookup.answer = [ip_address("127.0.0.1")]  # and then the owner's DNS answers with the loopback

    assert worker_of(app_sqlite, store, targets=policy).deliver_due().failed == 1
    assert receiver.on() == [] and store.get(subscription["id"])["last_error"] == REFUSED_INTERNAL


def test_the_connection_goes_to_the_checked_address_with_the_host_name_in_the_host_header(app_sqlite, receiver):
    # A name no resolver but the policy's knows: the POST can only have reached the address it was checked for.
    policy = TargetPolicy.from_setting("penerima.pemkot.local", resolve=lambda host, port: [ip_address("127.0.0.1")])
    store = store_of(app_sqlite)
    store.create(f"http://penerima.pemkot.local:{receiver.server.server_port}/hook", [], ADMIN, head=0)
    launched_rts(app_sqlite, 1)
    assert worker_of(app_sqlite, store, targets=policy).deliver_due().delivered == 5
    assert {request.headers["host"] for request in receiver.on()} == {
        f"penerima.pemkot.local:{receiver.server.server_port}"}


def test_the_receivers_answer_is_never_kept_nor_shown(app_sqlite):
    internal_page = b"<h1>pgAdmin</h1> postgres password: rahasia"
    receiver = Receiver(decide=lambda n, request: 500, reply=internal_page).start()
    try:
        flask_app = create_app(webhook_app_config(app_sqlite))
        api = ApiClient(flask_app.test_client())
        subscription = api.post("/webhooks", {"url": receiver.url()}).get_json()
        launched_rts(app_sqlite, 1)
        worker_of(app_sqlite, flask_app.extensions["kampung.webhooks"]).deliver_due()
    finally:
        receiver.stop()
    shown = api.get(f"/webhooks/{subscription['id']}/deliveries").get_json()["items"]
    assert [(d["http_status"], d["error"]) for d in shown] == [(500, "HTTP 500")]
    assert api.get(f"/webhooks/{subscription['id']}").get_json()["last_error"] == "HTTP 500"
    page = flask_app.test_client()
    sign_in(page, "admin.dpmppa", "admin")
    html = page.get(f"/admin/webhooks/{subscription['id']}").get_data(as_text=True)
    assert "HTTP 500" in html and "pgAdmin" not in html and "rahasia" not in html


def test_old_errors_that_kept_a_receivers_answer_lose_it_when_the_store_starts(app_sqlite):
    store = store_of(app_sqlite)
    subscription, _ = store.create("https://mitra.example/hook", [], ADMIN, head=0)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE webhook_subscriptions SET last_error = 'HTTP 500 Internal Server Error: postgres password: x'")
    assert store_of(app_sqlite).get(subscription["id"])["last_error"] == "HTTP 500"


@pytest.fixture
def tls_receiver(tmp_path: Path):
    """A TLS server on 127.0.0.1 with a self-signed certificate for penerima.example, recording the
    server names its clients ask for (SNI)."""
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=penerima.example", "-addext", "subjectAltName=DNS:penerima.example",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        for _ in range(5):
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            try:
                context.wrap_socket(connection, server_side=True).close()
            except (ssl.SSLError, OSError):
                connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], names
    listener.close()


def test_https_asks_for_the_host_name_and_refuses_a_certificate_that_does_not_verify(app_sqlite, tls_receiver):
    port, names = tls_receiver
    policy = TargetPolicy.from_setting("127.0.0.1", resolve=lambda host, port: [ip_address("127.0.0.1")])
    store = store_of(app_sqlite)
    subscription, _ = store.create(f"https://penerima.example:{port}/kait", [], ADMIN, head=0)
    launched_rts(app_sqlite, 1)
    assert worker_of(app_sqlite, store, targets=policy).deliver_due().failed == 1
    assert names == ["penerima.example"]  # SNI: the host name, not the address connected to
    assert store.get(subscription["id"])["last_error"] == TLS_ERROR  # a self-signed certificate is not trusted


def test_the_system_lookup_reads_numeric_spellings_as_their_address():
    assert webhook_targets.resolve_host("2130706433", 443) == [ip_address("127.0.0.1")]
    assert webhook_targets.resolve_host("0x7f.1", 443) == [ip_address("127.0.0.1")]
    assert webhook_targets.resolve_host("0177.0.0.1", 443) == [ip_address("127.0.0.1")]
    assert webhook_targets.resolve_host("nowhere.invalid", 443) == []
