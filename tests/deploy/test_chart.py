"""The Helm chart lints, renders valid Kubernetes objects and keeps its promises."""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath

import pytest
import yaml

from tanso.news.feeds import read_config
from tests.deploy.helpers import (
    CHART,
    DEPLOY,
    PRODUCTION_VALUES,
    ROOT,
    load_yaml,
    of_kind,
    render_chart,
    render_notes,
)
from tests.requirements import TEST_EXTRA, need_module

pytestmark = pytest.mark.deploy

KUBERNETES_VERSION = "1.33.0"
# prometheus-operator kinds have no bundled schema: checked structurally below
OPERATOR_KINDS = {"ServiceMonitor", "PodMonitor", "PrometheusRule"}


@pytest.mark.parametrize("values_file", [None, PRODUCTION_VALUES], ids=["default", "production"])
def test_chart_lints_strictly(values_file):
    helm = need_module("helm_python", install=f"helm-python-sdk: {TEST_EXTRA}")
    values = load_yaml(values_file) if values_file else None
    report = helm.lint(CHART, values, strict=True, kube_version=f"v{KUBERNETES_VERSION}")
    problems = [m for m in report["messages"] if m["severity"] >= 2] + report["errors"]
    assert not problems, problems


def test_values_match_the_schema():
    helm = need_module("helm_python", install=f"helm-python-sdk: {TEST_EXTRA}")
    with helm.Chart.load(CHART) as chart:
        chart.validate_schema()
        chart.validate_schema(load_yaml(PRODUCTION_VALUES))
        with pytest.raises(helm.HelmValuesError):
            chart.validate_schema({"service": {"type": "Ingress"}})
        with pytest.raises(helm.HelmValuesError):
            chart.validate_schema({"replicas": 3})  # a typo of apps.replicaCount


@pytest.mark.parametrize("objects_fixture", ["default_objects", "production_objects"])
def test_every_manifest_validates_strictly(objects_fixture, request):
    kubernetes_validate = need_module("kubernetes_validate", install=f"kubernetes-validate: {TEST_EXTRA}")
    objects = request.getfixturevalue(objects_fixture)
    for obj in objects:
        name = f"{obj['kind']}/{obj['metadata']['name']}"
        assert obj["metadata"].get("namespace") in {"tanso", "monitoring"}, name
        if obj["kind"] in OPERATOR_KINDS:
            assert obj["apiVersion"] == "monitoring.coreos.com/v1", name
            assert obj["spec"], name
            continue
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            pytest.fail(f"{name}: {path}: {exc.message}")


def test_default_install_has_the_small_setup(default_objects):
    kinds = {o["kind"] for o in default_objects}
    assert {"Deployment", "Service", "ConfigMap", "Secret", "CronJob", "Job", "StatefulSet",
            "PersistentVolumeClaim", "PodDisruptionBudget", "ServiceAccount"} <= kinds
    assert not kinds & ({"Ingress", "HorizontalPodAutoscaler"} | OPERATOR_KINDS)
    (service,) = [s for s in of_kind(default_objects, "Service") if s["spec"]["type"] == "NodePort"]
    assert service["spec"]["ports"][0]["nodePort"] == 30506


def test_production_values_turn_on_scaling_and_monitoring(production_objects):
    kinds = {o["kind"] for o in production_objects}
    assert {"Ingress", "HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule"} <= kinds
    assert "StatefulSet" not in kinds  # external database
    (hpa,) = of_kind(production_objects, "HorizontalPodAutoscaler")
    assert hpa["spec"]["minReplicas"] >= 2
    (deployment,) = of_kind(production_objects, "Deployment")
    assert "replicas" not in deployment["spec"]  # the HPA owns it
    # the chart creates no Secret: everything comes from existingSecret
    assert not of_kind(production_objects, "Secret")
    env_from = deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"]
    assert {"secretRef": {"name": "tanso-secrets"}} in env_from


def tanso_pod_specs(objects):
    for obj in objects:
        if obj["kind"] in ("Deployment", "Job"):
            yield obj["metadata"]["name"], obj["spec"]["template"]["spec"]
        elif obj["kind"] == "CronJob":
            yield obj["metadata"]["name"], obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]


@pytest.mark.parametrize("objects_fixture", ["default_objects", "production_objects"])
def test_tanso_pods_are_locked_down(objects_fixture, request):
    specs = list(tanso_pod_specs(request.getfixturevalue(objects_fixture)))
    assert len(specs) >= 3  # apps, migrations, one pipeline
    for name, spec in specs:
        assert spec["automountServiceAccountToken"] is False, name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        writable = {m["mountPath"] for c in spec["containers"] for m in c["volumeMounts"]}
        assert {"/tmp", "/home/tanso", "/var/lib/tanso"} <= writable, name
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert container["resources"]["requests"], name


