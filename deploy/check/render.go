package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// Object is one rendered object, decoded into its API type.
type Object struct {
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	// Obj is a pointer to the typed object (*appsv1.Deployment,
	// *ScaledObject, …); nil where it did not decode.
	Obj any
}

// Ref is Kind/name, as problems and references name an object.
func (o *Object) Ref() string { return o.Kind + "/" + o.Name }

// Set is one rendering: every object of one kustomization.
type Set struct {
	Objects []*Object
}

// Get returns the object of kind and name in namespace, or nil.
func (s *Set) Get(kind, namespace, name string) *Object {
	for _, o := range s.Objects {
		if o.Kind == kind && o.Name == name && o.Namespace == namespace {
			return o
		}
	}
	return nil
}

// Render builds the kustomization in dir with kustomize's library, as
// `kubectl kustomize dir` does, and decodes every object strictly into
// its API type. A dir without a kustomization is rendered as if one listed
// every YAML file in it. Problems are for manifests kustomize refuses or
// objects that do not decode; the error is for a dir that cannot be read.
func Render(dir string) (*Set, []Problem, error) {
	fsys := filesys.MakeFsOnDisk()
	path := dir
	if kustomizationFile(dir) == "" {
		mem, err := plainKustomization(dir)
		if err != nil {
			return nil, nil, err
		}
		fsys, path = mem, "/app"
	}
	opts := krusty.MakeDefaultOptions()
	m, err := krusty.MakeKustomizer(opts).Run(fsys, path)
	if err != nil {
		return &Set{}, []Problem{{Kind: "Kustomization", Name: filepath.Base(dir), Rule: RuleKustomize, Message: err.Error()}}, nil
	}
	set := &Set{}
	problems := unmatchedPatches(dir, m)
	for _, r := range m.Resources() {
		gvk := r.GetGvk()
		o := &Object{APIVersion: gvk.ApiVersion(), Kind: gvk.Kind, Name: r.GetName(), Namespace: r.GetNamespace()}
		js, err := r.MarshalJSON()
		if err != nil {
			// kyaml refuses a mapping key given twice, among others.
			problems = append(problems, Problem{Kind: o.Kind, Name: o.Name, Rule: RuleSchema, Message: err.Error()})
			set.Objects = append(set.Objects, o)
			continue
		}
		obj, p := decode(o, js)
		o.Obj = obj
		problems = append(problems, p...)
		set.Objects = append(set.Objects, o)
	}
	return set, problems, nil
}

// unmatchedPatches reports the patches of dir's kustomization whose
// target selects no object of the rendering: kustomize applies such a
// patch to nothing without a word, so a renamed object or a typo in a
// target would quietly undo an overlay. Deleting patches are skipped (their
// target is gone from the rendering by design), and so are patches of
// components, which apply to what their kustomization holds.
func unmatchedPatches(dir string, m resmap.ResMap) []Problem {
	f := kustomizationFile(dir)
	if f == "" {
		return nil
	}
	b, err := os.ReadFile(f)
	if err != nil {
		return nil
	}
	var k types.Kustomization
	if err := yaml.Unmarshal(b, &k); err != nil {
		return nil // kustomize itself reported it
	}
	var problems []Problem
	for i, p := range k.Patches {
		if p.Target == nil || strings.Contains(p.Patch, "$patch: delete") {
			continue
		}
		if rs, err := m.Select(*p.Target); err == nil && len(rs) == 0 {
			problems = append(problems, Problem{Kind: "Kustomization", Name: filepath.Base(dir), Rule: RuleKustomize,
				Message: fmt.Sprintf("patches[%d]: the target (kind %q, name %q) selects no object: kustomize applies the patch to nothing", i, p.Target.Kind, p.Target.Name)})
		}
	}
	return problems
}

// plainKustomization copies the YAML files of dir into an in-memory file
// system under /app, with a kustomization listing them.
func plainKustomization(dir string) (filesys.FileSystem, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("deploy-check: %w", err)
	}
	mem := filesys.MakeFsInMemory()
	var files []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("deploy-check: %w", err)
		}
		if err := mem.WriteFile("/app/"+n, b); err != nil {
			return nil, err
		}
		files = append(files, n)
	}
	sort.Strings(files)
	k := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
	for _, f := range files {
		k += "  - " + f + "\n"
	}
	return mem, mem.WriteFile("/app/kustomization.yaml", []byte(k))
}

// decode decodes js strictly into the API type of o's kind: an unknown
// field, a field given twice or a value of the wrong type is a problem,
// with the field's path, as the API server's strict field validation
// would report it. Field names are matched case-sensitively.
func decode(o *Object, js []byte) (any, []Problem) {
	newObj, ok := kinds[o.Kind]
	if !ok {
		return nil, []Problem{{Kind: o.Kind, Name: o.Name, Rule: RuleKind, Message: "unknown kind " + o.Kind + " (not a built-in kind, a KEDA or a Prometheus Operator kind deploy-check knows)"}}
	}
	obj, want := newObj()
	if o.APIVersion != want {
		return nil, []Problem{{Kind: o.Kind, Name: o.Name, Rule: RuleKind, Message: fmt.Sprintf("%s is served as %s, not %s", o.Kind, want, o.APIVersion)}}
	}
	strict, err := kjson.UnmarshalStrict(js, obj, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	var problems []Problem
	for _, e := range strict {
		problems = append(problems, Problem{Kind: o.Kind, Name: o.Name, Rule: RuleSchema, Message: e.Error()})
	}
	if err != nil {
		problems = append(problems, Problem{Kind: o.Kind, Name: o.Name, Rule: RuleSchema, Message: err.Error()})
		// A value of the wrong type leaves the rest of the object decoded,
		// which the other checks still read; any other error stops decoding.
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, problems
		}
	}
	return obj, problems
}
