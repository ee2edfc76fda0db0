// Package check renders newspipe's Kubernetes manifests with kustomize's own
// library (sigs.k8s.io/kustomize/api/krusty, the code behind kubectl
// kustomize), decodes every object strictly into its Kubernetes API type
// (k8s.io/api; unknown fields, duplicate fields and wrong types are
// problems), and checks newspipe's deployment policy on the typed objects:
// probes, resources, a non-root pod with a read-only root and no
// capabilities, disruption budgets, selectors that select, references to
// ConfigMaps and Secrets that exist, autoscalers (HorizontalPodAutoscaler
// and KEDA ScaledObject) with a real target, NATS credentials from Secrets,
// NetworkPolicies that let the pipeline talk and nothing else, and a
// termination grace period above the service's SHUTDOWN_GRACE.
//
// It is a module of its own, outside the binaries users run: `make
// deploy-check` and `make test` run it.
//
// Secrets that are created outside the manifests (credentials never live in
// git) are declared on the workload using them, in the annotation
// ExternalSecretsAnnotation; any other missing Secret is a problem.
package check

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// ExternalSecretsAnnotation, on a workload (or its pod template), lists the
// Secrets, comma-separated, that the workload uses but that are created
// outside the manifests, such as database and NATS credentials.
const ExternalSecretsAnnotation = "deploy-check.newspipe.dev/external-secrets"

// Problem is one thing wrong with the manifests.
type Problem struct {
	// Kind and Name identify the object; for a kustomization that does not
	// build they are "Kustomization" and its directory.
	Kind string
	Name string
	// Rule names the check that failed (see the Rule constants); it is
	// stable, unlike Message.
	Rule Rule
	// Message says what is wrong, for people.
	Message string
	// Builds lists the kustomization directories (relative to the checked
	// directory) whose rendering shows the problem.
	Builds []string
}

// String formats p as one line: Kind/name: [rule] message (in builds).
func (p Problem) String() string {
	var b strings.Builder
	if p.Kind != "" || p.Name != "" {
		fmt.Fprintf(&b, "%s/%s: ", p.Kind, p.Name)
	}
	fmt.Fprintf(&b, "[%s] %s", p.Rule, p.Message)
	if len(p.Builds) > 0 {
		fmt.Fprintf(&b, " (in %s)", strings.Join(p.Builds, ", "))
	}
	return b.String()
}

// Report is the outcome of a check.
type Report struct {
	// Problems are sorted by kind, name and message.
	Problems []Problem
	// Objects counts the objects rendered, over every build.
	Objects int
	// Builds lists the kustomization directories rendered, relative to the
	// checked directory ("." for the directory itself).
	Builds []string
}

// Run renders every kustomization under dir on its own (each must be
// deployable as it stands; kustomize Components are rendered through the
// kustomizations that use them) and checks each rendering. A directory with
// no kustomization is one set of plain manifests. The error is for a
// directory that cannot be read at all; everything wrong with the
// manifests is a Problem.
func Run(dir string) (Report, error) {
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	if err != nil {
		return Report{}, fmt.Errorf("deploy-check: %w", err)
	}
	if !st.IsDir() {
		return Report{}, fmt.Errorf("deploy-check %s: %w", dir, ErrNotDir)
	}
	builds, err := kustomizations(dir)
	if err != nil {
		return Report{}, fmt.Errorf("deploy-check %s: %w", dir, err)
	}
	if len(builds) == 0 {
		builds = []string{dir}
	}
	var rep Report
	var all []Problem
	for _, b := range builds {
		rel, _ := filepath.Rel(dir, b)
		rep.Builds = append(rep.Builds, rel)
		set, problems, err := Render(b)
		if err != nil {
			return Report{}, err
		}
		rep.Objects += len(set.Objects)
		problems = append(problems, Policy(set)...)
		for i := range problems {
			problems[i].Builds = []string{rel}
		}
		all = append(all, problems...)
	}
	rep.Problems = merge(all)
	return rep, nil
}

// kustomizations lists the directories under dir holding a Kustomization
// (not a Component), sorted. Hidden directories and testdata are skipped,
// as the go tool does.
func kustomizations(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if path != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if f := kustomizationFile(path); f != "" && !isComponent(f) {
			out = append(out, path)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// kustomizationFile returns the kustomization file of dir, or "".
func kustomizationFile(dir string) string {
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return filepath.Join(dir, n)
		}
	}
	return ""
}

// isComponent reports whether file is a kustomize Component, which is
// rendered only through the kustomizations that include it.
func isComponent(file string) bool {
	b, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	var k struct {
		Kind string `json:"kind"`
	}
	return yaml.Unmarshal(b, &k) == nil && k.Kind == "Component"
}

// merge folds problems that differ only by build into one listing every
// build, and sorts them.
func merge(ps []Problem) []Problem {
	type key struct {
		kind, name, msg string
		rule            Rule
	}
	idx := map[key]int{}
	var out []Problem
	for _, p := range ps {
		k := key{p.Kind, p.Name, p.Message, p.Rule}
		if i, ok := idx[k]; ok {
			out[i].Builds = append(out[i].Builds, p.Builds...)
			continue
		}
		idx[k] = len(out)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Message < b.Message
	})
	return out
}
