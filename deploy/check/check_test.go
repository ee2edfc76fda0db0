package check

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// realManifests is what `make deploy-check` checks.
const realManifests = "../k8s"

// TestRules checks each directory of testdata/rules: a small application
// with one rule broken. The wanted problem must be reported, and every
// problem reported must be of the wanted rule (schema cases excepted: an
// object that does not decode may break other checks too), so that each
// fixture is otherwise clean and each rule is shown to fire on its own.
func TestRules(t *testing.T) {
	tests := []struct {
		dir  string
		rule Rule // "" for a case that must pass
		msg  string
		kind string
		name string
	}{
		{"valid", "", "", "", ""},
		{"reference-secret-external", "", "", "", ""},
		{"autoscale-valid", "", "", "", ""},
		{"kustomize-strategic-merge", "", "", "", ""},
		{"kustomize-name-prefix", "", "", "", ""},
		{"yaml-syntax", RuleKustomize, "MalformedYAMLError", "Kustomization", "yaml-syntax"},
		{"yaml-not-mapping", RuleKustomize, "missing Resource metadata", "Kustomization", "yaml-not-mapping"},
		{"identity-missing-name", RuleKustomize, "missing metadata.name", "Kustomization", "identity-missing-name"},
		{"identity-bad-name", RuleIdentity, `name "App_1": a lowercase RFC 1123 subdomain`, "Deployment", "App_1"},
		{"kind-unknown", RuleKind, "unknown kind ServiceMonitor", "ServiceMonitor", "app"},
		{"kind-apiversion", RuleKind, "PodDisruptionBudget is served as policy/v1, not policy/v1beta1", "PodDisruptionBudget", "app"},
		{"duplicate", RuleKustomize, "already registered id: ConfigMap.v1.[noGrp]/app-config", "Kustomization", "duplicate"},
		{"schema-configmap-number", RuleSchema, "cannot unmarshal number into Go struct field ConfigMap.data of type string", "ConfigMap", "app-config"},
		{"schema-env-number", RuleSchema, "cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string", "Deployment", "app"},
		{"schema-unknown-field", RuleSchema, `unknown field "spec.template.spec.containers[0].imagePulPolicy"`, "Deployment", "app"},
		{"schema-field-case", RuleSchema, `unknown field "spec.template.spec.containers[0].Image"`, "Deployment", "app"},
		{"schema-duplicate-field", RuleSchema, `mapping key "image" already defined`, "Deployment", "app"},
		{"schema-quantity", RuleSchema, "quantities must match", "Deployment", "app"},
		{"selector-template", RuleSelector, "does not match the pod template's labels", "Deployment", "app"},
		{"selector-service", RuleSelector, "matches no pod template", "Service", "app"},
		{"selector-overlap", RuleSelector, "also selects the pods of Deployment/app-canary", "Deployment", "app"},
		{"image-missing", RuleImage, "container app has no image", "Deployment", "app"},
		{"image-latest", RuleImage, "uses the tag latest", "Deployment", "app"},
		{"resources-missing", RuleResources, "resources.limits.memory is missing", "Deployment", "app"},
		{"resources-exceed", RuleResources, "requests.memory 256Mi exceeds limits.memory 128Mi", "Deployment", "app"},
		{"probe-missing", RuleProbe, "container app has no readinessProbe", "Deployment", "app"},
		{"probe-port", RuleProbe, "livenessProbe port admin is not one of the container's ports", "Deployment", "app"},
		{"security-root", RuleSecurity, "runAsNonRoot is not true", "Deployment", "app"},
		{"security-rootfs", RuleSecurity, "readOnlyRootFilesystem is not true", "Deployment", "app"},
		{"security-caps", RuleSecurity, "capabilities.drop does not contain ALL", "Deployment", "app"},
		{"reference-configmap-key", RuleReference, "refers to key SPEED, which ConfigMap app-config does not define", "Deployment", "app"},
		{"reference-secret", RuleReference, "refers to Secret db-creds, which is not in the manifests", "Deployment", "app"},
		{"reference-volume", RuleReference, "volume config refers to ConfigMap app-files", "Deployment", "app"},
		{"reference-mount", RuleReference, "mounts volume data, which the pod does not define", "Deployment", "app"},
		{"port-service-target", RulePort, "targetPort http is not a container port of Deployment/app", "Service", "app"},
		{"port-scrape", RulePort, "prometheus.io/port 8080 is not a container port", "Deployment", "app"},
		{"disruption-target", RuleDisruption, "matches no pod template", "PodDisruptionBudget", "app"},
		{"disruption-blocking", RuleDisruption, "allows no disruption of Deployment/app (2 replicas)", "PodDisruptionBudget", "app"},
		{"autoscale-target", RuleAutoscale, "scaleTargetRef Deployment/ghost: no such object", "HorizontalPodAutoscaler", "app"},
		{"autoscale-replicas", RuleAutoscale, "Deployment/app sets spec.replicas", "HorizontalPodAutoscaler", "app"},
		{"grace-too-short", RuleGrace, "terminationGracePeriodSeconds 20 is not above SHUTDOWN_GRACE 20s", "Deployment", "app"},
		{"grace-default", RuleGrace, "terminationGracePeriodSeconds 15 is not above SHUTDOWN_GRACE 20s", "Deployment", "app"},
		{"grace-unparsable", RuleGrace, `SHUTDOWN_GRACE "20" is not a duration`, "Deployment", "app"},
		{"statefulset-service", RuleStatefulSet, "Service app is not headless", "StatefulSet", "app"},
		{"kustomize-missing-resource", RuleKustomize, "nothere.yaml", "Kustomization", "kustomize-missing-resource"},
		{"kustomize-replicas-no-match", RuleKustomize, "resource with name ghost does not match", "Kustomization", "kustomize-replicas-no-match"},
		{"kustomize-cycle", RuleKustomize, "cycle detected", "Kustomization", "a"},
		{"kustomize-patch-no-match", RuleKustomize, `patches[0]: the target (kind "Deployment", name "ghost") selects no object`, "Kustomization", "kustomize-patch-no-match"},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		seen[tc.dir] = true
		t.Run(tc.dir, func(t *testing.T) {
			rep, err := Run(filepath.Join("testdata", "rules", tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			if tc.rule == "" {
				for _, p := range rep.Problems {
					t.Errorf("unexpected problem: %s", p)
				}
				return
			}
			found := false
			for _, p := range rep.Problems {
				if p.Rule != tc.rule && tc.rule != RuleSchema {
					t.Errorf("problem of another rule (the fixture should break only %s): %s", tc.rule, p)
					continue
				}
				if p.Rule == tc.rule && strings.Contains(p.Message, tc.msg) && p.Kind == tc.kind && p.Name == tc.name {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s problem %q on %s/%s; got:", tc.rule, tc.msg, tc.kind, tc.name)
				for _, p := range rep.Problems {
					t.Errorf("  %s", p)
				}
			}
		})
	}
	entries, err := filepath.Glob(filepath.Join("testdata", "rules", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !seen[filepath.Base(e)] {
			t.Errorf("fixture %s is not in the table", e)
		}
	}
}

// TestRealManifests is the check `make deploy-check` runs: the manifests
// the project ships must pass, and every layer must be rendered.
func TestRealManifests(t *testing.T) {
	rep, err := Run(realManifests)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("%s", p)
	}
	for _, b := range []string{"base", "overlays/dev", "overlays/prod"} {
		if !slices.Contains(rep.Builds, b) {
			t.Errorf("build %s not rendered; builds %v", b, rep.Builds)
		}
	}
	if rep.Objects < 60 {
		t.Errorf("%d objects: fewer than the shipped set", rep.Objects)
	}
}

func TestRunErrors(t *testing.T) {
	if _, err := Run("check.go"); !errors.Is(err, ErrNotDir) {
		t.Fatalf("Run(check.go) = %v, want %v", err, ErrNotDir)
	}
	if _, err := Run("testdata/does-not-exist"); err == nil {
		t.Fatal("Run on a missing directory succeeded")
	}
}

func TestProblemsMergeAcrossBuilds(t *testing.T) {
	// One broken base, two overlays: one problem listing three builds.
	rep, err := Run("testdata/merge")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 {
		t.Fatalf("got %d problems, want 1: %v", len(rep.Problems), rep.Problems)
	}
	if want := []string{"base", "one", "two"}; !slices.Equal(rep.Problems[0].Builds, want) {
		t.Errorf("builds %v, want %v", rep.Problems[0].Builds, want)
	}
	line := rep.Problems[0].String()
	if !strings.HasPrefix(line, "ConfigMap/settings: [schema]") || !strings.HasSuffix(line, "(in base, one, two)") {
		t.Errorf("String() = %q", line)
	}
}
