package deploycheck

import "strings"

// kindInfo is what deploy-check knows of a built-in kind.
type kindInfo struct {
	apiVersions []string // the served versions, preferred first
	namespaced  bool
}

// knownKinds are the built-in kinds deploy-check accepts. Custom resources
// are refused on purpose: the manifests must apply to a bare cluster (for
// monitoring, pod annotations replace a ServiceMonitor).
var knownKinds = map[string]kindInfo{
	"Namespace":               {[]string{"v1"}, false},
	"ConfigMap":               {[]string{"v1"}, true},
	"Secret":                  {[]string{"v1"}, true},
	"Service":                 {[]string{"v1"}, true},
	"ServiceAccount":          {[]string{"v1"}, true},
	"PersistentVolumeClaim":   {[]string{"v1"}, true},
	"Pod":                     {[]string{"v1"}, true},
	"LimitRange":              {[]string{"v1"}, true},
	"ResourceQuota":           {[]string{"v1"}, true},
	"Deployment":              {[]string{"apps/v1"}, true},
	"StatefulSet":             {[]string{"apps/v1"}, true},
	"DaemonSet":               {[]string{"apps/v1"}, true},
	"ReplicaSet":              {[]string{"apps/v1"}, true},
	"Job":                     {[]string{"batch/v1"}, true},
	"CronJob":                 {[]string{"batch/v1"}, true},
	"PodDisruptionBudget":     {[]string{"policy/v1"}, true},
	"HorizontalPodAutoscaler": {[]string{"autoscaling/v2", "autoscaling/v1"}, true},
	"NetworkPolicy":           {[]string{"networking.k8s.io/v1"}, true},
	"Ingress":                 {[]string{"networking.k8s.io/v1"}, true},
	"PriorityClass":           {[]string{"scheduling.k8s.io/v1"}, false},
}

// workloadKinds run pods from a template; the probe rule applies to the
// long-running ones.
var longRunningKinds = []string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}

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
