package deploycheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// source locates a document: its file and its index in that file.
type source struct {
	file string
	doc  int
}

// object is one manifest as rendered so far: decoded YAML, mutated in place
// by the kustomize transformations.
type object struct {
	src  source
	data map[string]any
}

func (o *object) str(path ...string) string {
	s, _ := lookup(o.data, path...).(string)
	return s
}

func (o *object) kind() string       { return o.str("kind") }
func (o *object) apiVersion() string { return o.str("apiVersion") }
func (o *object) name() string       { return o.str("metadata", "name") }

// namespace is the object's namespace as the API server would default it;
// "" for kinds that have none.
func (o *object) namespace() string {
	if clusterScoped(o.kind()) {
		return ""
	}
	if ns := o.str("metadata", "namespace"); ns != "" {
		return ns
	}
	return "default"
}

func (o *object) ref() string { return o.kind() + "/" + o.name() }

func (o *object) problem(rule Rule, format string, args ...any) Problem {
	return Problem{File: o.src.file, Doc: o.src.doc, Kind: o.kind(), Name: o.name(), Rule: rule, Message: fmt.Sprintf(format, args...)}
}

// lookup follows path through nested mappings; nil where it leads nowhere.
func lookup(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// parseDocuments splits a multi-document YAML file into objects. Empty
// documents (comments only) are skipped but keep their index, so Doc counts
// the documents as a person reads the file.
func parseDocuments(file string, data []byte) ([]*object, []Problem) {
	var objs []*object
	var problems []Problem
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// The decoder cannot resynchronise after a syntax error.
			problems = append(problems, Problem{File: file, Doc: i, Rule: RuleYAML, Message: "parse: " + err.Error()})
			break
		}
		var v any
		if err := n.Decode(&v); err != nil {
			problems = append(problems, Problem{File: file, Doc: i, Rule: RuleYAML, Message: "decode: " + err.Error()})
			continue
		}
		if v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			problems = append(problems, Problem{File: file, Doc: i, Rule: RuleYAML, Message: fmt.Sprintf("document is a %s, not a mapping with apiVersion, kind and metadata", yamlKind(v))})
			continue
		}
		objs = append(objs, &object{src: source{file, i}, data: m})
	}
	return objs, problems
}

func yamlKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case map[any]any:
		return "mapping with non-string keys"
	default:
		return "scalar"
	}
}

// renderer renders kustomizations found under root.
type renderer struct {
	root string
}

// rel names path relative to the checked directory, for build names.
func (r *renderer) rel(path string) string {
	rel, err := filepath.Rel(r.root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

func (r *renderer) loadFile(path string) ([]*object, []Problem) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []Problem{{File: path, Rule: RuleYAML, Message: "read: " + err.Error()}}
	}
	return parseDocuments(path, data)
}

