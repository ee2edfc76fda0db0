package check

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
	corev1 "k8s.io/api/core/v1"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/topology"
)

// The nats.conf the manifests ship (the cluster of base, the single server
// of the dev overlay) is read by a real nats-server, with the public nkey
// in NEWSPIPE_NKEY as the StatefulSet sets it from Secret newspipe-nats;
// a client holding the matching seed (as the stages do through
// NATS_NKEY_SEED) connects and declares the streams, and one without it
// is refused.
func TestNATSConfigAuthenticatesTheStages(t *testing.T) {
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	seedFile := filepath.Join(t.TempDir(), "nkey.seed")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NEWSPIPE_NKEY", pub)
	t.Setenv("POD_NAME", "nats-0")
	for _, build := range []string{"base", "overlays/dev"} {
		t.Run(build, func(t *testing.T) {
			s := render(t, build)
			cm := s.Get("ConfigMap", "newspipe", "nats-config").Obj.(*corev1.ConfigMap)
			conf := filepath.Join(t.TempDir(), "nats.conf")
			if err := os.WriteFile(conf, []byte(cm.Data["nats.conf"]), 0o600); err != nil {
				t.Fatal(err)
			}
			opts, err := server.ProcessConfigFile(conf)
			if err != nil {
				t.Fatalf("nats-server refuses the %s nats.conf: %v", build, err)
			}
			if len(opts.Nkeys) != 1 || opts.Nkeys[0].Nkey != pub {
				t.Fatalf("the %s nats.conf does not take the user nkey from NEWSPIPE_NKEY: %+v", build, opts.Nkeys)
			}
			if opts.MaxPayload != 8<<20 || !opts.JetStream {
				t.Errorf("max_payload %d, jetstream %v: want 8 MiB and JetStream", opts.MaxPayload, opts.JetStream)
			}
			// Here, on loopback, alone: the cluster's peers do not exist.
			opts.Host, opts.Port, opts.HTTPPort = "127.0.0.1", server.RANDOM_PORT, 0
			opts.StoreDir, opts.PidFile = t.TempDir(), ""
			opts.Cluster, opts.Routes = server.ClusterOpts{}, nil
			opts.NoSigs, opts.NoLog = true, true
			ns, err := server.NewServer(opts)
			if err != nil {
				t.Fatal(err)
			}
			ns.Start()
			t.Cleanup(ns.Shutdown)
			if !ns.ReadyForConnections(10 * time.Second) {
				t.Fatal("nats-server not ready")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
			defer cancel()
			// The streams as the stages declare them from newspipe-config,
			// at one replica: this server is alone.
			cfg := s.Get("ConfigMap", "newspipe", "newspipe-config").Obj.(*corev1.ConfigMap)
			topo := topology.Default()
			if topo.Limits.MaxBytes, err = strconv.ParseInt(cfg.Data["STREAM_MAX_BYTES"], 10, 64); err != nil {
				t.Fatalf("STREAM_MAX_BYTES: %v", err)
			}
			if topo.Limits.MaxAge, err = time.ParseDuration(cfg.Data["STREAM_MAX_AGE"]); err != nil {
				t.Fatalf("STREAM_MAX_AGE: %v", err)
			}
			b, err := bus.Connect(ctx, ns.ClientURL(), topo, bus.Options{NKeySeedFile: seedFile})
			if err != nil {
				t.Fatalf("a stage with the seed cannot connect: %v", err)
			}
			defer b.Close()
			// JetStream reserves each stream's max_bytes in max_file_store:
			// streams that do not all fit are refused, and the stages never start.
			if err := b.EnsureStreams(ctx); err != nil {
				t.Fatalf("declare the streams (STREAM_MAX_BYTES %d, max_file_store %d): %v", topo.Limits.MaxBytes, opts.JetStreamMaxStore, err)
			}
			short, cancelShort := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancelShort()
			if b2, err := bus.Connect(short, ns.ClientURL(), topology.Default(), bus.Options{}); err == nil {
				b2.Close()
				t.Fatal("a client without credentials connected")
			}
		})
	}
}