def test_apps_run_one_process_with_probes_and_config_checksum(default_objects):
    (deployment,) = of_kind(default_objects, "Deployment")
    template = deployment["spec"]["template"]
    assert re.fullmatch(r"[0-9a-f]{64}", template["metadata"]["annotations"]["checksum/config"])
    (container,) = template["spec"]["containers"]
    assert container["args"] == ["serve"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/liveness"
    for probe in ("readinessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] == "/liveness?endpoint=/national_trends"
    (config,) = [c for c in of_kind(default_objects, "ConfigMap") if c["metadata"]["name"] == "tanso"]
    assert config["data"]["TANSO_NUM_PROCS"] == "1"
    assert config["data"]["TANSO_ALLOW_WEBSOCKET_ORIGIN"] == "*:30506"


def test_config_change_changes_the_checksum():
    def checksum(values):
        (deployment,) = of_kind(render_chart(values), "Deployment")
        return deployment["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    assert checksum({"config": {"logLevel": "INFO"}}) != checksum({"config": {"logLevel": "DEBUG"}})


def test_ingress_hosts_become_the_websocket_origins(production_objects):
    (config,) = [c for c in of_kind(production_objects, "ConfigMap")
                 if c["metadata"]["name"] == "tanso"]
    assert config["data"]["TANSO_ALLOW_WEBSOCKET_ORIGIN"] == "tanso.example.org"
    assert config["data"]["TANSO_USE_XHEADERS"] == "true"
    (ingress,) = of_kind(production_objects, "Ingress")
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) > 60


def test_migrations_run_as_a_hook_that_can_reach_its_database(default_objects, production_objects):
    def migration(objects):
        (job,) = [j for j in of_kind(objects, "Job") if j["metadata"]["name"].endswith("migrations")]
        return job

    external = migration(production_objects)
    assert external["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    (container,) = external["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["db", "upgrade"]
    assert "envFrom" not in container  # the ConfigMap does not exist yet on install
    url = next(e for e in container["env"] if e["name"] == "DATABASE_URL")
    assert url["valueFrom"]["secretKeyRef"]["name"] == "tanso-secrets"

    # the in-chart server is an ordinary object: migrate after it exists, from a hook Secret
    in_chart = migration(default_objects)
    assert in_chart["metadata"]["annotations"]["helm.sh/hook"] == "post-install,pre-upgrade"
    hook_secrets = [s for s in of_kind(default_objects, "Secret")
                    if "helm.sh/hook" in s["metadata"].get("annotations", {})]
    assert [s["metadata"]["name"] for s in hook_secrets] == ["tanso-migrations"]


def test_generated_database_password_is_the_same_everywhere(default_objects):
    import base64

    def decoded(secret_name, key):
        (secret,) = [s for s in of_kind(default_objects, "Secret")
                     if s["metadata"]["name"] == secret_name]
        return base64.b64decode(secret["data"][key]).decode()

    password = decoded("tanso-postgresql", "postgres-password")
    assert len(password) == 32
    expected = f"postgresql+psycopg://tanso:{password}@tanso-postgresql:5432/tanso"
    assert decoded("tanso", "DATABASE_URL") == expected
    assert decoded("tanso-migrations", "DATABASE_URL") == expected


def pipeline_specs() -> dict[str, dict]:
    return {path.stem: load_yaml(path) for path in sorted((ROOT / "pipelines").glob("*.yaml"))}


def test_every_scheduled_pipeline_file_has_its_cronjob(default_objects):
    pipelines = {name: spec for name, spec in pipeline_specs().items() if spec.get("schedule")}
    assert pipelines, "no scheduled pipelines/*.yaml"
    assert "schedule" not in str(load_yaml(CHART / "values.yaml")["pipelines"])  # one source
    cronjobs = {c["metadata"]["labels"]["tanso.io/pipeline"]: c
                for c in of_kind(default_objects, "CronJob")}
    assert set(cronjobs) == set(pipelines)
    for name, cronjob in cronjobs.items():
        assert cronjob["spec"]["schedule"] == pipelines[name]["schedule"]
        assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
        job = cronjob["spec"]["jobTemplate"]["spec"]
        assert job["activeDeadlineSeconds"] > 0 and job["backoffLimit"] >= 0
        (container,) = job["template"]["spec"]["containers"]
        assert container["args"] == ["pipeline", "run", name]


def test_adding_a_pipeline_file_adds_its_cronjob(tmp_path):
    chart = tmp_path / "tanso"
    shutil.copytree(CHART, chart, symlinks=False)  # files/pipelines becomes a real folder
    (chart / "files" / "pipelines" / "boundaries.yaml").write_text(
        "name: boundaries\nschedule: '30 4 1 * *'\nsteps: []\n", encoding="utf-8")
    (chart / "files" / "pipelines" / "manual.yaml").write_text(
        "name: manual\nsteps: []\n", encoding="utf-8")  # no schedule: no CronJob
    cronjobs = {c["metadata"]["labels"]["tanso.io/pipeline"]: c["spec"]["schedule"]
                for c in of_kind(render_chart(chart=chart), "CronJob")}
    existing = {name: spec["schedule"] for name, spec in pipeline_specs().items()}
    assert existing["etl"] == "0 3 * * 1"
    assert cronjobs == existing | {"boundaries": "30 4 1 * *"}


def test_pipeline_parameters_and_overrides_reach_the_job():
    values = {"pipelines": {"etl": {"parameters": {"year": 2024}, "activeDeadlineSeconds": 60}}}
    (cronjob,) = [c for c in of_kind(render_chart(values), "CronJob")
                  if c["metadata"]["labels"]["tanso.io/pipeline"] == "etl"]
    job = cronjob["spec"]["jobTemplate"]["spec"]
    assert job["activeDeadlineSeconds"] == 60
    assert job["template"]["spec"]["containers"][0]["args"] == [
        "pipeline", "run", "etl", "-p", "year=2024"]


def test_overrides_of_an_unknown_pipeline_or_a_schedule_are_refused():
    helm = need_module("helm_python", install=f"helm-python-sdk: {TEST_EXTRA}")
    with pytest.raises(Exception, match="no pipeline \"etll\""):
        render_chart({"pipelines": {"etll": {"suspend": True}}})
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmValuesError):
        chart.validate_schema({"pipelines": {"etl": {"schedule": "0 4 * * *"}}})


def test_storage_class_is_configurable():
    values = {"persistence": {"data": {"storageClass": "nfs-client"}}}
    claims = {c["metadata"]["name"]: c for c in of_kind(render_chart(values), "PersistentVolumeClaim")}
    assert claims["tanso-data"]["spec"]["storageClassName"] == "nfs-client"
    assert claims["tanso-data"]["spec"]["accessModes"] == ["ReadWriteMany"]


def test_prometheus_rule_is_the_rules_file(production_objects):
    (rule,) = of_kind(production_objects, "PrometheusRule")
    assert rule["spec"] == load_yaml(DEPLOY / "prometheus" / "rules.yml")
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"


def test_dashboards_configmap_carries_every_dashboard_for_the_sidecar(production_objects):
    (dashboards,) = [c for c in of_kind(production_objects, "ConfigMap")
                     if c["metadata"]["name"].endswith("dashboards")]
    assert dashboards["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert dashboards["metadata"]["namespace"] == "monitoring"
    files = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
    assert {f.name: f.read_text() for f in files} == dashboards["data"]


def test_service_monitor_labels_targets_as_tanso_apps(production_objects):
    (monitor,) = of_kind(production_objects, "ServiceMonitor")
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics" and endpoint["port"] == "http"
    assert {"targetLabel": "job", "replacement": "tanso-apps"} in endpoint["relabelings"]


def test_notes_tell_how_to_reach_the_apps():
    assert "http://$NODE_IP:$NODE_PORT/" in render_notes()
    notes = render_notes(load_yaml(PRODUCTION_VALUES))
    assert "https://tanso.example.org/" in notes
    assert "--from=cronjob/tanso-pipeline-etl" in notes


def test_chart_version_is_separate_from_app_version():
    chart = load_yaml(CHART / "Chart.yaml")
    assert chart["apiVersion"] == "v2"
    assert re.fullmatch(r"\d+\.\d+\.\d+", chart["version"])
    assert isinstance(chart["appVersion"], str)


def test_every_value_is_documented():
    """Each key has a comment above it, or is a section whose keys all have one, or sits in a
    block documented as a whole (`# -- ...` above its parent)."""
    lines = (CHART / "values.yaml").read_text(encoding="utf-8").splitlines()
    keys = []  # (indent, key, commented)
    for i, line in enumerate(lines):
        match = re.match(r"^(\s*)([A-Za-z_][\w./-]*):", line)
        if not match or line.lstrip().startswith("- "):
            continue
        block = []  # the comment lines right above the key
        for above in reversed(lines[:i]):
            if not above.lstrip().startswith("#"):
                break
            block.insert(0, above.strip())
        comment = block[0] if block else ""
        keys.append((len(match.group(1)), match.group(2), comment))

    undocumented = []
    for index, (_, key, commented) in enumerate(keys):
        if commented:
            continue
        ancestors_documented = any(
            comment.startswith("# --") for _, _, comment in _ancestors(keys, index))
        if not ancestors_documented and not _children_documented(keys, index):
            undocumented.append(key)
    assert not undocumented, f"values without a comment: {undocumented}"


def _ancestors(keys, index):
    indent = keys[index][0]
    for entry in reversed(keys[:index]):
        if entry[0] < indent:
            yield entry
            indent = entry[0]


def _children_documented(keys, index) -> bool:
    indent = keys[index][0]
    child_indent = None
    for position in range(index + 1, len(keys)):
        entry_indent, _, commented = keys[position]
        if entry_indent <= indent:
            break
        child_indent = child_indent or entry_indent
        if entry_indent == child_indent and not commented and not _children_documented(keys, position):
            return False
    return child_indent is not None


def config_maps(objects) -> dict[str, dict]:
    return {c["metadata"]["name"]: c["data"] for c in of_kind(objects, "ConfigMap")}


def test_news_feeds_are_a_configmap_of_the_catalog_file_mounted_where_tanso_news_feeds_points(
        default_objects, tmp_path):
    maps = config_maps(default_objects)
    shipped = (ROOT / "catalog" / "feeds.yaml").read_text(encoding="utf-8")
    assert maps["tanso-news-feeds"] == {"feeds.yaml": shipped}
    path = PurePosixPath(maps["tanso"]["TANSO_NEWS_FEEDS"])
    assert path.name == "feeds.yaml"
    specs = dict(tanso_pod_specs(default_objects))
    assert any("pipeline-news" in name for name in specs)
    for name, spec in specs.items():
        mounted = [v for v in spec["volumes"] if v.get("configMap", {}).get("name") == "tanso-news-feeds"]
        if name == "tanso-migrations":   # a pre-install hook: it runs before the ConfigMap exists
            assert mounted == []
            continue
        (volume,) = mounted
        (mount,) = [m for c in spec["containers"] for m in c["volumeMounts"]
                    if m["name"] == volume["name"]]
        assert mount["mountPath"] == str(path.parent) and mount["readOnly"] is True, name
    # the folder sits in the image's project root like catalog/, so the shipped file's relative
    # sample paths (../data/…) resolve in the pod as they do in the repository
    image_root = re.search(r"TANSO_PROJECT_ROOT=(\S+)", (DEPLOY / "docker" / "Dockerfile").read_text())
    assert str(path.parent.parent) == image_root.group(1)
    (tmp_path / path.parent.name).mkdir()
    (tmp_path / path.parent.name / path.name).write_text(maps["tanso-news-feeds"]["feeds.yaml"])
    (tmp_path / "data").symlink_to(ROOT / "data")
    feeds = read_config(tmp_path / path.parent.name / path.name).feeds
    assert feeds and all(Path(f.url.removeprefix("file://")).is_file() for f in feeds)


def test_news_feeds_and_retention_come_from_values_and_a_bad_list_is_refused():
    listed = {"feeds": [{"name": "market", "url": "https://example.org/feed.xml"}]}
    text = "timeout_seconds: 5\nfeeds:\n  - {name: wire, url: 'https://example.org/wire'}\n"
    for given, expected in ((listed, listed), (text, yaml.safe_load(text))):
        maps = config_maps(render_chart({"news": {"feeds": given, "keepDays": 30, "keepPerFeed": 50}}))
        assert yaml.safe_load(maps["tanso-news-feeds"]["feeds.yaml"]) == expected
        assert maps["tanso"]["TANSO_NEWS_KEEP_DAYS"] == "30"
        assert maps["tanso"]["TANSO_NEWS_KEEP_PER_FEED"] == "50"
    defaults = config_maps(render_chart())["tanso"]
    assert (defaults["TANSO_NEWS_KEEP_DAYS"], defaults["TANSO_NEWS_KEEP_PER_FEED"]) == ("365", "1000")
    for bad in ("timeout_seconds: 5\n", "feeds: []\n", "feeds: [unclosed\n", {"feeds": "x"}):
        with pytest.raises(Exception, match=r"news\.feeds: must be a mapping"):
            render_chart({"news": {"feeds": bad}})
    helm = need_module("helm_python", install=f"helm-python-sdk: {TEST_EXTRA}")
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmValuesError):
        chart.validate_schema({"news": {"keepDays": 0}})
