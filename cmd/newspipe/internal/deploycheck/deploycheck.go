// Package deploycheck renders and validates Kubernetes manifests offline, with
// no cluster and no kubectl: the check behind `make deploy-check`.
//
// It renders every directory holding a kustomization.yaml on its own (each
// must be deployable as it stands), supporting exactly the kustomize fields
// newspipe's manifests use: resources (files and directories), namespace,
// images, replicas and JSON 6902 patches with a target. Any other field is
// reported as a problem, never ignored, so the check cannot pass on a
// rendering that differs from kustomize's. Where no kustomization.yaml
// exists, every YAML file under the directory is one set of manifests.
//
// On each rendered set it checks what would otherwise fail only in a
// cluster, or worse, quietly: identities and API versions, unique names,
// selectors that select, references to ConfigMaps and Secrets that exist,
// ports that probes and Services name, resources, the pod security newspipe
// requires, disruption budgets and autoscalers that have a target, and a
// termination grace period longer than the service's own SHUTDOWN_GRACE.
//
// Secrets that are created outside the manifests (credentials never live in
// git) are declared on the workload using them, in the annotation
// ExternalSecretsAnnotation; any other missing Secret is a problem.
package deploycheck

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ExternalSecretsAnnotation, on a workload (or its pod template), lists the
// Secrets, comma-separated, that the workload uses but that are created
// outside the manifests, such as database credentials.
const ExternalSecretsAnnotation = "deploy-check.newspipe.dev/external-secrets"

// Problem is one thing wrong with the manifests.
type Problem struct {
	// File is the file the object came from: the checked directory joined
	// with the file's path inside it.
	File string
	// Doc is the index of the YAML document in File, from 0.
	Doc int
	// Kind and Name identify the object; for a kustomization they are
	// "Kustomization" and its directory.
	Kind string
	Name string
	// Rule names the check that failed (see the Rule constants); it is
	// stable, unlike Message.
	Rule Rule
	// Message says what is wrong, for people.
	Message string
	// Builds lists the kustomization directories (relative to the checked
	// directory) whose rendering shows the problem; empty outside kustomize.
	Builds []string
}

// String formats p as one line: file#doc Kind/name: [rule] message (builds).
func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s#%d", p.File, p.Doc)
	if p.Kind != "" || p.Name != "" {
		fmt.Fprintf(&b, " %s/%s", p.Kind, p.Name)
	}
	fmt.Fprintf(&b, ": [%s] %s", p.Rule, p.Message)
	if len(p.Builds) > 0 {
		fmt.Fprintf(&b, " (in %s)", strings.Join(p.Builds, ", "))
	}
	return b.String()
}

// Report is the outcome of a check.
type Report struct {
	// Problems are sorted by file, document and message.
	Problems []Problem
	// Manifests counts the distinct YAML documents (resources, not
	// kustomizations or patches) that went into at least one rendering.
	Manifests int
	// Files counts the files those documents came from.
	Files int
	// Builds lists the kustomization directories rendered, relative to the
	// checked directory ("." for the directory itself); empty when the
	// directory holds plain manifests.
	Builds []string
}

// Check renders and validates the manifests under dir. The error is for a
// directory that cannot be read at all; everything wrong with the manifests
// themselves is a Problem.
func Check(dir string) ([]Problem, error) {
	r, err := Run(dir)
	if err != nil {
		return nil, err
	}
	return r.Problems, nil
}

// Run is Check with the counts a summary line needs.
func Run(dir string) (Report, error) {
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	if err != nil {
		return Report{}, fmt.Errorf("deploy-check: %w", err)
	}
	if !st.IsDir() {
		return Report{}, fmt.Errorf("deploy-check %s: %w", dir, ErrNotDir)
	}
	yamlFiles, kustDirs, err := scan(dir)
	if err != nil {
		return Report{}, fmt.Errorf("deploy-check %s: %w", dir, err)
	}
	if len(yamlFiles) == 0 {
		return Report{}, fmt.Errorf("deploy-check %s: %w", dir, ErrNoManifests)
	}

	var (
		rep    Report
		all    []Problem
		docs   = map[source]bool{}
		used   = map[string]bool{} // every file a rendering read
		render = &renderer{root: dir}
	)
	addSet := func(build string, objs []*object, problems []Problem) {
		for _, o := range objs {
			docs[o.src] = true
		}
		problems = append(problems, checkSet(objs)...)
		for i := range problems {
			if build != "" {
				problems[i].Builds = []string{build}
			}
		}
		all = append(all, problems...)
	}
	if len(kustDirs) == 0 {
		var objs []*object
		var problems []Problem
		for _, f := range yamlFiles {
			o, p := render.loadFile(f)
			objs = append(objs, o...)
			problems = append(problems, p...)
			used[f] = true
		}
		addSet("", objs, problems)
	} else {
		for _, kd := range kustDirs {
			rel := render.rel(kd)
			rep.Builds = append(rep.Builds, rel)
			objs, problems, files := render.build(kd)
			for f := range files {
				used[f] = true
			}
			addSet(rel, objs, problems)
		}
		for _, f := range yamlFiles {
			if !used[f] {
				all = append(all, Problem{File: f, Rule: RuleUnreferenced,
					Message: "no kustomization.yaml includes this file: add it to resources or delete it"})
			}
		}
	}

	files := map[string]bool{}
	for s := range docs {
		files[s.file] = true
	}
	rep.Manifests, rep.Files = len(docs), len(files)
	rep.Problems = merge(all)
	return rep, nil
}

// scan lists the YAML files under dir and the directories holding a
// kustomization file, both sorted. Hidden directories and testdata are
// skipped, as the go tool does.
func scan(dir string) (yamlFiles, kustDirs []string, err error) {
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			if kustomizationFile(path) != "" {
				kustDirs = append(kustDirs, path)
			}
			return nil
		}
		if isYAML(name) {
			yamlFiles = append(yamlFiles, path)
		}
		return nil
	})
	sort.Strings(yamlFiles)
	sort.Strings(kustDirs)
	return yamlFiles, kustDirs, err
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// merge folds problems that differ only by build into one listing every
// build, and sorts them.
func merge(ps []Problem) []Problem {
	type key struct {
		file, kind, name, msg string
		doc                   int
		rule                  Rule
	}
	idx := map[key]int{}
	var out []Problem
	for _, p := range ps {
		k := key{p.File, p.Kind, p.Name, p.Message, p.Doc, p.Rule}
		if i, ok := idx[k]; ok {
			out[i].Builds = append(out[i].Builds, p.Builds...)
			continue
		}
		idx[k] = len(out)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Doc != b.Doc {
			return a.Doc < b.Doc
		}
		return a.Message < b.Message
	})
	return out
}
