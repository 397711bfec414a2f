"""Climatiq client and LLM rephrasing against a scripted server on loopback (no network).

Bodies follow Climatiq's documented JSON: the Estimation model (co2e, co2e_unit, emission_factor{id,
activity_id, source, year, region, …}), batch answers {"results": [...]} in request order with per-item
errors, and the error object {"error", "error_code", "message"}.
"""

import pytest

from tanso.footprint import estimate_day, load_factor_set
from tanso.footprint.climatiq import ClimatiqClient
from tanso.footprint.summary import rephrase
from tests.unit.fake_http import Answer, FakeServer

DAY = {"transport": [{"mode": "car", "minutes": 30}, {"mode": "walk", "km": 2}],
       "electricity": [{"appliance": "aircon", "hours": 2}], "food": [{"dish": "gimbap"}]}
CAR_ID = "passenger_vehicle-vehicle_type_car-fuel_source_petrol-engine_size_na-vehicle_age_na-vehicle_weight_na"


def estimation(co2e, factor_id, activity_id, unit="kg", region="GB"):
    return {"co2e": co2e, "co2e_unit": unit, "co2e_calculation_method": "ar5", "co2e_calculation_origin": "source",
            "emission_factor": {"name": "x", "activity_id": activity_id, "id": factor_id, "access_type": "public",
                                "source": "BEIS", "source_dataset": "x", "year": 2024, "region": region,
                                "category": "x", "source_lca_activity": "x", "data_quality_flags": []},
            "constituent_gases": {"co2e_total": co2e, "co2e_other": None, "co2": co2e, "ch4": None, "n2o": None},
            "activity_data": {"activity_value": 1, "activity_unit": "km"}, "audit_trail": "selector"}


NOT_FOUND = {"error": "bad_request", "error_code": "no_emission_factors_found",
             "message": "No emission factors could be found for the given selector."}


@pytest.fixture
def server():
    with FakeServer() as fake:
        yield fake


@pytest.fixture(scope="module")
def seed():
    return load_factor_set("ecojourney")


def client_for(server, **kw):
    sleeps = []
    client = ClimatiqClient(api_key="test-key", base_url=server.url, timeout=kw.pop("timeout", 2.0),
                            sleep=sleeps.append, **kw)
    return client, sleeps


def run(server, seed, **kw):
    client, sleeps = client_for(server, **kw)
    result = estimate_day(DAY, factors=seed, remote=client.estimate)
    return {line.item: line for line in result.lines}, sleeps


def test_batch_request_follows_the_documented_shape_and_lines_name_the_factor(server, seed):
    server.script = [Answer(200, {"results": [estimation(3.1, "f-car", CAR_ID),
                                              estimation(0.0016, "f-kr", "electricity", unit="t", region="KR")]})]
    lines, _ = run(server, seed)
    [request] = server.requests
    assert request["path"] == "/data/v1/estimate/batch"
    assert request["headers"]["Authorization"] == "Bearer test-key"
    car, aircon = request["json"]
    assert car == {"emission_factor": {"activity_id": CAR_ID, "data_version": "31", "region": "KR",
                                       "region_fallback": True},
                   "parameters": {"distance": 15.0, "distance_unit": "km"}}
    assert aircon["parameters"] == {"energy": 4.0, "energy_unit": "kWh"}
    assert lines["car"].kg == 3.1 and lines["car"].factor == pytest.approx(3.1 / 15)
    assert lines["car"].source["provider"] == "climatiq"
    assert (lines["car"].source["factor_id"], lines["car"].source["data_version"]) == ("f-car", "31")
    assert lines["aircon"].kg == pytest.approx(1.6)           # 0.0016 t → kg
    assert lines["walk"].source["provider"] == "local"         # no Climatiq mapping: local, no reason
    assert "fallback_reason" not in lines["gimbap"].source


def test_an_item_that_fails_inside_a_200_batch_falls_back_alone(server, seed):
    server.script = [Answer(200, {"results": [estimation(3.1, "f-car", CAR_ID), NOT_FOUND]})]
    lines, _ = run(server, seed)
    assert lines["car"].source["provider"] == "climatiq"
    aircon = lines["aircon"]
    assert aircon.source["provider"] == "local" and aircon.kg == pytest.approx(1.696)
    assert "no_emission_factors_found" in aircon.source["fallback_reason"]


@pytest.mark.parametrize(("answer", "reason"), [
    (Answer(400, NOT_FOUND), "HTTP 400: no_emission_factors_found"),
    (Answer(401, {"error": "unauthorized", "error_code": None, "message": "Invalid API key"}), "HTTP 401"),
    (Answer(200, b"<html>maintenance</html>"), "unreadable"),
    (Answer(200, {"results": [estimation(1.0, "f", CAR_ID)]}), "one result per request"),
    (Answer(200, {"unexpected": True}), "no results"),
])
def test_a_failed_call_keeps_every_local_line_with_the_reason(server, seed, answer, reason):
    server.script = [answer]
    lines, sleeps = run(server, seed)
    assert len(server.requests) == 1 and sleeps == []   # 4xx and bad bodies are not retried
    for item in ("car", "aircon"):
        assert lines[item].source["provider"] == "local"
        assert reason in lines[item].source["fallback_reason"]
    assert lines["car"].kg == pytest.approx(2.565)


def test_429_is_retried_after_the_time_the_server_asks(server, seed):
    server.script = [Answer(429, {"error": "too_many_requests", "error_code": None, "message": "slow down"},
                            headers={"Retry-After": "2"}),
                     Answer(200, {"results": [estimation(3.0, "f-car", CAR_ID), estimation(1.5, "f-e", "e")]})]
    lines, sleeps = run(server, seed)
    assert len(server.requests) == 2 and sleeps == [2.0]
    assert lines["car"].source["provider"] == "climatiq"


