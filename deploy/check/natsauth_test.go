package check

import (
	"os"
	"testing"

	"github.com/newspipe/newspipe/pkg/topology"
)

// The users of the shipped server configurations are those pkg/topology
// derives: the permissions cannot drift from the subjects, streams and
// consumers the code uses. go test -run NATSAuth -update rewrites them.
func TestNATSAuthMatchesTopology(t *testing.T) {
	topo := topology.Default()
	tests := []struct {
		name, file string
		gen        func(topology.Topology, string) (string, error)
	}{
		{"kustomize base", realManifests + "/base/nats/nats.yaml", AuthConf},
		{"helm values", "../nats/values.yaml", AuthValues},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := replaceGenerated(string(b), func(indent string) (string, error) { return tc.gen(topo, indent) })
			if err != nil {
				t.Fatalf("%s: %v", tc.file, err)
			}
			if *update {
				if err := os.WriteFile(tc.file, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want != string(b) {
				t.Errorf("the users of %s differ from topology.Permissions: run go test -run NATSAuth -update in deploy/check", tc.file)
			}
		})
	}
}
