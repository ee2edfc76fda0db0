package deploycheck

import "strings"

// kindInfo is what deploy-check knows of a built-in kind.
type kindInfo struct {
	apiVersions []string // the served versions, preferred first
	namespaced  bool
}

// lookupKind returns what deploy-check knows of a built-in kind; false for
// any other. Custom resources are refused on purpose: the manifests must
// apply to a bare cluster (for monitoring, pod annotations replace a
// ServiceMonitor).
func lookupKind(kind string) (kindInfo, bool) {
	switch kind {
	case "Namespace":
		return kindInfo{[]string{"v1"}, false}, true
	case "ConfigMap", "Secret", "Service", "ServiceAccount", "PersistentVolumeClaim", "Pod", "LimitRange", "ResourceQuota":
		return kindInfo{[]string{"v1"}, true}, true
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
		return kindInfo{[]string{"apps/v1"}, true}, true
	case "Job", "CronJob":
		return kindInfo{[]string{"batch/v1"}, true}, true
	case "PodDisruptionBudget":
		return kindInfo{[]string{"policy/v1"}, true}, true
	case "HorizontalPodAutoscaler":
		return kindInfo{[]string{"autoscaling/v2", "autoscaling/v1"}, true}, true
	case "NetworkPolicy", "Ingress":
		return kindInfo{[]string{"networking.k8s.io/v1"}, true}, true
	case "PriorityClass":
		return kindInfo{[]string{"scheduling.k8s.io/v1"}, false}, true
	}
	return kindInfo{}, false
}

// clusterScoped reports a known kind that has no namespace.
func clusterScoped(kind string) bool {
	k, ok := lookupKind(kind)
	return ok && !k.namespaced
}

// longRunning reports the kinds whose pods run until stopped, which need
// liveness and readiness probes and a selector.
func longRunning(kind string) bool {
	switch kind {
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
		return true
	}
	return false
}

// scalable reports the kinds kustomize's replicas field applies to.
func scalable(kind string) bool {
	switch kind {
	case "Deployment", "ReplicationController", "ReplicaSet", "StatefulSet":
		return true
	}
	return false
}

// scalableKinds names the scalable kinds, for messages.
const scalableKinds = "Deployment, ReplicationController, ReplicaSet or StatefulSet"

// downwardField reports a pod field the downward API exposes to env.
func downwardField(path string) bool {
	switch path {
	case "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
		"spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs":
		return true
	}
	return strings.HasPrefix(path, "metadata.labels['") || strings.HasPrefix(path, "metadata.annotations['")
}

// isDNSLabel reports an RFC 1123 label: at most 63 lowercase alphanumerics
// or '-', starting and ending with an alphanumeric.
func isDNSLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (c != '-' || i == 0 || i == len(s)-1) {
			return false
		}
	}
	return true
}

// isDNSSubdomain reports an RFC 1123 subdomain: dot-separated labels, at
// most 253 characters; the rule for most object names.
func isDNSSubdomain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !isDNSLabel(l) {
			return false
		}
	}
	return true
}

// isPortName reports an IANA service name, the rule for named ports: at most
// 15 lowercase alphanumerics or '-', with a letter, no '--', not at the ends.
func isPortName(s string) bool {
	if !isDNSLabel(s) || len(s) > 15 || strings.Contains(s, "--") {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' }) >= 0
}
