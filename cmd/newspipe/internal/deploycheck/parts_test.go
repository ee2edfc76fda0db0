package deploycheck

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestJSONPatch(t *testing.T) {
	const doc = `{"a": {"b": [1, 2, 3], "c": "x"}, "d~e": {"f/g": 1}}`
	tests := []struct {
		name    string
		patch   string
		want    string // the document after the patch, as YAML
		wantErr string
	}{
		{"add field", `[{"op": "add", "path": "/a/n", "value": {"k": "v"}}]`, `{"a": {"b": [1, 2, 3], "c": "x", "n": {"k": "v"}}, "d~e": {"f/g": 1}}`, ""},
		{"add appends with -", `[{"op": "add", "path": "/a/b/-", "value": 4}]`, `{"a": {"b": [1, 2, 3, 4], "c": "x"}, "d~e": {"f/g": 1}}`, ""},
		{"add inserts", `[{"op": "add", "path": "/a/b/0", "value": 0}]`, `{"a": {"b": [0, 1, 2, 3], "c": "x"}, "d~e": {"f/g": 1}}`, ""},
		{"add at end index", `[{"op": "add", "path": "/a/b/3", "value": 4}]`, `{"a": {"b": [1, 2, 3, 4], "c": "x"}, "d~e": {"f/g": 1}}`, ""},
		{"remove from list", `[{"op": "remove", "path": "/a/b/1"}]`, `{"a": {"b": [1, 3], "c": "x"}, "d~e": {"f/g": 1}}`, ""},
		{"replace", `[{"op": "replace", "path": "/a/c", "value": "y"}]`, `{"a": {"b": [1, 2, 3], "c": "y"}, "d~e": {"f/g": 1}}`, ""},
		{"escaped tokens", `[{"op": "replace", "path": "/d~0e/f~1g", "value": 2}]`, `{"a": {"b": [1, 2, 3], "c": "x"}, "d~e": {"f/g": 2}}`, ""},
		{"move", `[{"op": "move", "from": "/a/c", "path": "/z"}]`, `{"a": {"b": [1, 2, 3]}, "d~e": {"f/g": 1}, "z": "x"}`, ""},
		{"copy is deep", `[{"op": "copy", "from": "/a/b", "path": "/z"}, {"op": "add", "path": "/z/-", "value": 9}]`, `{"a": {"b": [1, 2, 3], "c": "x"}, "d~e": {"f/g": 1}, "z": [1, 2, 3, 9]}`, ""},
		{"test passes, int and float", `[{"op": "test", "path": "/a/b/0", "value": 1.0}]`, doc, ""},
		{"YAML patch", "- op: remove\n  path: /a\n", `{"d~e": {"f/g": 1}}`, ""},
		{"test fails", `[{"op": "test", "path": "/a/c", "value": "no"}]`, "", "test failed"},
		{"replace missing", `[{"op": "replace", "path": "/a/nope", "value": 1}]`, "", `no field "nope"`},
		{"remove missing", `[{"op": "remove", "path": "/nope"}]`, "", `no field "nope"`},
		{"index out of range", `[{"op": "replace", "path": "/a/b/3", "value": 1}]`, "", "out of range"},
		{"leading zero index", `[{"op": "remove", "path": "/a/b/01"}]`, "", "not a list index"},
		{"into a scalar", `[{"op": "add", "path": "/a/c/x", "value": 1}]`, "", "scalar"},
		{"unknown op", `[{"op": "merge", "path": "/a"}]`, "", "unknown op"},
		{"value missing", `[{"op": "add", "path": "/a/x"}]`, "", "value missing"},
		{"from missing", `[{"op": "move", "path": "/a/x"}]`, "", "from missing"},
		{"relative path", `[{"op": "remove", "path": "a"}]`, "", "does not start with /"},
		{"unknown field", `[{"op": "remove", "path": "/a", "extra": 1}]`, "", "unknown field"},
		{"strategic merge", `{"spec": {"replicas": 1}}`, "", "strategic merge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d any
			if err := yaml.Unmarshal([]byte(doc), &d); err != nil {
				t.Fatal(err)
			}
			ops, err := parseJSONPatch([]byte(tc.patch))
			if err == nil {
				d, err = applyJSONPatch(d, ops)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want any
			if err := yaml.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(normalize(d), normalize(want)) {
				t.Fatalf("got %v, want %v", d, want)
			}
		})
	}
}

