package deploycheck

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRules checks each directory of testdata/rules: a small application
// with one rule broken. The wanted problem must be reported, and every
// problem reported must be of the wanted rule, so that each fixture is
// otherwise clean and each rule is shown to fire on its own.
func TestRules(t *testing.T) {
	tests := []struct {
		dir  string
		rule Rule // "" for a case that must pass
		msg  string
		kind string
		name string
		file string // the problem's file, relative to the case directory
	}{
		{"valid", "", "", "", "", ""},
		{"reference-secret-external", "", "", "", "", ""},
		{"autoscale-valid", "", "", "", "", ""},
		{"yaml-syntax", RuleYAML, "parse:", "", "", "app.yaml"},
		{"yaml-not-mapping", RuleYAML, "document is a list", "", "", "app.yaml"},
		{"identity-missing-name", RuleIdentity, "metadata.name is missing", "ConfigMap", "", "app.yaml"},
		{"identity-bad-name", RuleIdentity, `name "App_1" is not a DNS-1123 subdomain`, "Deployment", "App_1", "app.yaml"},
		{"kind-unknown", RuleKind, "unknown kind ServiceMonitor", "ServiceMonitor", "app", "app.yaml"},
		{"kind-apiversion", RuleKind, "PodDisruptionBudget is served as policy/v1", "PodDisruptionBudget", "app", "app.yaml"},
		{"duplicate", RuleDuplicate, "ConfigMap/app-config is also defined in", "ConfigMap", "app-config", "app.yaml"},
		{"selector-template", RuleSelector, "does not match the pod template's labels", "Deployment", "app", "app.yaml"},
		{"selector-service", RuleSelector, "matches no pod template", "Service", "app", "app.yaml"},
		{"selector-overlap", RuleSelector, "also selects the pods of Deployment/app-canary", "Deployment", "app", "app.yaml"},
		{"image-missing", RuleImage, "container app has no image", "Deployment", "app", "app.yaml"},
		{"image-latest", RuleImage, "uses the tag latest", "Deployment", "app", "app.yaml"},
		{"resources-missing", RuleResources, "resources.limits.memory is missing", "Deployment", "app", "app.yaml"},
		{"resources-exceed", RuleResources, "requests.memory 256Mi exceeds limits.memory 128Mi", "Deployment", "app", "app.yaml"},
		{"probe-missing", RuleProbe, "container app has no readinessProbe", "Deployment", "app", "app.yaml"},
		{"probe-port", RuleProbe, "livenessProbe port admin is not one of the container's ports", "Deployment", "app", "app.yaml"},
		{"security-root", RuleSecurity, "runAsNonRoot is not true", "Deployment", "app", "app.yaml"},
		{"security-rootfs", RuleSecurity, "readOnlyRootFilesystem is not true", "Deployment", "app", "app.yaml"},
		{"security-caps", RuleSecurity, "capabilities.drop does not contain ALL", "Deployment", "app", "app.yaml"},
		{"reference-configmap-key", RuleReference, "refers to key SPEED, which ConfigMap app-config does not define", "Deployment", "app", "app.yaml"},
		{"reference-secret", RuleReference, "refers to Secret db-creds, which is not in the manifests", "Deployment", "app", "app.yaml"},
		{"reference-volume", RuleReference, "volume config refers to ConfigMap app-files", "Deployment", "app", "app.yaml"},
		{"reference-mount", RuleReference, "mounts volume data, which the pod does not define", "Deployment", "app", "app.yaml"},
		{"port-service-target", RulePort, "targetPort http is not a container port of Deployment/app", "Service", "app", "app.yaml"},
		{"port-scrape", RulePort, "prometheus.io/port 8080 is not a container port", "Deployment", "app", "app.yaml"},
		{"disruption-target", RuleDisruption, "matches no pod template", "PodDisruptionBudget", "app", "app.yaml"},
		{"disruption-blocking", RuleDisruption, "allows no disruption of Deployment/app (2 replicas)", "PodDisruptionBudget", "app", "app.yaml"},
		{"autoscale-target", RuleAutoscale, "scaleTargetRef Deployment/ghost: no such object", "HorizontalPodAutoscaler", "app", "app.yaml"},
		{"autoscale-replicas", RuleAutoscale, "Deployment/app sets spec.replicas", "HorizontalPodAutoscaler", "app", "app.yaml"},
		{"grace-too-short", RuleGrace, "terminationGracePeriodSeconds 20 is not above SHUTDOWN_GRACE 20s", "Deployment", "app", "app.yaml"},
		{"grace-default", RuleGrace, "terminationGracePeriodSeconds 15 is not above SHUTDOWN_GRACE 20s", "Deployment", "app", "app.yaml"},
		{"grace-unparsable", RuleGrace, `SHUTDOWN_GRACE "20" is not a duration`, "Deployment", "app", "app.yaml"},
		{"statefulset-service", RuleStatefulSet, "Service app is not headless", "StatefulSet", "app", "app.yaml"},
		{"schema-configmap-number", RuleSchema, "data.REPLICAS is 3, not a string", "ConfigMap", "app-config", "app.yaml"},
		{"kustomize-unsupported", RuleKustomize, `unsupported kustomization field "namePrefix"`, "Kustomization", ".", "kustomization.yaml"},
		{"kustomize-missing-resource", RuleKustomize, "resource nothere.yaml", "Kustomization", ".", "kustomization.yaml"},
		{"kustomize-strategic-merge", RuleKustomize, "strategic merge patches are not supported", "Kustomization", ".", "kustomization.yaml"},
		{"kustomize-patch-no-match", RuleKustomize, "the target selects no object", "Kustomization", ".", "kustomization.yaml"},
		{"kustomize-replicas-no-match", RuleKustomize, "replicas: no Deployment", "Kustomization", ".", "kustomization.yaml"},
		{"kustomize-cycle", RuleKustomize, "includes itself", "Kustomization", "a", "a/kustomization.yaml"},
		{"unreferenced", RuleUnreferenced, "no kustomization.yaml includes this file", "", "", "stray.yaml"},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		seen[tc.dir] = true
		t.Run(tc.dir, func(t *testing.T) {
			dir := filepath.Join("testdata", "rules", tc.dir)
			problems, err := Check(dir)
			if err != nil {
				t.Fatal(err)
			}
			if tc.rule == "" {
				for _, p := range problems {
					t.Errorf("unexpected problem: %s", p)
				}
				return
			}
			found := false
			for _, p := range problems {
				if p.Rule != tc.rule {
					t.Errorf("problem of another rule (the fixture should break only %s): %s", tc.rule, p)
					continue
				}
				if strings.Contains(p.Message, tc.msg) && p.Kind == tc.kind && p.Name == tc.name &&
					p.File == filepath.Join(dir, tc.file) {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s problem %q on %s/%s in %s; got:", tc.rule, tc.msg, tc.kind, tc.name, tc.file)
				for _, p := range problems {
					t.Errorf("  %s", p)
				}
			}
		})
	}
	// Every fixture directory must be in the table, so none is forgotten.
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
	for _, b := range []string{"base", "overlays/dev"} {
		if !slices.Contains(rep.Builds, b) {
			t.Errorf("build %s not rendered; builds %v", b, rep.Builds)
		}
	}
	if rep.Manifests < 20 || rep.Files < 5 {
		t.Errorf("%d manifests in %d files: fewer than the shipped set", rep.Manifests, rep.Files)
	}
}

// TestRealManifestsContent pins what the brief and DESIGN.md require of
// the rendered manifests, beyond their validity.
func TestRealManifestsContent(t *testing.T) {
	builds := renderAll(t, realManifests)
	base := index(builds[filepath.Join(realManifests, "base")])
	dev := index(builds[filepath.Join(realManifests, "overlays/dev")])
	tests := []struct {
		name string
		objs map[string]*object
		obj  string
		path []string
		want any
	}{
		{"nats cluster of three", base, "StatefulSet/nats", []string{"spec", "replicas"}, 3},
		{"streams replicated thrice", base, "ConfigMap/newspipe-config", []string{"data", "STREAM_REPLICAS"}, "3"},
		{"nats url", base, "ConfigMap/newspipe-config", []string{"data", "NATS_URL"}, "nats://nats.newspipe.svc:4222"},
		{"json logs", base, "ConfigMap/newspipe-config", []string{"data", "LOG_FORMAT"}, "json"},
		{"fetcher replicas", base, "Deployment/fetcher", []string{"spec", "replicas"}, 2},
		{"classifier replicas", base, "Deployment/classifier", []string{"spec", "replicas"}, 2},
		{"sink replicas", base, "Deployment/sink", []string{"spec", "replicas"}, 2},
		{"cleaner scaled from two", base, "HorizontalPodAutoscaler/cleaner", []string{"spec", "minReplicas"}, 2},
		{"namespace", base, "Deployment/sink", []string{"metadata", "namespace"}, "newspipe"},
		{"image", base, "Deployment/cleaner", []string{"spec", "template", "spec", "containers", "0", "image"}, "newspipe/cleaner:0.1.0"},
		{"dev single nats", dev, "StatefulSet/nats", []string{"spec", "replicas"}, 1},
		{"dev R1 streams", dev, "ConfigMap/newspipe-config", []string{"data", "STREAM_REPLICAS"}, "1"},
		{"dev single fetcher", dev, "Deployment/fetcher", []string{"spec", "replicas"}, 1},
		{"dev cleaner from one", dev, "HorizontalPodAutoscaler/cleaner", []string{"spec", "minReplicas"}, 1},
		{"dev image", dev, "Deployment/sink", []string{"spec", "template", "spec", "containers", "0", "image"}, "newspipe/sink:dev"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, ok := tc.objs[tc.obj]
			if !ok {
				t.Fatalf("%s not rendered", tc.obj)
			}
			if got, err := get(o.data, tc.path); err != nil || got != tc.want {
				t.Errorf("%v = %v (%v), want %v", tc.path, got, err, tc.want)
			}
		})
	}
	// The dev NATS runs alone: a cluster block would wait for absent peers.
	conf, _ := get(dev["ConfigMap/nats-config"].data, []string{"data", "nats.conf"})
	if s, _ := conf.(string); !strings.Contains(s, "jetstream") || strings.Contains(s, "cluster") {
		t.Errorf("dev nats.conf should enable JetStream without a cluster block:\n%s", s)
	}
}

