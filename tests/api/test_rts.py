"""RTs through the API: list, register, read, and the steps into the programme."""

from interfaces.api.pagination import encode_cursor
from tests.api.conftest import assert_problem, follow
from tests.integration.conftest import ADMIN, KETUA_NIK, launched_rt

SIPIN = "15.71.01.1001"


def register(api, number: int, kelurahan: str = SIPIN):
    response = api.post("/rts", {"kelurahan_code": kelurahan, "rt_number": number})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_registering_an_rt_answers_201_with_the_rt_and_where_it_lives(api):
    response = api.post("/rts", {"kelurahan_code": SIPIN, "rt_number": 5})
    assert response.status_code == 201
    rt = response.get_json()
    assert rt["code"] == "15.71.01.1001/RT-005" and rt["version"] == 1 and rt["launched"] is False
    assert rt["place"]["kelurahan"] == "Simpang IV Sipin" and rt["ketua"] is None
    assert response.headers["Location"].endswith(f"/api/v1/rts/{rt['id']}")
    assert api.get(f"/rts/{rt['id']}").get_json() == rt


def test_registering_the_same_rt_twice_is_a_conflict(api):
    register(api, 5)
    assert_problem(api.post("/rts", {"kelurahan_code": SIPIN, "rt_number": 5}), 409)


def test_registering_needs_a_known_kelurahan_and_a_number(api):
    body = assert_problem(api.post("/rts", {"kelurahan_code": "15.71.99.9999", "rt_number": 0}), 422,
                          "kelurahan_code", "rt_number")
    assert body["type"] == "urn:kampung-bahagia:error:ValidationError"
    assert_problem(api.post("/rts", {}), 422, "kelurahan_code", "rt_number")


def test_an_rt_goes_through_ketua_enrolment_musyawarah_and_launch(api):
    rt = register(api, 5)
    path = f"/rts/{rt['id']}"
    response = api.post(f"{path}/ketua", {"nik": KETUA_NIK, "name": "Budi Santoso", "phone": "081234567890",
                                          "appointed_on": "2025-07-01", "expected_version": 1})
    assert response.status_code == 200
    assert response.get_json()["ketua"] == {"nik": KETUA_NIK, "name": "Budi Santoso", "phone": "081234567890",
                                            "appointed_on": "2025-07-01"}
    assert api.post(f"{path}/enrolment", {"phase": "pilot", "from_date": "2025-08-01"}).get_json()["phase"] == "pilot"
    response = api.post(f"{path}/musyawarah", {"held_on": "2025-08-10", "priorities": ["Drainase", "Jalan setapak"]})
    assert response.get_json()["musyawarah"] == [{"held_on": "2025-08-10", "priorities": ["Drainase", "Jalan setapak"]}]
    response = api.post(f"{path}/launch", {"launched_on": "2025-08-24", "expected_version": 4})
    assert response.status_code == 200
    rt = response.get_json()
    assert rt["launched"] is True and rt["launched_on"] == "2025-08-24" and rt["version"] == 5


def test_each_step_validates_its_fields(api):
    path = f"/rts/{register(api, 5)['id']}"
    assert_problem(api.post(f"{path}/ketua", {"nik": "123", "name": "", "phone": "x", "appointed_on": "kemarin"}),
                   422, "nik", "name", "phone", "appointed_on")
    assert_problem(api.post(f"{path}/enrolment", {"phase": "trial", "from_date": "2025-08-01"}), 422, "phase")
    assert_problem(api.post(f"{path}/musyawarah", {"held_on": "2025-08-10", "priorities": []}), 422, "priorities")
    assert_problem(api.post(f"{path}/launch", {}), 422, "launched_on")


def test_a_date_in_the_future_is_refused_by_the_service_as_a_field_error(api):
    path = f"/rts/{register(api, 5)['id']}"
    assert_problem(api.post(f"{path}/ketua", {"nik": KETUA_NIK, "name": "Budi", "phone": "081234567890",
                                              "appointed_on": "2030-01-01"}), 422, "appointed_on")


def test_launching_before_the_musyawarah_is_refused(api):
    path = f"/rts/{register(api, 5)['id']}"
    body = assert_problem(api.post(f"{path}/launch", {"launched_on": "2025-08-24"}), 409, "launched_on")
    assert body["type"].endswith("RuleRefused")
    assert api.get(path).get_json()["version"] == 1  # nothing recorded


def test_a_stale_expected_version_is_a_conflict_and_records_nothing(api):
    path = f"/rts/{register(api, 5)['id']}"
    api.post(f"{path}/enrolment", {"phase": "pilot", "from_date": "2025-08-01", "expected_version": 1})
    body = assert_problem(api.post(f"{path}/musyawarah", {"held_on": "2025-08-10", "priorities": ["Drainase"],
                                                          "expected_version": 1}), 409)
    assert body["type"].endswith("ConcurrencyConflict")
    assert api.get(path).get_json()["musyawarah"] == []


def test_unknown_rts_are_404(api):
    missing = "/rts/00000000-0000-0000-0000-000000000000"
    assert_problem(api.get(missing), 404)
    assert_problem(api.post(f"{missing}/launch", {"launched_on": "2025-08-24"}), 404)
    assert_problem(api.get("/rts/not-a-uuid"), 404)


def test_the_list_filters_by_kecamatan_kelurahan_and_phase(api, app_sqlite, client):
    launched_rt(app_sqlite, SIPIN, 5)
    app_sqlite.register_rt(SIPIN, 6, ADMIN)
    app_sqlite.register_rt("15.71.03.1002", 7, ADMIN)
    follow(client)
    codes = lambda **params: [rt["code"] for rt in api.get("/rts", params).get_json()["items"]]  # noqa: E731
    assert codes() == sorted(codes()) and len(codes()) == 3
    assert codes(kelurahan=SIPIN) == ["15.71.01.1001/RT-005", "15.71.01.1001/RT-006"]
    assert codes(kecamatan="15.71.03") == ["15.71.03.1002/RT-007"]
    assert codes(phase="pilot") == ["15.71.01.1001/RT-005"]
    assert codes(phase="none") == ["15.71.01.1001/RT-006", "15.71.03.1002/RT-007"]
    assert_problem(api.get("/rts", {"phase": "trial"}), 422, "phase")


def test_the_list_pages_in_a_stable_order_even_when_rts_are_added_meanwhile(api, app_sqlite, client):
    for number in (3, 9, 1, 7, 5):
        app_sqlite.register_rt(SIPIN, number, ADMIN)
    follow(client)
    everything = [rt["code"] for rt in api.get("/rts").get_json()["items"]]
    seen, cursor = [], None
    while True:
        page = api.get("/rts", {"limit": 2, **({"cursor": cursor} if cursor else {})}).get_json()
        assert len(page["items"]) <= 2
        seen += [rt["code"] for rt in page["items"]]
        cursor = page["next"]
        if len(seen) == 2:
            # An RT sorting before the page boundary appears meanwhile: it shifts no later page.
            app_sqlite.register_rt(SIPIN, 2, ADMIN)
            follow(client)
        if cursor is None:
            break
    assert seen == everything


def test_a_bad_limit_or_cursor_is_a_field_error(api):
    assert_problem(api.get("/rts", {"limit": 0}), 422, "limit")
    assert_problem(api.get("/rts", {"limit": 1000}), 422, "limit")
    assert_problem(api.get("/rts", {"cursor": "not-a-cursor"}), 422, "cursor")
    assert_problem(api.get("/rts", {"cursor": encode_cursor("claims", ["2025-09-01", "x"])}), 422, "cursor")
