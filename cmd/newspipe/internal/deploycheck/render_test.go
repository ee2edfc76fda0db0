package deploycheck

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

// realManifests is deploy/k8s, from this package's directory.
const realManifests = "../../../../deploy/k8s"

// renderAll renders every kustomization under dir, keyed by build name,
// failing the test on any rendering problem.
func renderAll(t *testing.T, dir string) map[string][]*object {
	t.Helper()
	_, kustDirs, err := scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(kustDirs) == 0 {
		t.Fatalf("no kustomization under %s", dir)
	}
	r := &renderer{root: dir}
	out := map[string][]*object{}
	for _, kd := range kustDirs {
		objs, problems, _ := r.build(kd)
		for _, p := range problems {
			t.Errorf("render %s: %s", kd, p)
		}
		out[kd] = objs
	}
	return out
}

// normalized decodes objects through YAML text so that values compare
// equal whatever produced them, keyed by kind/namespace/name.
func normalized(t *testing.T, docs []map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, d := range docs {
		b, err := yaml.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := yaml.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		o := &object{data: v}
		key := o.kind() + "/" + o.str("metadata", "namespace") + "/" + o.name()
		if _, dup := out[key]; dup {
			t.Errorf("%s rendered twice", key)
		}
		out[key] = v
	}
	return out
}

// TestRenderMatchesKubectl renders the real manifests and a fixture using
// every supported kustomize feature with both deploy-check and kubectl's
// built-in kustomize, and wants the same objects. It is what makes the
// offline rendering trustworthy; it needs kubectl on PATH.
func TestRenderMatchesKubectl(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not on PATH: cannot compare with kustomize's own rendering")
	}
	for _, dir := range []string{realManifests, "testdata/render/features"} {
		for kd, objs := range renderAll(t, dir) {
			t.Run(kd, func(t *testing.T) {
				cmd := exec.Command(kubectl, "kustomize", kd)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("kubectl kustomize %s: %v\n%s", kd, err, stderr.String())
				}
				var want []map[string]any
				dec := yaml.NewDecoder(bytes.NewReader(out))
				for {
					var m map[string]any
					if dec.Decode(&m) != nil {
						break
					}
					want = append(want, m)
				}
				var got []map[string]any
				for _, o := range objs {
					got = append(got, o.data)
				}
				g, w := normalized(t, got), normalized(t, want)
				for key, wv := range w {
					gv, ok := g[key]
					if !ok {
						t.Errorf("%s: kustomize renders it, deploy-check does not", key)
						continue
					}
					if !reflect.DeepEqual(gv, wv) {
						gb, _ := yaml.Marshal(gv)
						wb, _ := yaml.Marshal(wv)
						t.Errorf("%s differs\ndeploy-check:\n%s\nkustomize:\n%s", key, gb, wb)
					}
				}
				for key := range g {
					if _, ok := w[key]; !ok {
						t.Errorf("%s: deploy-check renders it, kustomize does not", key)
					}
				}
			})
		}
	}
}

func TestRenderFeatures(t *testing.T) {
	// The same expectations as the kubectl comparison, written out, so the
	// rendering is tested where kubectl is absent too.
	builds := renderAll(t, "testdata/render/features")
	objs := builds[filepath.Join("testdata/render/features", "overlay")]
	byKey := map[string]*object{}
	for _, o := range objs {
		byKey[o.kind()+"/"+o.name()] = o
	}
	tests := []struct {
		name string
		obj  string
		path []string
		want any
	}{
		{"namespace renamed", "Namespace/demo-dev", []string{"metadata", "name"}, "demo-dev"},
		{"namespace overrides explicit one", "ConfigMap/settings", []string{"metadata", "namespace"}, "demo-dev"},
		{"cluster-scoped untouched", "PriorityClass/pipeline", []string{"metadata", "namespace"}, nil},
		{"patch file replace", "ConfigMap/settings", []string{"data", "MODE"}, "debug"},
		{"patch file remove", "ConfigMap/settings", []string{"data", "EXTRA"}, nil},
		{"pointer escape", "ConfigMap/settings", []string{"data", "a/b"}, "slash"},
		{"move", "Deployment/web", []string{"metadata", "labels", "role"}, "front"},
		{"move removes source", "Deployment/web", []string{"metadata", "labels", "tier"}, nil},
		{"copy", "Deployment/web", []string{"metadata", "labels", "copied"}, "front"},
		{"replicas after patch test", "Deployment/web", []string{"spec", "replicas"}, 2},
		{"replicas on statefulset", "StatefulSet/db", []string{"spec", "replicas"}, 3},
		{"inline JSON patch", "StatefulSet/db", []string{"spec", "template", "spec", "containers", "0", "name"}, "pg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, ok := byKey[tc.obj]
			if !ok {
				t.Fatalf("%s not rendered", tc.obj)
			}
			got, err := get(o.data, tc.path)
			if tc.want == nil {
				if err == nil && got != nil {
					t.Fatalf("%v = %v, want absent", tc.path, got)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("%v = %v (%v), want %v", tc.path, got, err, tc.want)
			}
		})
	}
	var images []string
	walkContainers(byKey["Deployment/web"].data, func(c map[string]any) { images = append(images, c["image"].(string)) })
	walkContainers(byKey["StatefulSet/db"].data, func(c map[string]any) { images = append(images, c["image"].(string)) })
	wantImages := map[string]bool{
		"example/web:2.0":                     true, // newTag drops the digest
		"mirror.local/side@sha256:1111":       true, // digest without tag
		"registry.local:5000/tools/init2:1.0": true, // registry port is not a tag
		"example/db:16@sha256:2222":           true, // newTag and digest
	}
	if len(images) != len(wantImages) {
		t.Fatalf("images %v, want %d", images, len(wantImages))
	}
	for _, img := range images {
		if !wantImages[img] {
			t.Errorf("unexpected image %s", img)
		}
	}
	args, _ := get(byKey["Deployment/web"].data, []string{"spec", "template", "spec", "containers", "0", "args"})
	if want := []any{"--first", "--a", "--c"}; !reflect.DeepEqual(args, want) {
		t.Errorf("args %v, want %v", args, want)
	}
}