func index(objs []*object) map[string]*object {
	m := map[string]*object{}
	for _, o := range objs {
		m[o.ref()] = o
	}
	return m
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		dir  string
		want error
	}{
		{"not a directory", "deploycheck.go", ErrNotDir},
		{"no YAML", "testdata/empty", ErrNoManifests},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Run(tc.dir); !errors.Is(err, tc.want) {
				t.Fatalf("Run(%s) = %v, want %v", tc.dir, err, tc.want)
			}
		})
	}
	if _, err := Run("testdata/does-not-exist"); err == nil {
		t.Fatal("Run on a missing directory succeeded")
	}
}

func TestProblemsMergeAcrossBuilds(t *testing.T) {
	// One broken base, two overlays: one problem listing three builds.
	problems, err := Check("testdata/merge")
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 {
		t.Fatalf("got %d problems, want 1: %v", len(problems), problems)
	}
	want := []string{"base", "one", "two"}
	if !slices.Equal(problems[0].Builds, want) {
		t.Errorf("builds %v, want %v", problems[0].Builds, want)
	}
	line := problems[0].String()
	if !strings.HasPrefix(line, filepath.Join("testdata/merge/base/cm.yaml")+"#0 ConfigMap/settings: [schema]") || !strings.HasSuffix(line, "(in base, one, two)") {
		t.Errorf("String() = %q", line)
	}
}