// kustomizationFile returns the kustomization file of dir, or "" if it has
// none. The names are kustomize's, in its order of preference.
func kustomizationFile(dir string) string {
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// kustomization is the subset of kustomize's Kustomization that
// deploy-check renders. Decoding is strict: a field not declared here is an
// unsupported feature, reported rather than ignored.
type kustomization struct {
	APIVersion string            `yaml:"apiVersion"`
	Kind       string            `yaml:"kind"`
	Metadata   map[string]any    `yaml:"metadata"`
	Resources  []string          `yaml:"resources"`
	Namespace  string            `yaml:"namespace"`
	Images     []imageOverride   `yaml:"images"`
	Replicas   []replicaOverride `yaml:"replicas"`
	Patches    []patchEntry      `yaml:"patches"`
}

type imageOverride struct {
	Name    string `yaml:"name"`
	NewName string `yaml:"newName"`
	NewTag  string `yaml:"newTag"`
	Digest  string `yaml:"digest"`
}

type replicaOverride struct {
	Name  string `yaml:"name"`
	Count *int   `yaml:"count"`
}

type patchEntry struct {
	Path   string       `yaml:"path"`
	Patch  string       `yaml:"patch"`
	Target *patchTarget `yaml:"target"`
}

type patchTarget struct {
	Group              string `yaml:"group"`
	Version            string `yaml:"version"`
	Kind               string `yaml:"kind"`
	Name               string `yaml:"name"`
	Namespace          string `yaml:"namespace"`
	LabelSelector      string `yaml:"labelSelector"`
	AnnotationSelector string `yaml:"annotationSelector"`
}

// supportedFields lists the top-level kustomization fields deploy-check
// renders, for a friendlier message than the strict decoder's.
const supportedFields = "apiVersion, kind, metadata, resources, namespace, images, replicas, patches"

func supportedField(key string) bool {
	switch key {
	case "apiVersion", "kind", "metadata", "resources", "namespace", "images", "replicas", "patches":
		return true
	}
	return false
}

// build renders the kustomization in dir. It returns the objects, the
// problems met while rendering, and every file it read.
func (r *renderer) build(dir string) ([]*object, []Problem, map[string]bool) {
	files := map[string]bool{}
	objs, problems := r.buildDir(dir, nil, files)
	return objs, problems, files
}

func (r *renderer) buildDir(dir string, stack []string, files map[string]bool) ([]*object, []Problem) {
	kfile := kustomizationFile(dir)
	files[kfile] = true
	kp := func(format string, args ...any) Problem {
		return Problem{File: kfile, Kind: "Kustomization", Name: r.rel(dir), Rule: RuleKustomize, Message: fmt.Sprintf(format, args...)}
	}
	if slices.Contains(stack, dir) {
		names := make([]string, 0, len(stack)+1)
		for _, d := range append(stack, dir) {
			names = append(names, r.rel(d))
		}
		return nil, []Problem{kp("cycle: %s includes itself", strings.Join(names, " -> "))}
	}
	stack = append(stack, dir)

	k, problems := r.loadKustomization(kfile, kp)
	if k == nil {
		return nil, problems
	}
	var objs []*object
	for _, res := range k.Resources {
		if strings.Contains(res, "://") || strings.HasPrefix(res, "github.com/") {
			problems = append(problems, kp("resource %s: remote resources are not supported; vendor them", res))
			continue
		}
		p := filepath.Join(dir, res)
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			problems = append(problems, kp("resource %s does not exist", res))
		case err != nil:
			problems = append(problems, kp("resource %s: %v", res, err))
		case st.IsDir():
			if kustomizationFile(p) == "" {
				problems = append(problems, kp("resource %s is a directory without a kustomization.yaml", res))
				continue
			}
			o, ps := r.buildDir(p, stack, files)
			objs = append(objs, o...)
			problems = append(problems, ps...)
		default:
			files[p] = true
			o, ps := r.loadFile(p)
			objs = append(objs, o...)
			problems = append(problems, ps...)
		}
	}
	// kustomize's order: patches, then namespace, then replicas, then images.
	for i, pe := range k.Patches {
		problems = append(problems, r.applyPatch(dir, i, pe, objs, files, kp)...)
	}
	if k.Namespace != "" {
		setNamespace(objs, k.Namespace)
	}
	for _, ro := range k.Replicas {
		if p, ok := setReplicas(objs, ro); !ok {
			problems = append(problems, kp("%s", p))
		}
	}
	for _, ov := range k.Images {
		if ov.Name == "" {
			problems = append(problems, kp("images: an entry has no name"))
			continue
		}
		if !setImages(objs, ov) {
			problems = append(problems, kp("images: no container uses image %s", ov.Name))
		}
	}
	return objs, problems
}

// loadKustomization reads kfile strictly; nil when it cannot be rendered.
func (r *renderer) loadKustomization(kfile string, kp func(string, ...any) Problem) (*kustomization, []Problem) {
	data, err := os.ReadFile(kfile)
	if err != nil {
		return nil, []Problem{kp("read: %v", err)}
	}
	var top map[string]any
	if err := yaml.Unmarshal(data, &top); err != nil {
		return nil, []Problem{kp("parse: %v", err)}
	}
	var problems []Problem
	keys := make([]string, 0, len(top))
	for key := range top {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if !supportedField(key) {
			problems = append(problems, kp("unsupported kustomization field %q: deploy-check renders only %s", key, supportedFields))
			// Render the rest, so the objects are still checked.
			delete(top, key)
		}
	}
	if len(problems) > 0 {
		if data, err = yaml.Marshal(top); err != nil {
			return nil, append(problems, kp("re-encode: %v", err))
		}
	}
	var k kustomization
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&k); err != nil && !errors.Is(err, io.EOF) {
		return nil, []Problem{kp("unsupported or malformed kustomization: %v", err)}
	}
	if k.APIVersion != "" && k.APIVersion != "kustomize.config.k8s.io/v1beta1" {
		problems = append(problems, kp("apiVersion %q: want kustomize.config.k8s.io/v1beta1", k.APIVersion))
	}
	if k.Kind != "" && k.Kind != "Kustomization" {
		problems = append(problems, kp("kind %q: only Kustomization is supported", k.Kind))
	}
	return &k, problems
}

