"""JSON schemas of the Kubernetes objects deploy/k8s uses, for jsonschema (Debian's python3-jsonschema).

Written from the Kubernetes API reference (batch/v1 Job as of 1.29+, core/v1, apps/v1, and the Prometheus
Operator's monitoring.coreos.com/v1 PodMonitor). Unlike the API server, which drops an unknown field with at
most a warning, every object here is closed (additionalProperties: false), so a misspelt key (`completionmode`,
`mountpath`) fails the test instead of silently doing nothing in a cluster. Fields deploy/k8s sets are typed
and their required fields listed; other real fields of the same objects are allowed untyped, so that users'
common additions (tolerations, nodeSelector...) still pass.
"""

ANY = {}
STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
QUANTITY = {"anyOf": [{"type": "string", "pattern": r"^[0-9.]+([numkMGTPE]|[KMGTPE]i)?$"}, INT]}
LABELS = {"type": "object", "additionalProperties": STR}


def closed(properties, required=(), others=()):
    """An object with exactly these typed properties, plus the untyped names in others."""
    props = dict(properties)
    for name in others:
        props.setdefault(name, ANY)
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": False}


def array_of(item, min_items=0):
    return {"type": "array", "items": item, "minItems": min_items}


METADATA = closed({"name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
                   "labels": LABELS, "annotations": LABELS, "namespace": STR},
                  required=["name"], others=["generateName", "ownerReferences", "finalizers"])
TEMPLATE_METADATA = closed({"labels": LABELS, "annotations": LABELS}, others=["name"])

ENV_VAR = closed({
    "name": STR, "value": STR,
    "valueFrom": closed({
        "fieldRef": closed({"fieldPath": STR}, required=["fieldPath"], others=["apiVersion"]),
        "configMapKeyRef": closed({"name": STR, "key": STR}, required=["name", "key"], others=["optional"]),
    }, others=["secretKeyRef", "resourceFieldRef"]),
}, required=["name"])
VOLUME_MOUNT = closed({"name": STR, "mountPath": {"type": "string", "pattern": "^/"}, "readOnly": BOOL,
                       "subPath": STR, "subPathExpr": STR},
                      required=["name", "mountPath"], others=["mountPropagation", "recursiveReadOnly"])
PORT = closed({"name": {"type": "string", "maxLength": 15}, "containerPort": {"type": "integer", "minimum": 1,
               "maximum": 65535}}, required=["containerPort"], others=["protocol", "hostPort", "hostIP"])
RESOURCES = closed({"requests": {"type": "object", "additionalProperties": QUANTITY},
                    "limits": {"type": "object", "additionalProperties": QUANTITY}}, others=["claims"])
CONTAINER_SECURITY = closed({"allowPrivilegeEscalation": BOOL, "readOnlyRootFilesystem": BOOL,
                             "capabilities": closed({"drop": array_of(STR), "add": array_of(STR)}),
                             "runAsNonRoot": BOOL, "runAsUser": INT, "runAsGroup": INT},
                            others=["privileged", "seccompProfile", "seLinuxOptions", "procMount"])
PROBE = closed({"httpGet": closed({"path": STR, "port": {"anyOf": [STR, INT]}}, required=["port"],
                                  others=["host", "scheme", "httpHeaders"])},
               others=["exec", "tcpSocket", "grpc", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
                       "successThreshold", "failureThreshold", "terminationGracePeriodSeconds"])
CONTAINER = closed({
    "name": STR, "image": STR, "command": array_of(STR), "args": array_of(STR), "env": array_of(ENV_VAR),
    "ports": array_of(PORT), "resources": RESOURCES, "securityContext": CONTAINER_SECURITY,
    "volumeMounts": array_of(VOLUME_MOUNT), "readinessProbe": PROBE, "livenessProbe": PROBE,
}, required=["name", "image"], others=["envFrom", "workingDir", "imagePullPolicy", "startupProbe", "lifecycle",
                                       "stdin", "tty", "terminationMessagePath", "terminationMessagePolicy"])
VOLUME = closed({
    "name": STR,
    "configMap": closed({"name": STR, "items": array_of(closed({"key": STR, "path": STR}, ["key", "path"],
                                                               others=["mode"]))},
                        required=["name"], others=["defaultMode", "optional"]),
    "persistentVolumeClaim": closed({"claimName": STR, "readOnly": BOOL}, required=["claimName"]),
    "emptyDir": closed({}, others=["medium", "sizeLimit"]),
}, required=["name"], others=["secret", "hostPath", "downwardAPI", "projected", "ephemeral", "csi", "nfs"])
POD_SECURITY = closed({"runAsNonRoot": BOOL, "runAsUser": INT, "runAsGroup": INT, "fsGroup": INT},
                      others=["seccompProfile", "supplementalGroups", "fsGroupChangePolicy", "sysctls"])
SPREAD = closed({"maxSkew": INT, "topologyKey": STR,
                 "whenUnsatisfiable": {"enum": ["DoNotSchedule", "ScheduleAnyway"]},
                 "labelSelector": closed({"matchLabels": LABELS}, others=["matchExpressions"])},
                required=["maxSkew", "topologyKey", "whenUnsatisfiable"], others=["minDomains", "matchLabelKeys"])
