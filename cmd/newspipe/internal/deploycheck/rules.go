package deploycheck

// Rule names one family of checks; Problem.Rule carries it.
type Rule string

// The rules, one per family of checks.
const (
	// RuleYAML: a file is not valid YAML, or a document is not a mapping.
	RuleYAML Rule = "yaml"
	// RuleKustomize: a kustomization cannot be rendered, or uses a field
	// deploy-check does not support.
	RuleKustomize Rule = "kustomize"
	// RuleUnreferenced: a YAML file no kustomization includes.
	RuleUnreferenced Rule = "unreferenced"
	// RuleIdentity: apiVersion, kind or metadata.name missing or malformed.
	RuleIdentity Rule = "identity"
	// RuleSchema: a field of the wrong type that the API server would refuse,
	// such as a number among a ConfigMap's data or an env value.
	RuleSchema Rule = "schema"
	// RuleKind: a kind deploy-check does not know, or the wrong apiVersion.
	RuleKind Rule = "kind"
	// RuleDuplicate: two objects of one kind with one name in one namespace.
	RuleDuplicate Rule = "duplicate"
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
	// selected container has, or a malformed port list.
	RulePort Rule = "port"
	// RuleDisruption: a PodDisruptionBudget without target or that blocks
	// every eviction.
	RuleDisruption Rule = "disruption"
	// RuleAutoscale: a HorizontalPodAutoscaler without target or that
	// cannot compute its metric.
	RuleAutoscale Rule = "autoscale"
	// RuleGrace: terminationGracePeriodSeconds not above SHUTDOWN_GRACE.
	RuleGrace Rule = "grace"
	// RuleStatefulSet: a StatefulSet whose governing Service is missing or
	// not headless.
	RuleStatefulSet Rule = "statefulset"
)