def test_500_is_retried_with_backoff_then_falls_back(server, seed):
    server.script = [Answer(500, {"error": "internal_server_error"})] * 3
    lines, sleeps = run(server, seed, retries=2, backoff=0.5)
    assert len(server.requests) == 3 and sleeps == [0.5, 1.0]
    assert "HTTP 500" in lines["car"].source["fallback_reason"]


def test_a_hang_times_out_and_falls_back(server, seed):
    server.script = [Answer(200, {"results": []}, delay=3.0)]
    lines, sleeps = run(server, seed, timeout=0.3)
    assert "did not answer within 0.3 s" in lines["car"].source["fallback_reason"]
    assert lines["car"].kg == pytest.approx(2.565) and sleeps == []


PASTA_FACTOR = {"id": "f-pasta", "activity_id": "consumer_goods-type_pasta", "name": "Pasta", "source": "EXIOBASE",
                "year": 2019, "region": "GLOBAL", "unit_type": "Weight", "data_version": "31"}


def test_pasta_is_priced_by_climatiq_as_0_25_kg_a_serving(server, seed):
    """The seed: only pasta goes to Climatiq, one serving = 0.25 kg. Its factor is found by a search at the
    pinned data version (no stable food activity id) and then selected by its id."""
    day = {"food": [{"dish": "pasta", "servings": 2}, {"dish": "gimbap"}]}
    server.script = [Answer(200, {"results": [PASTA_FACTOR], "current_page": 1, "last_page": 1, "total_results": 1}),
                     Answer(200, {"results": [estimation(0.9, "f-pasta", "consumer_goods-type_pasta",
                                                         region="GLOBAL")]})]
    client, _ = client_for(server)
    lines = {line.item: line for line in estimate_day(day, factors=seed, remote=client.estimate).lines}
    search, batch = server.requests
    assert search["method"] == "GET" and search["path"].startswith("/data/v1/search?")
    assert "data_version=31" in search["path"] and "query=pasta" in search["path"]
    assert "unit_type=Weight" in search["path"]
    assert batch["json"] == [{"emission_factor": {"id": "f-pasta"},
                              "parameters": {"weight": 0.5, "weight_unit": "kg"}}]      # 2 × 0.25 kg
    pasta = lines["pasta"]
    assert (pasta.kg, pasta.quantity, pasta.unit, pasta.factor) == (0.9, 2.0, "serving", 0.45)
    assert pasta.source["factor_id"] == "f-pasta" and pasta.source["data_version"] == "31"
    assert (pasta.source["quantity_sent"], pasta.source["unit_sent"]) == (0.5, "kg")
    assert lines["gimbap"].source["provider"] == "local" and "fallback_reason" not in lines["gimbap"].source

    # the search is made once per client: a second day goes straight to the estimate
    server.script = [Answer(200, {"results": [estimation(0.45, "f-pasta", "consumer_goods-type_pasta")]})]
    estimate_day({"food": [{"dish": "pasta"}]}, factors=seed, remote=client.estimate)
    assert [r["method"] for r in server.requests] == ["GET", "POST", "POST"]


def test_pasta_falls_back_to_the_local_recipe_when_the_search_finds_nothing(server, seed):
    server.script = [Answer(200, {"results": [], "current_page": 1, "last_page": 1, "total_results": 0})]
    client, _ = client_for(server)
    [pasta] = estimate_day({"food": [{"dish": "pasta"}]}, factors=seed, remote=client.estimate).lines
    assert len(server.requests) == 1                       # nothing else to price: no batch call
    assert pasta.source["provider"] == "local" and "no factor found for 'pasta'" in pasta.source["fallback_reason"]
    assert pasta.kg == pytest.approx(0.25 * 1.57)          # 0.25 kg of Wheat & Rye at 1.57 kg CO2e/kg


def test_client_only_from_a_key_and_never_shows_it():
    assert ClimatiqClient.from_env({}) is None
    client = ClimatiqClient.from_env({"CLIMATIQ_API_KEY": "sk-secret"})
    assert client.data_version == "31" and "sk-secret" not in repr(client)


# ---------------------------------------------------------------- optional LLM rephrasing
TEXT = "Today you emitted 6.2 kg CO2e, 8.3 kg below the 14.5 kg benchmark."


def chat(content):
    return {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop",
                                                                 "message": {"role": "assistant", "content": content}}]}


def test_llm_off_by_default():
    assert rephrase(TEXT, lang="en", url=None).source == "deterministic"


def test_llm_rephrasing_that_keeps_every_number(server):
    server.script = [Answer(200, chat("Nice work! 6.2 kg CO2e today — 8.3 kg under the 14.5 kg benchmark."))]
    summary = rephrase(TEXT, lang="en", url=server.url + "/v1", model="tiny")
    assert summary.source == "llm:tiny" and summary.text.startswith("Nice work!")
    assert server.requests[0]["path"] == "/v1/chat/completions"
    assert server.requests[0]["json"]["messages"][-1]["content"] == TEXT


@pytest.mark.parametrize("answer", [Answer(200, chat("You emitted about 6 kg.")), Answer(500, {"error": "x"}),
                                    Answer(200, {"choices": []})])
def test_llm_failure_or_changed_numbers_fall_back(server, answer):
    server.script = [answer]
    summary = rephrase(TEXT, lang="en", url=server.url + "/v1")
    assert (summary.text, summary.source) == (TEXT, "deterministic") and summary.fallback_reason