POD_SPEC = closed({
    "restartPolicy": {"enum": ["Always", "OnFailure", "Never"]}, "containers": array_of(CONTAINER, 1),
    "volumes": array_of(VOLUME), "securityContext": POD_SECURITY, "activeDeadlineSeconds": INT,
    "topologySpreadConstraints": array_of(SPREAD),
}, required=["containers"], others=[
    "initContainers", "nodeSelector", "affinity", "tolerations", "serviceAccountName", "imagePullSecrets",
    "priorityClassName", "terminationGracePeriodSeconds", "hostNetwork", "dnsPolicy", "dnsConfig",
    "automountServiceAccountToken", "schedulerName", "runtimeClassName", "hostAliases"])
POD_TEMPLATE = closed({"metadata": TEMPLATE_METADATA, "spec": POD_SPEC}, required=["spec"])


def top(api_version, kind, spec=None, extra=None, required_spec=True):
    props = {"apiVersion": {"const": api_version}, "kind": {"const": kind}, "metadata": METADATA}
    if spec is not None:
        props["spec"] = spec
    props.update(extra or {})
    return closed(props, required=["apiVersion", "kind", "metadata"] + (["spec"] if required_spec else []))


JOB = top("batch/v1", "Job", closed({
    "completionMode": {"enum": ["Indexed", "NonIndexed"]},
    "completions": {"type": "integer", "minimum": 1}, "parallelism": {"type": "integer", "minimum": 1},
    "backoffLimit": {"type": "integer", "minimum": 0}, "backoffLimitPerIndex": {"type": "integer", "minimum": 0},
    "activeDeadlineSeconds": {"type": "integer", "minimum": 1},
    "ttlSecondsAfterFinished": {"type": "integer", "minimum": 0}, "suspend": BOOL, "template": POD_TEMPLATE,
}, required=["template"], others=["maxFailedIndexes", "podFailurePolicy", "successPolicy", "podReplacementPolicy",
                                  "selector", "manualSelector", "managedBy"]))
DEPLOYMENT = top("apps/v1", "Deployment", closed({
    "replicas": INT, "selector": closed({"matchLabels": LABELS}, others=["matchExpressions"]),
    "template": POD_TEMPLATE}, required=["selector", "template"],
    others=["strategy", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "paused"]))
SERVICE = top("v1", "Service", closed({
    "selector": LABELS,
    "ports": array_of(closed({"name": STR, "port": INT, "targetPort": {"anyOf": [STR, INT]}}, ["port"],
                             others=["protocol", "nodePort", "appProtocol"]), 1)},
    others=["type", "clusterIP", "sessionAffinity", "externalTrafficPolicy", "ipFamilyPolicy"]))
PVC = top("v1", "PersistentVolumeClaim", closed({
    "accessModes": array_of({"enum": ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]}, 1),
    "resources": closed({"requests": closed({"storage": QUANTITY}, ["storage"])}, ["requests"]),
    "storageClassName": STR}, required=["accessModes", "resources"],
    others=["volumeMode", "volumeName", "selector", "dataSource", "dataSourceRef", "volumeAttributesClassName"]))
POD = top("v1", "Pod", POD_SPEC)
PODMONITOR = top("monitoring.coreos.com/v1", "PodMonitor", closed({
    "selector": closed({"matchLabels": LABELS}, others=["matchExpressions"]),
    "podMetricsEndpoints": array_of(closed({"port": STR, "path": STR,
                                            "interval": {"type": "string", "pattern": r"^[0-9]+(ms|s|m|h)$"}},
                                           others=["scheme", "scrapeTimeout", "relabelings", "honorLabels",
                                                   "metricRelabelings", "params", "targetPort"]), 1)},
    required=["selector", "podMetricsEndpoints"], others=["namespaceSelector", "jobLabel", "podTargetLabels"]))

BY_KIND = {"Job": JOB, "Deployment": DEPLOYMENT, "Service": SERVICE, "PersistentVolumeClaim": PVC, "Pod": POD,
           "PodMonitor": PODMONITOR}

KUSTOMIZATION = closed({
    "apiVersion": {"const": "kustomize.config.k8s.io/v1beta1"}, "kind": {"const": "Kustomization"},
    "resources": array_of(STR, 1),
    "generatorOptions": closed({"disableNameSuffixHash": BOOL}),
    "configMapGenerator": array_of(closed({"name": STR, "behavior": {"enum": ["create", "replace", "merge"]},
                                           "files": array_of(STR), "literals": array_of(STR)}, ["name"])),
    "images": array_of(closed({"name": STR, "newName": STR, "newTag": STR}, ["name"], others=["digest"])),
    "patches": array_of(closed({"target": closed({"group": STR, "version": STR, "kind": STR, "name": STR}),
                                "patch": STR}, ["patch"], others=["path", "options"])),
}, required=["apiVersion", "kind", "resources"], others=["namespace", "labels", "commonLabels", "replacements"])
