package check

import (
	"os"
	"testing"

	"sigs.k8s.io/yaml"
)

// The values for the official NATS chart keep the settings newspipe
// relies on: a JetStream cluster of three on file storage, 8 MiB
// payloads, nkey authentication and Prometheus metrics with a PodMonitor.
func TestNATSChartValues(t *testing.T) {
	b, err := os.ReadFile("../nats/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := yaml.UnmarshalStrict(b, &v); err != nil {
		t.Fatalf("values.yaml: %v", err)
	}
	tests := []struct {
		path []string
		want any
	}{
		{[]string{"fullnameOverride"}, "nats"},
		{[]string{"config", "cluster", "enabled"}, true},
		{[]string{"config", "cluster", "replicas"}, float64(3)},
		{[]string{"config", "jetstream", "enabled"}, true},
		{[]string{"config", "jetstream", "fileStore", "enabled"}, true},
		{[]string{"config", "jetstream", "fileStore", "pvc", "enabled"}, true},
		{[]string{"config", "monitor", "enabled"}, true},
		{[]string{"config", "monitor", "port"}, float64(8222)},
		{[]string{"config", "merge", "max_payload"}, float64(8 << 20)},
		{[]string{"container", "env", "NEWSPIPE_NKEY", "valueFrom", "secretKeyRef", "name"}, "newspipe-nats"},
		{[]string{"promExporter", "enabled"}, true},
		{[]string{"promExporter", "podMonitor", "enabled"}, true},
	}
	for _, tc := range tests {
		var cur any = v
		for _, k := range tc.path {
			m, _ := cur.(map[string]any)
			cur = m[k]
		}
		if cur != tc.want {
			t.Errorf("%v = %v, want %v", tc.path, cur, tc.want)
		}
	}
}
