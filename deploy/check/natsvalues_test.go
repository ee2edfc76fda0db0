package check

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
	"sigs.k8s.io/yaml"

	"github.com/newspipe/newspipe/pkg/topology"
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
	type setting struct {
		path []string
		want any
	}
	tests := []setting{
		{[]string{"fullnameOverride"}, "nats"},
		{[]string{"config", "cluster", "enabled"}, true},
		{[]string{"config", "cluster", "replicas"}, float64(3)},
		{[]string{"config", "jetstream", "enabled"}, true},
		{[]string{"config", "jetstream", "fileStore", "enabled"}, true},
		{[]string{"config", "jetstream", "fileStore", "pvc", "enabled"}, true},
		{[]string{"config", "monitor", "enabled"}, true},
		{[]string{"config", "monitor", "port"}, float64(8222)},
		{[]string{"config", "merge", "max_payload"}, float64(8 << 20)},
		{[]string{"promExporter", "enabled"}, true},
		{[]string{"promExporter", "podMonitor", "enabled"}, true},
	}
	for _, svc := range append(topology.Services(), topology.Provisioner) {
		tests = append(tests,
			setting{[]string{"container", "env", NKeyVar(svc), "valueFrom", "secretKeyRef", "name"}, "newspipe-nats"},
			setting{[]string{"container", "env", NKeyVar(svc), "valueFrom", "secretKeyRef", "key"}, PubKey(svc)})
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

// The server settings of the values (config.merge and the JetStream
// sizes), written out as the chart writes them into nats.conf, are read
// by a real nats-server: one user per service with topology.Permissions,
// its nkey from NEWSPIPE_<SERVICE>_NKEY, and the file
// store holds six streams of base's STREAM_MAX_BYTES (JetStream reserves
// each stream's max_bytes).
func TestNATSChartValuesServerConfig(t *testing.T) {
	b, err := os.ReadFile("../nats/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Config struct {
			JetStream struct {
				FileStore   struct{ MaxSize string } `json:"fileStore"`
				MemoryStore struct{ MaxSize string } `json:"memoryStore"`
			} `json:"jetstream"`
			Merge map[string]any `json:"merge"`
		} `json:"config"`
	}
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var conf strings.Builder
	fmt.Fprintf(&conf, "jetstream {\n  store_dir: %q\n  max_file_store: %s\n  max_memory_store: %s\n}\n",
		t.TempDir(), v.Config.JetStream.FileStore.MaxSize, v.Config.JetStream.MemoryStore.MaxSize)
	writeConf(&conf, v.Config.Merge)
	file := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(file, []byte(conf.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	names, perms, err := users(topology.Default())
	if err != nil {
		t.Fatal(err)
	}
	pubs := map[string]string{}
	for _, name := range names {
		user, _ := nkeys.CreateUser()
		pubs[name], _ = user.PublicKey()
		t.Setenv(NKeyVar(name), pubs[name])
	}
	opts, err := server.ProcessConfigFile(file)
	if err != nil {
		t.Fatalf("nats-server refuses the values' settings: %v\n%s", err, conf.String())
	}
	if len(opts.Nkeys) != len(names) {
		t.Fatalf("users %+v: want one per service and the provisioner", opts.Nkeys)
	}
	for i, name := range names {
		u, p := opts.Nkeys[i], perms[i]
		if u.Nkey != pubs[name] || u.Permissions == nil || !slices.Equal(u.Permissions.Publish.Allow, p.Publish) ||
			!slices.Equal(u.Permissions.Subscribe.Allow, p.Subscribe) {
			t.Errorf("user %d is not %s with the nkey of %s and its topology permissions: %+v", i, name, NKeyVar(name), u)
		}
	}
	if opts.MaxPayload != 8<<20 {
		t.Errorf("max_payload %d, want 8 MiB", opts.MaxPayload)
	}
	if want := int64(6 << 30); opts.JetStreamMaxStore < want {
		t.Errorf("max_file_store %d holds fewer than six streams of 1 GiB", opts.JetStreamMaxStore)
	}
}

var chartVerbatim = regexp.MustCompile(`^<<\s*(.*?)\s*>>$`)

// writeConf writes m in NATS configuration syntax, as the chart does with
// config.merge: strings quoted, except those in << >>, which go verbatim.
func writeConf(w *strings.Builder, m map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w.WriteString(k + ": ")
		writeValue(w, m[k])
		w.WriteString("\n")
	}
}

func writeValue(w *strings.Builder, v any) {
	switch v := v.(type) {
	case map[string]any:
		w.WriteString("{\n")
		writeConf(w, v)
		w.WriteString("}")
	case []any:
		w.WriteString("[\n")
		for _, e := range v {
			writeValue(w, e)
			w.WriteString("\n")
		}
		w.WriteString("]")
	case string:
		if m := chartVerbatim.FindStringSubmatch(v); m != nil {
			w.WriteString(m[1])
		} else {
			fmt.Fprintf(w, "%q", v)
		}
	case float64: // YAML numbers decode as float64
		w.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	default:
		fmt.Fprint(w, v)
	}
}
