"""The admin pages of webhooks (/admin/webhooks), in Indonesian: the list and the create form, the
secret shown once, a subscription's page with its deliveries, pause/resume, redelivery and deletion.
CSRF is off in the test client, as in tests/web; one test checks the forms carry the token."""

import re
from html.parser import HTMLParser

import pytest

from projections.webhooks.store import RetryPolicy
from interfaces.app import create_app
from tests.feed.webhook_support import (  # noqa: F401 - receiver and _dispose_engines are fixtures
    Receiver, _dispose_engines, head, launched_rts, receiver, webhook_app_config, worker_of,
)
from tests.web.conftest import sign_in

UNKNOWN = "0b7e1f3c-5a2d-4c1e-9f3a-2d6b8e4c7a10"


@pytest.fixture
def flask_app(app_sqlite):
    return create_app(webhook_app_config(app_sqlite, WTF_CSRF_ENABLED=False))


@pytest.fixture
def client(flask_app):
    client = flask_app.test_client()
    sign_in(client, "admin.dpmppa", "admin")
    return client


@pytest.fixture
def store(flask_app):
    return flask_app.extensions["kampung.webhooks"]


class Fields(HTMLParser):
    """The form fields of a page (inputs, selects, textareas) and the labels' targets."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.fields: list[dict[str, str]] = []
        self.labelled: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag in ("input", "select", "textarea") and values.get("type") not in ("hidden", "submit"):
            self.fields.append({"tag": tag, **values})
        if tag == "label" and values.get("for"):
            self.labelled.add(values["for"])


def text_of(response) -> str:
    return response.get_data(as_text=True)


def assert_every_field_is_labelled(html: str) -> None:
    page = Fields(html)
    for field in page.fields:
        wrapped_checkbox = field.get("type") == "checkbox"  # <label><input type=checkbox> …</label>
        assert wrapped_checkbox or field.get("id") in page.labelled, field


def create(client, url: str, **form) -> str:
    response = client.post("/admin/webhooks", data={"url": url, **form})
    assert response.status_code == 201, text_of(response)
    return text_of(response)


def test_the_pages_need_a_signed_in_user(flask_app):
    response = flask_app.test_client().get("/admin/webhooks")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_list_page_has_the_navigation_entry_and_a_labelled_create_form(client):
    response = client.get("/admin/webhooks")
    assert response.status_code == 200
    html = text_of(response)
    assert re.search(r'<a href="/admin/webhooks" aria-current="page">Webhook</a>', html)
    assert "Belum ada langganan webhook." in html and "Buat langganan baru" in html
    assert 'name="event_types[]" value="SantunanPaid"' in html and "Santunan dibayar" in html
    assert_every_field_is_labelled(html)


def test_creating_shows_the_secret_once_with_a_warning(client, store, app_sqlite):
    launched_rts(app_sqlite, 1)
    response = client.post("/admin/webhooks", data={"url": "https://mitra.example/hook",
                                                    "event_types[]": ["SantunanPaid", "ClaimClosed"]})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = text_of(response)
    assert "Salin rahasia ini sekarang." in html and "hanya ditampilkan sekali" in html
    [subscription] = store.subscriptions().rows
    secret = store.target(subscription["id"]).secret
    assert f'>{secret}</textarea>' in html
    assert subscription["event_types"] == ["SantunanPaid", "ClaimClosed"]
    assert subscription["created_by"] == {"user_id": "admin.dpmppa", "role": "admin"}
    assert subscription["position"] == head(app_sqlite)

    for page in ("/admin/webhooks", f"/admin/webhooks/{subscription['id']}"):
        shown = client.get(page)
        assert shown.status_code == 200 and secret not in text_of(shown)
        assert "https://mitra.example/hook" in text_of(shown)


def test_invalid_input_comes_back_beside_its_field_in_indonesian_with_the_input_kept(client, store):
    response = client.post("/admin/webhooks", data={"url": "ftp://mitra.example/hook",
                                                    "event_types[]": ["SantunanPaid"], "from_position": "0"})
    assert response.status_code == 422
    html = text_of(response)
    assert re.search(r'<p class="field-error" id="url-error">Masukkan URL yang diawali http:// atau https://\.</p>', html)
    assert 'id="from_position-error">Nilai harus minimal 1.' in html
    assert 'value="ftp://mitra.example/hook"' in html
    assert 'value="SantunanPaid" checked' in html
    assert 'aria-invalid="true"' in html
    assert store.subscriptions().rows == []

    missing = client.post("/admin/webhooks", data={"url": "  "})
    assert missing.status_code == 422 and 'id="url-error">Wajib diisi.' in text_of(missing)


def test_the_subscription_page_shows_its_state_and_deliveries(client, store, app_sqlite):
    answers = {"status": 500}
    receiver = Receiver(decide=lambda n, request: answers["status"]).start()
    try:
        create(client, receiver.url())
        [subscription] = store.subscriptions().rows
        page = f"/admin/webhooks/{subscription['id']}"
        launched_rts(app_sqlite, 1)
        worker = worker_of(app_sqlite, store, policy=RetryPolicy(base=0.001, cap=0.001, max_failures=2))
        worker.deliver_due()
        worker.deliver_due()
        html = text_of(client.get(page))
        assert "Status: Berhenti (gagal berulang kali)" in html
        assert "setelah 2 kali gagal berturut-turut" in html
        # Created after the signed-in admin's account and recorded as the log's second event (neither
        # is ever sent to a webhook).
        assert "2 dari 7 · 5 peristiwa di log belum ditangani" in html
        assert "HTTP 500" in html and "Gagal" in html and "RT didaftarkan" in html
        assert 'id="from_position" name="from_position" type="number" value="3"' in html
        assert_every_field_is_labelled(html)

        answers["status"] = 200
        response = client.post(f"{page}/redeliver", data={"from_position": "1"})
        assert response.status_code == 302 and response.headers["Location"] == page
        assert worker.deliver_due().delivered == 5
    finally:
        receiver.stop()
    html = text_of(client.get(page))
    assert "Peristiwa mulai posisi 1 akan dikirim ulang." in html
    # The redelivery asked is an event too (the log's eighth), passed by the checkpoint as the others.
    assert "Status: Aktif" in html and "8 dari 8 · sudah terkini" in html
    assert html.count("Terkirim") == 5


def test_pause_resume_and_a_stale_button(client, store):
    create(client, "https://mitra.example/hook")
    [subscription] = store.subscriptions().rows
    page = f"/admin/webhooks/{subscription['id']}"
    assert "Jeda pengiriman" in text_of(client.get(page))

    paused = client.post(f"{page}/pause", data={"expected_status": "active"}, follow_redirects=True)
    assert "Pengiriman webhook dijeda." in text_of(paused) and "Status: Dijeda" in text_of(paused)
    assert store.get(subscription["id"])["status"] == "paused"
    stale = client.post(f"{page}/pause", data={"expected_status": "active"})  # a second tab, seen before
    assert stale.status_code == 409 and "telah diubah orang lain" in text_of(stale)

    resumed = client.post(f"{page}/resume", data={"expected_status": "paused"}, follow_redirects=True)
    assert "Pengiriman webhook dilanjutkan." in text_of(resumed)
    assert store.get(subscription["id"])["status"] == "active"


def test_redelivery_beyond_the_log_is_refused_beside_the_field(client, store, app_sqlite):
    create(client, "https://mitra.example/hook")
    [subscription] = store.subscriptions().rows
    launched_rts(app_sqlite, 1)
    response = client.post(f"/admin/webhooks/{subscription['id']}/redeliver", data={"from_position": "9"})
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="from_position-error">Posisi 9 melewati akhir log peristiwa (posisi terakhir: 7).' in html
    assert 'value="9"' in html
    assert store.get(subscription["id"])["position"] == 2  # unchanged: after the admin's account and its own event


def test_deleting_asks_first_and_then_the_subscription_is_gone(client, store):
    create(client, "https://mitra.example/hook")
    [subscription] = store.subscriptions().rows
    page = f"/admin/webhooks/{subscription['id']}"
    confirm = client.get(f"{page}/delete")
    assert confirm.status_code == 200 and "Hapus langganan webhook?" in text_of(confirm)
    gone = client.post(f"{page}/delete", follow_redirects=True)
    assert "Langganan webhook dihapus." in text_of(gone) and "Belum ada langganan webhook." in text_of(gone)
    missing = client.get(page)
    assert missing.status_code == 404
    assert f"Langganan webhook dengan id {subscription['id']} tidak ditemukan." in text_of(missing)
    assert client.get(f"/admin/webhooks/{UNKNOWN}").status_code == 404


def test_the_forms_carry_the_csrf_token_when_protection_is_on(app_sqlite):
    browser = create_app({"TESTING": True, "KAMPUNG_APP": app_sqlite, "SECRET_KEY": "test"}).test_client()
    sign_in(browser, "admin.dpmppa", "admin")
    assert 'name="csrf_token"' in text_of(browser.get("/admin/webhooks"))
    refused = browser.post("/admin/webhooks", data={"url": "https://mitra.example/hook"})
    assert refused.status_code == 400
    assert browser.application.extensions["kampung.webhooks"].subscriptions().rows == []


def test_no_webhook_page_has_an_inline_style(client, store):
    created = create(client, "https://mitra.example/a/very/long/path/without/any/spaces/to/wrap/on/a/phone")
    [subscription] = store.subscriptions().rows
    page = f"/admin/webhooks/{subscription['id']}"
    for html in (created, text_of(client.get("/admin/webhooks")), text_of(client.get(page)),
                 text_of(client.get(f"{page}/delete")), text_of(client.post("/admin/webhooks", data={}))):
        assert ' style="' not in html and "<style" not in html
        assert "wrap-anywhere" in html or "Wajib diisi." in html