func TestJSONPatchCopiesValues(t *testing.T) {
	// One patch applied to two objects must not make them share a value.
	ops, err := parseJSONPatch([]byte(`[{"op": "add", "path": "/l", "value": [1]}]`))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := applyJSONPatch(map[string]any{}, ops)
	b, _ := applyJSONPatch(map[string]any{}, ops)
	a.(map[string]any)["l"].([]any)[0] = 2
	if got := b.(map[string]any)["l"].([]any)[0]; got != 1 {
		t.Fatalf("second object sees %v: the patch value is shared", got)
	}
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		bad  bool
	}{
		{in: "500m", want: 0.5},
		{in: "2", want: 2},
		{in: "1.5", want: 1.5},
		{in: "256Mi", want: 256 << 20},
		{in: "1Gi", want: 1 << 30},
		{in: "1G", want: 1e9},
		{in: "100k", want: 1e5},
		{in: "1e3", want: 1000},
		{in: "", bad: true},
		{in: "Mi", bad: true},
		{in: "-1", bad: true},
		{in: "1 Gi", bad: true},
		{in: "0x10", bad: true},
		{in: "NaN", bad: true},
		{in: "Inf", bad: true},
		{in: "1GB", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseQuantity(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("parseQuantity(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil || math.Abs(got-tc.want) > 1e-9*tc.want {
				t.Fatalf("parseQuantity(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestSplitImage(t *testing.T) {
	tests := []struct{ ref, name, tag, digest string }{
		{"nats:2.10.24-alpine", "nats", "2.10.24-alpine", ""},
		{"newspipe/sink", "newspipe/sink", "", ""},
		{"localhost:5000/app", "localhost:5000/app", "", ""},
		{"localhost:5000/app:1@sha256:ab", "localhost:5000/app", "1", "sha256:ab"},
		{"app@sha256:ab", "app", "", "sha256:ab"},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			n, tg, d := splitImage(tc.ref)
			if n != tc.name || tg != tc.tag || d != tc.digest {
				t.Fatalf("splitImage(%q) = %q %q %q", tc.ref, n, tg, d)
			}
			if joinImage(n, tg, d) != tc.ref {
				t.Fatalf("joinImage does not restore %q", tc.ref)
			}
		})
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"label", isDNSLabel, "nats-0", true},
		{"label upper", isDNSLabel, "Nats", false},
		{"label dash end", isDNSLabel, "nats-", false},
		{"label too long", isDNSLabel, strings.Repeat("a", 64), false},
		{"subdomain dots", isDNSSubdomain, "newspipe.config", true},
		{"subdomain empty label", isDNSSubdomain, "a..b", false},
		{"port name", isPortName, "metrics", true},
		{"port name digits only", isPortName, "9090", false},
		{"port name too long", isPortName, "a-very-long-port-name", false},
		{"port name double dash", isPortName, "a--b", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); got != tc.want {
				t.Fatalf("%q: got %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestSelectors(t *testing.T) {
	labels := map[string]string{"app": "nats", "tier": "data"}
	tests := []struct {
		name    string
		sel     string // a LabelSelector in YAML
		want    bool
		wantErr bool
	}{
		{"matchLabels", "matchLabels: {app: nats}", true, false},
		{"matchLabels mismatch", "matchLabels: {app: sink}", false, false},
		{"In", "matchExpressions: [{key: tier, operator: In, values: [data, web]}]", true, false},
		{"NotIn", "matchExpressions: [{key: tier, operator: NotIn, values: [data]}]", false, false},
		{"Exists", "matchExpressions: [{key: app, operator: Exists}]", true, false},
		{"DoesNotExist", "matchExpressions: [{key: zone, operator: DoesNotExist}]", true, false},
		{"bad operator", "matchExpressions: [{key: app, operator: Equals, values: [nats]}]", false, true},
		{"In without values", "matchExpressions: [{key: app, operator: In}]", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s labelSelector
			if err := yaml.Unmarshal([]byte(tc.sel), &s); err != nil {
				t.Fatal(err)
			}
			if _, err := s.requirements(); (err != nil) != tc.wantErr {
				t.Fatalf("requirements error %v, want error %v", err, tc.wantErr)
			}
			if got := s.matches(labels); got != tc.want {
				t.Fatalf("matches = %v, want %v", got, tc.want)
			}
		})
	}
	eq := []struct {
		sel  string
		want bool
		bad  bool
	}{
		{sel: "app=nats,tier==data", want: true},
		{sel: "app!=nats", want: false},
		{sel: "tier", want: true},
		{sel: "!zone", want: true},
		{sel: "app in (nats)", bad: true},
	}
	for _, tc := range eq {
		t.Run("equality "+tc.sel, func(t *testing.T) {
			rs, err := parseEqualitySelector(tc.sel)
			if tc.bad {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil || matchRequirements(rs, labels) != tc.want {
				t.Fatalf("got %v (%v), want %v", matchRequirements(rs, labels), err, tc.want)
			}
		})
	}
}

// FuzzParseAndCheck feeds arbitrary YAML through the document parser and
// every check: manifests are outside input, and no shape of them may panic.
func FuzzParseAndCheck(f *testing.F) {
	for _, seed := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {A: 1}\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x, ports: [{containerPort: 1, name: p}], livenessProbe: {httpGet: {port: p}}}]}}}\n",
		"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec: {serviceName: s, template: {spec: {containers: [{env: [{name: E, valueFrom: {resourceFieldRef: {resource: limits}}}]}]}}}\n",
		"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec: {scaleTargetRef: {kind: Deployment, name: d}}\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {a: b}, ports: [{port: 1, targetPort: x}]}\n---\n- a\n",
		"kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec: {containers: [{name: c, image: 'a:b@c'}]}\n",
		"a: &x [*x]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, _ := parseDocuments("fuzz.yaml", data)
		_ = checkSet(objs)
		for _, o := range objs {
			_, _ = applyJSONPatch(o.data, []patchOp{{Op: "remove", Path: []string{"spec"}}})
		}
	})
}

// BenchmarkRealManifests measures a whole check of deploy/k8s: rendering
// three kustomizations and checking them.
func BenchmarkRealManifests(b *testing.B) {
	for b.Loop() {
		if _, err := Run(realManifests); err != nil {
			b.Fatal(err)
		}
	}
}
