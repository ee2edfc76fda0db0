package check

// Rule names one family of checks; Problem.Rule carries it.
type Rule string

// The rules, one per family of checks.
const (
	// RuleKustomize: a kustomization that kustomize cannot build.
	RuleKustomize Rule = "kustomize"
	// RuleSchema: an object that does not decode strictly into its API
	// type: an unknown or duplicated field, or a value of the wrong type.
	RuleSchema Rule = "schema"
	// RuleIdentity: apiVersion, kind or metadata.name missing or malformed.
	RuleIdentity Rule = "identity"
	// RuleKind: a kind deploy-check does not know, or the wrong apiVersion.
	RuleKind Rule = "kind"
	// RuleSelector: a selector that selects nothing, or the wrong pods.
	RuleSelector Rule = "selector"
	// RuleImage: a container with no image, or one not pinned to a tag.
	RuleImage Rule = "image"
	// RuleResources: missing or inconsistent requests and limits.
	RuleResources Rule = "resources"
	// RuleProbe: a missing probe, or one aimed at a port the container lacks.
	RuleProbe Rule = "probe"
	// RuleSecurity: a pod or container that may run as root, write its root
	// filesystem, escalate or keep capabilities.
	RuleSecurity Rule = "security"
	// RuleReference: a reference to a ConfigMap, Secret, key or volume that
	// the set does not define.
	RuleReference Rule = "reference"
	// RulePort: a Service port or scrape annotation naming a port no
	// selected container has.
	RulePort Rule = "port"
	// RuleDisruption: a PodDisruptionBudget without target or that blocks
	// every eviction.
	RuleDisruption Rule = "disruption"
	// RuleAutoscale: a HorizontalPodAutoscaler or KEDA ScaledObject without
	// target, fighting another autoscaler, or that cannot compute its metric.
	RuleAutoscale Rule = "autoscale"
	// RuleGrace: terminationGracePeriodSeconds not above SHUTDOWN_GRACE.
	RuleGrace Rule = "grace"
	// RuleStatefulSet: a StatefulSet whose governing Service is missing or
	// not headless.
	RuleStatefulSet Rule = "statefulset"
	// RuleCredentials: a newspipe stage without NATS credentials from a
	// Secret, or with a credential written inline.
	RuleCredentials Rule = "credentials"
	// RuleNetwork: a namespace without a default-deny NetworkPolicy, or a
	// connection the pipeline needs that the policies do not allow.
	RuleNetwork Rule = "network"
	// RuleReplication: streams asked to keep more copies than there are
	// NATS servers.
	RuleReplication Rule = "replication"
	// RuleMonitoring: a PrometheusRule or PodMonitor that is malformed or
	// aims at nothing.
	RuleMonitoring Rule = "monitoring"
)