// applyPatch applies patch entry i (a JSON 6902 patch) to the objects its
// target selects.
func (r *renderer) applyPatch(dir string, i int, pe patchEntry, objs []*object, files map[string]bool, kp func(string, ...any) Problem) []Problem {
	content, where := pe.Patch, fmt.Sprintf("patch #%d", i)
	switch {
	case pe.Path != "" && pe.Patch != "":
		return []Problem{kp("%s: has both path and patch", where)}
	case pe.Path != "":
		p := filepath.Join(dir, pe.Path)
		files[p] = true
		data, err := os.ReadFile(p)
		if err != nil {
			return []Problem{kp("%s: %v", where, err)}
		}
		content, where = string(data), fmt.Sprintf("patch #%d (%s)", i, pe.Path)
	case pe.Patch == "":
		return []Problem{kp("%s: has neither path nor patch", where)}
	}
	ops, err := parseJSONPatch([]byte(content))
	if err != nil {
		return []Problem{kp("%s: %v", where, err)}
	}
	if pe.Target == nil {
		return []Problem{kp("%s: a JSON 6902 patch needs a target", where)}
	}
	sel, err := newTargetSelector(*pe.Target)
	if err != nil {
		return []Problem{kp("%s: target: %v", where, err)}
	}
	var problems []Problem
	matched := 0
	for _, o := range objs {
		if !sel.matches(o) {
			continue
		}
		matched++
		out, err := applyJSONPatch(o.data, ops)
		if err != nil {
			problems = append(problems, kp("%s on %s: %v", where, o.ref(), err))
			continue
		}
		m, ok := out.(map[string]any)
		if !ok {
			problems = append(problems, kp("%s on %s: the result is not a mapping", where, o.ref()))
			continue
		}
		o.data = m
	}
	// kustomize ignores a patch that selects nothing; it is nearly always a
	// renamed object, so it is a problem here.
	if matched == 0 {
		problems = append(problems, kp("%s: the target selects no object", where))
	}
	return problems
}

// setNamespace is kustomize's namespace transformer: every namespaced object
// moves to ns, and a Namespace object is renamed to it.
func setNamespace(objs []*object, ns string) {
	for _, o := range objs {
		md, ok := o.data["metadata"].(map[string]any)
		if !ok {
			md = map[string]any{}
			o.data["metadata"] = md
		}
		if o.kind() == "Namespace" {
			md["name"] = ns
			continue
		}
		if clusterScoped(o.kind()) {
			continue
		}
		md["namespace"] = ns
	}
}

// setReplicas applies one replicas entry; false (with a message) when it
// selects nothing, which kustomize also refuses.
func setReplicas(objs []*object, ro replicaOverride) (string, bool) {
	if ro.Count == nil {
		return fmt.Sprintf("replicas: entry %s has no count", ro.Name), false
	}
	found := false
	for _, o := range objs {
		if o.name() != ro.Name || !scalable(o.kind()) {
			continue
		}
		spec, ok := o.data["spec"].(map[string]any)
		if !ok {
			spec = map[string]any{}
			o.data["spec"] = spec
		}
		spec["replicas"] = *ro.Count
		found = true
	}
	if !found {
		return fmt.Sprintf("replicas: no %s named %s", scalableKinds, ro.Name), false
	}
	return "", true
}

// setImages applies one images entry to every container and init container,
// wherever it sits in an object (as kustomize does); false if none matched.
func setImages(objs []*object, ov imageOverride) bool {
	found := false
	for _, o := range objs {
		walkContainers(o.data, func(c map[string]any) {
			img, ok := c["image"].(string)
			if !ok {
				return
			}
			name, tag, digest := splitImage(img)
			if name != ov.Name {
				return
			}
			found = true
			if ov.NewName != "" {
				name = ov.NewName
			}
			switch {
			case ov.NewTag != "" && ov.Digest != "":
				tag, digest = ov.NewTag, ov.Digest
			case ov.NewTag != "":
				tag, digest = ov.NewTag, ""
			case ov.Digest != "":
				tag, digest = "", ov.Digest
			}
			c["image"] = joinImage(name, tag, digest)
		})
	}
	return found
}

// walkContainers calls fn for every element of a containers or
// initContainers list anywhere under v.
func walkContainers(v any, fn func(map[string]any)) {
	switch n := v.(type) {
	case map[string]any:
		for key, child := range n {
			if key == "containers" || key == "initContainers" {
				if list, ok := child.([]any); ok {
					for _, c := range list {
						if cm, ok := c.(map[string]any); ok {
							fn(cm)
						}
					}
				}
			}
			walkContainers(child, fn)
		}
	case []any:
		for _, child := range n {
			walkContainers(child, fn)
		}
	}
}

// splitImage splits an image reference into name, tag and digest. A colon
// belongs to the tag only after the last slash ("localhost:5000/app" has no tag).
func splitImage(ref string) (name, tag, digest string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i+1:], "/") {
		ref, tag = ref[:i], ref[i+1:]
	}
	return ref, tag, digest
}

func joinImage(name, tag, digest string) string {
	if tag != "" {
		name += ":" + tag
	}
	if digest != "" {
		name += "@" + digest
	}
	return name
}
