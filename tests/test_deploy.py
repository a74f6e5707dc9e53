"""The deployment beyond one machine (deploy/Containerfile, deploy/k8s/), checked offline: every
manifest against Kubernetes' schemas (kubernetes-validate, strict: unknown fields fail), and
the wiring that no schema checks: selectors, ports, volumes, who reaches whom. Nothing here
needs a cluster or a container engine; neither was available where this was written."""

from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from evalcore.paths import ROOT
from evalcore.snapshot import SNAPSHOT_DIR_ENV

K8S = ROOT / "deploy" / "k8s"
CONTAINERFILE = ROOT / "deploy" / "Containerfile"
VERSIONS = ("1.29.0", "1.33.0")  # an older cluster still common, and a recent one
NOT_APPLIED = {"kustomization.yaml", "ingress-nginx-controller.yaml"}


def _docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
ALL = {(d["kind"], d["metadata"]["name"]): d for p in MANIFESTS if p.name not in NOT_APPLIED
       for d in _docs(p)}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifests_validate_against_kubernetes_schemas(path, version):
    for doc in _docs(path):
        kubernetes_validate.validate(doc, version, strict=True)


def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in MANIFESTS} - NOT_APPLIED
    assert all((K8S / name).is_file() for name in listed)
    images = {c["image"] for d in ALL.values() for c in _containers(d)}
    assert images == {kustomization["images"][0]["name"]}


def _pod(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def _containers(doc: dict) -> list[dict]:
    if doc["kind"] not in ("Deployment", "StatefulSet"):
        return []
    return [*_pod(doc).get("initContainers", []), *_pod(doc)["containers"]]


def _env(container: dict) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("env", [])}


def _mounts(container: dict) -> dict[str, dict]:
    return {m["name"]: m for m in container.get("volumeMounts", [])}


def test_the_writer_is_one_stateful_read_write_process_that_publishes():
    writer = ALL[("StatefulSet", "writer")]
    assert writer["spec"]["replicas"] == 1
    assert [t["metadata"]["name"] for t in writer["spec"]["volumeClaimTemplates"]] == ["data"]
    main = _pod(writer)["containers"][0]
    env = _env(main)
    assert env["EVAL_DB"].startswith(_mounts(main)["data"]["mountPath"] + "/")
    assert env[SNAPSHOT_DIR_ENV] == _mounts(main)["snapshots"]["mountPath"]
    assert "EVAL_READ_ONLY" not in env


def test_replicas_read_the_shared_snapshots_read_only_and_scale():
    replicas = ALL[("Deployment", "replicas")]
    pod = _pod(replicas)
    container = pod["containers"][0]
    env = _env(container)
    assert env["EVAL_READ_ONLY"] == "1"
    assert env["EVAL_DB"] == _mounts(container)["snapshots"]["mountPath"]
    assert _mounts(container)["snapshots"]["readOnly"] is True
    volumes = {v["name"]: v for v in pod["volumes"]}
    claim = volumes["snapshots"]["persistentVolumeClaim"]["claimName"]
    assert ALL[("PersistentVolumeClaim", claim)]["spec"]["accessModes"] == ["ReadWriteMany"]
    writer_volumes = {v["name"]: v for v in _pod(ALL[("StatefulSet", "writer")])["volumes"]}
    assert writer_volumes["snapshots"]["persistentVolumeClaim"]["claimName"] == claim
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    hpa = ALL[("HorizontalPodAutoscaler", "replicas")]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": "replicas"}
    assert hpa["spec"]["minReplicas"] >= 2


def _selects(service: dict, workload: dict) -> bool:
    labels = workload["spec"]["template"]["metadata"]["labels"]
    return all(labels.get(k) == v for k, v in service["spec"]["selector"].items())


@pytest.mark.parametrize(("service", "workload"), [
    ("replicas", ("Deployment", "replicas")), ("writer", ("StatefulSet", "writer"))])
def test_services_select_their_pods_and_ports(service, workload):
    svc, pods = ALL[("Service", service)], ALL[workload]
    assert _selects(svc, pods)
    others = [d for k, d in ALL.items() if k != workload and k[0] in ("Deployment",
                                                                       "StatefulSet")]
    assert not any(_selects(svc, d) for d in others)
    named = {p["name"] for c in _pod(pods)["containers"] for p in c["ports"]}
    assert {p["targetPort"] for p in svc["spec"]["ports"]} <= named


def _backends(ingress: dict) -> set[str]:
    return {p["backend"]["service"]["name"] for r in ingress["spec"]["rules"]
            for p in r["http"]["paths"]}


def test_the_public_host_reaches_only_the_replicas_with_cookie_affinity():
    public, admin = ALL[("Ingress", "public")], ALL[("Ingress", "admin")]
    assert _backends(public) == {"replicas"}
    assert _backends(admin) == {"writer"}
    notes = public["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert "nginx.ingress.kubernetes.io/whitelist-source-range" in admin["metadata"]["annotations"]
    public_hosts = {r["host"] for r in public["spec"]["rules"]}
    assert public_hosts.isdisjoint({r["host"] for r in admin["spec"]["rules"]})


def test_controller_headers_match_the_nginx_security_headers():
    """The cluster's ingress adds the headers the loopback tier includes from
    deploy/nginx-security.conf, with the same values (a change there fails here)."""
    conf = (ROOT / "deploy" / "nginx-security.conf").read_text()
    headers = dict(re.findall(r'^add_header (\S+) "?(.+?)"? always;', conf, flags=re.M))
    docs = {d["metadata"]["name"]: d for d in _docs(K8S / "ingress-nginx-controller.yaml")}
    assert headers and docs["laojiu-eval-headers"]["data"] == headers


def test_the_image_holds_the_application_and_starts_serve_py():
    text = CONTAINERFILE.read_text()
    for source in re.findall(r"^COPY (.+) \S+$", text, flags=re.M):
        for part in source.split():
            assert (ROOT / part).exists(), part
    assert '"serve.py"' in text and "USER 10001" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"data/*.duckdb", ".venv", "tests"} <= set(ignored)


def test_the_validation_bites():
    """A misspelt field and a wrong type are refused (so the passes above mean something)."""
    doc = yaml.safe_load((K8S / "replicas-hpa.yaml").read_text())
    doc["spec"]["minReplica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, VERSIONS[-1], strict=True)
    doc = yaml.safe_load((K8S / "replicas-hpa.yaml").read_text())
    doc["spec"]["minReplicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, VERSIONS[-1], strict=True)
