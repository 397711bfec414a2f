import json
import logging

from tanso.logs import JsonFormatter, run_id_var
from tanso.serve import ServeOptions, panel_serve_argv, server_env
from tanso.ui.i18n import LANGUAGES, _joined, keys_in_code, messages, normalise, page_language, t


def test_every_message_has_english_and_korean():
    for key, entry in messages().items():
        assert set(LANGUAGES) <= set(entry), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key


def test_every_key_used_in_the_code_is_in_both_catalogs():
    known = messages()
    missing = sorted(k for k in keys_in_code() if k not in known and not _joined(k, set(known)))
    assert missing == [], "run `make i18n` and translate: " + ", ".join(missing)


def test_lookup_falls_back_to_english_then_the_key():
    assert t("nav.home", "ko") == "홈"
    assert t("nav.home", "fr") == "Home"
    assert t("no.such.key") == "no.such.key"
    assert normalise("ko") == "ko" and normalise("xx") == "en" and normalise(None) == "en"


def test_a_page_speaks_lang_then_the_users_language_then_english():
    assert page_language("en", "ko") == "en"      # ?lang= wins over the profile
    assert page_language(None, "ko") == "ko"      # no ?lang=: the signed-in user's language
    assert page_language("", "ko") == "ko" and page_language("fr", "ko") == "ko"
    assert page_language(None, "fr") == "en" and page_language(None) == "en"   # guests


def test_json_log_lines_carry_the_run_id():
    token = run_id_var.set("run-42")
    try:
        record = logging.makeLogRecord({"msg": "step finished", "levelname": "INFO",
                                        "name": "tanso", "step": "owid_co2"})
        event = json.loads(JsonFormatter().format(record))
    finally:
        run_id_var.reset(token)
    assert event["run_id"] == "run-42" and event["msg"] == "step finished"
    assert event["step"] == "owid_co2" and event["level"] == "info"


def test_serve_options_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TANSO_PORT", "7000")
    monkeypatch.setenv("TANSO_ALLOW_WEBSOCKET_ORIGIN", "tanso.example.org, tanso.example.org:443")
    options = ServeOptions.from_env(num_threads=2)
    argv = panel_serve_argv(options)
    assert argv[argv.index("--port") + 1] == "7000"
    assert argv[argv.index("--num-threads") + 1] == "2"
    origins = [argv[i + 1] for i, a in enumerate(argv) if a == "--allow-websocket-origin"]
    assert origins == ["tanso.example.org", "tanso.example.org:443"]
    assert "--liveness" in argv and argv[argv.index("--index") + 1] == "index"
    plugins = [argv[i + 1] for i, a in enumerate(argv) if a == "--plugins"]
    assert plugins == ["tanso.server_metrics", "tanso.security_headers", "tanso.ui.vcm.api",
                       "tanso.auth.pages"]
    assert argv[argv.index("--auth-module") + 1].endswith("tanso/auth/bokeh_auth.py")
    assert argv[argv.index("--session-ids") + 1] == "signed"
    assert int(argv[argv.index("--unused-session-lifetime") + 1]) <= 15000
    assert any(a.endswith("apps/index.py") for a in argv)


def test_default_origins_are_exact_local_hosts():
    assert ServeOptions(port=5006).origins() == ("localhost:5006", "127.0.0.1:5006")


def test_served_sessions_skip_bokehs_developer_checks_unless_asked():
    checks = ("BOKEH_PERFORM_ERROR_DIAGNOSTICS", "BOKEH_VALIDATE_DOC")
    env = server_env(ServeOptions(port=5006), environ={})
    assert all(env[name] == "false" for name in checks)
    env = server_env(ServeOptions(port=5006), environ=dict.fromkeys(checks, "true"))
    assert all(env[name] == "true" for name in checks)


def test_session_ids_are_signed_with_the_given_or_a_generated_key(monkeypatch):
    monkeypatch.delenv("BOKEH_SECRET_KEY", raising=False)
    monkeypatch.setenv("TANSO_SECRET_KEY", "k" * 40)
    env = server_env(ServeOptions.from_env(), environ={})
    assert env["BOKEH_SECRET_KEY"] == "k" * 40 and env["BOKEH_SIGN_SESSIONS"] == "true"
    monkeypatch.delenv("TANSO_SECRET_KEY")
    monkeypatch.setenv("BOKEH_SECRET_KEY", "b" * 40)
    assert server_env(ServeOptions.from_env(), environ={})["BOKEH_SECRET_KEY"] == "b" * 40
    monkeypatch.delenv("BOKEH_SECRET_KEY")
    generated = {server_env(ServeOptions.from_env(), environ={})["BOKEH_SECRET_KEY"] for _ in range(2)}
    assert len(generated) == 2 and all(len(key) >= 32 for key in generated)
