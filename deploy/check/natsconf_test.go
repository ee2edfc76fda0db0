package check

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/topology"
)

// lockedLog collects a bus's log, where NATS reports a permissions
// violation.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The nats.conf the manifests ship (the cluster of base, the single server
// of the dev overlay), with the auth.conf it includes, is read by a real
// nats-server, with each user's public nkey in the variable the StatefulSet
// sets from Secret newspipe-nats. The provisioner (whose seed the fetcher's
// init container mounts) declares the streams and buckets; each service's
// user (holding the seed its Deployment mounts) connects and finds its
// streams, and may not declare one; a client without a seed is refused;
// the cleaner's user is refused on the classifier's output (a forged
// EnrichedArticle) and the classifier's on the sink's (a forged alert),
// while the classifier's own story reaches the sink's consumer.
func TestNATSConfigAuthenticatesTheStages(t *testing.T) {
	for _, build := range []string{"base", "overlays/dev"} {
		t.Run(build, func(t *testing.T) {
			s := render(t, build)
			t.Setenv("POD_NAME", "nats-0")
			names, perms, err := users(topology.Default())
			if err != nil {
				t.Fatal(err)
			}
			// The public keys, in the variables the StatefulSet sets.
			seeds := map[string]string{}
			pubs := map[string]string{}
			sts := s.Get("StatefulSet", "newspipe", "nats").Obj.(*appsv1.StatefulSet)
			for _, e := range sts.Spec.Template.Spec.Containers[0].Env {
				ref := e.ValueFrom
				if ref == nil || ref.SecretKeyRef == nil || ref.SecretKeyRef.Name != "newspipe-nats" {
					continue
				}
				svc, ok := strings.CutSuffix(ref.SecretKeyRef.Key, ".pub")
				if !ok || !slices.Contains(names, svc) {
					t.Fatalf("env %s: key %s of newspipe-nats is no user's public nkey", e.Name, ref.SecretKeyRef.Key)
				}
				user, err := nkeys.CreateUser()
				if err != nil {
					t.Fatal(err)
				}
				pub, _ := user.PublicKey()
				seed, _ := user.Seed()
				seeds[svc] = filepath.Join(t.TempDir(), svc+".seed")
				if err := os.WriteFile(seeds[svc], seed, 0o600); err != nil {
					t.Fatal(err)
				}
				pubs[svc] = pub
				t.Setenv(e.Name, pub)
			}
			// Each service's container mounts its own seed; the fetcher's
			// init container, alone, the provisioner's.
			for _, svc := range topology.Services() {
				spec := s.Get("Deployment", "newspipe", svc).Obj.(*appsv1.Deployment).Spec.Template.Spec
				if got := natsKeys(spec, spec.Containers[0]); !slices.Equal(got, []string{SeedKey(svc)}) {
					t.Errorf("Deployment %s: container %s mounts keys %v of newspipe-nats, want its own seed %s", svc, spec.Containers[0].Name, got, SeedKey(svc))
				}
				var provisioners []string
				for _, ic := range spec.InitContainers {
					if got := natsKeys(spec, ic); len(got) > 0 {
						if !slices.Equal(got, []string{SeedKey(topology.Provisioner)}) || ic.Args[0] != "provision" {
							t.Errorf("Deployment %s: init container %s mounts keys %v of newspipe-nats, runs %v", svc, ic.Name, got, ic.Args)
						}
						provisioners = append(provisioners, ic.Name)
					}
				}
				if want := svc == topology.ServiceFetcher; want != (len(provisioners) == 1) {
					t.Errorf("Deployment %s: provisioning init containers %v", svc, provisioners)
				}
			}

			dir := t.TempDir()
			cm := s.Get("ConfigMap", "newspipe", "nats-config").Obj.(*corev1.ConfigMap)
			for _, name := range []string{"nats.conf", "auth.conf"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(cm.Data[name]), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			opts, err := server.ProcessConfigFile(filepath.Join(dir, "nats.conf"))
			if err != nil {
				t.Fatalf("nats-server refuses the %s nats.conf: %v", build, err)
			}
			if len(opts.Nkeys) != len(names) {
				t.Fatalf("the %s nats.conf has %d users, want one per service and the provisioner: %+v", build, len(opts.Nkeys), opts.Nkeys)
			}
			for i, name := range names {
				u, p := opts.Nkeys[i], perms[i]
				if u.Nkey != pubs[name] || u.Permissions == nil || !slices.Equal(u.Permissions.Publish.Allow, p.Publish) ||
					!slices.Equal(u.Permissions.Subscribe.Allow, p.Subscribe) || len(u.Permissions.Publish.Deny) > 0 {
					t.Errorf("user %d is not %s with its nkey and its topology permissions: %+v", i, name, u)
				}
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
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
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
			if cfg.Data["STREAMS_PROVISIONED"] != "true" {
				t.Errorf("newspipe-config: STREAMS_PROVISIONED is %q: the services' users may not declare streams", cfg.Data["STREAMS_PROVISIONED"])
			}
			// The provisioner declares the streams and buckets. JetStream
			// reserves each stream's max_bytes in max_file_store: streams
			// that do not all fit are refused, and the stages never start.
			prov, err := bus.Connect(ctx, ns.ClientURL(), topo, bus.Options{
				NKeySeedFile: seeds[topology.Provisioner], InboxPrefix: topology.InboxPrefix(topology.Provisioner),
			})
			if err != nil {
				t.Fatalf("the provisioner, with its seed, cannot connect: %v", err)
			}
			defer prov.Close()
			if err := prov.EnsureStreams(ctx); err != nil {
				t.Fatalf("the provisioner declares the streams (STREAM_MAX_BYTES %d, max_file_store %d): %v",
					topo.Limits.MaxBytes, opts.JetStreamMaxStore, err)
			}
			for _, bucket := range []string{topology.BucketSeen, topology.BucketFeedState, topology.BucketHostBudget} {
				if _, err := prov.KV(ctx, bucket, time.Hour); err != nil {
					t.Fatalf("the provisioner declares bucket %s: %v", bucket, err)
				}
			}
			buses, logs := map[string]*bus.Bus{}, map[string]*lockedLog{}
			for _, svc := range topology.Services() {
				logs[svc] = &lockedLog{}
				b, err := bus.Connect(ctx, ns.ClientURL(), topo, bus.Options{
					NKeySeedFile: seeds[svc], PublishTimeout: 2 * time.Second, Logger: slog.New(slog.NewTextHandler(logs[svc], nil)),
					Provisioned: true, InboxPrefix: topology.InboxPrefix(svc),
				})
				if err != nil {
					t.Fatalf("%s, with its seed, cannot connect: %v", svc, err)
				}
				defer b.Close()
				buses[svc] = b
				streams, _ := topo.ServiceStreams(svc)
				if err := b.EnsureStreams(ctx, streams...); err != nil {
					t.Fatalf("%s finds its streams %v: %v", svc, streams, err)
				}
			}
			if _, err := buses[topology.ServiceFetcher].KV(ctx, topology.BucketSeen, 0); err != nil {
				t.Errorf("the fetcher opens its bucket: %v", err)
			}
			short, cancelShort := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancelShort()
			if b2, err := bus.Connect(short, ns.ClientURL(), topology.Default(), bus.Options{}); err == nil {
				b2.Close()
				t.Fatal("a client without credentials connected")
			}

			// The sink's consumer counts what reaches news.enriched.>.
			spec, _ := topo.Consumer(topology.StageSink)
			sinkIn, err := buses[topology.ServiceSink].Consumer(ctx, spec)
			if err != nil {
				t.Fatalf("the sink creates its consumer: %v", err)
			}
			pending := func() uint64 {
				n, err := sinkIn.Pending(ctx)
				if err != nil {
					t.Fatalf("the sink reads its consumer: %v", err)
				}
				return n
			}
			// No service may set a stream's configuration (which could
			// republish its messages onto another service's subjects).
			declarer, err := bus.Connect(ctx, ns.ClientURL(), topo, bus.Options{
				NKeySeedFile: seeds[topology.ServiceCleaner], InboxPrefix: topology.InboxPrefix(topology.ServiceCleaner),
				Logger: slog.New(slog.NewTextHandler(logs[topology.ServiceCleaner], nil)),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer declarer.Close()
			short2, cancelShort2 := context.WithTimeout(ctx, 1500*time.Millisecond)
			defer cancelShort2()
			if err := declarer.EnsureStreams(short2, topology.StreamClean); err == nil {
				t.Error("the cleaner's user declared its output stream")
			}
			story := bus.Message{Subject: topo.EnrichedRuCn("x"), MsgID: "enriched:forged", Data: []byte("a forged story")}
			for _, forgery := range []struct {
				svc string
				m   bus.Message
			}{
				{topology.ServiceCleaner, story},
				{topology.ServiceClassifier, bus.Message{Subject: topo.AgreementAlerts(), MsgID: "alert:forged", Data: []byte("a forged alert")}},
				{topology.ServiceSink, story},
			} {
				if err := buses[forgery.svc].Publish(ctx, forgery.m); err == nil {
					t.Errorf("the %s's user published on %s", forgery.svc, forgery.m.Subject)
				}
				if !strings.Contains(logs[forgery.svc].String(), `Permissions Violation for Publish to \"`+forgery.m.Subject) {
					t.Errorf("the server reported no permissions violation for the %s on %s", forgery.svc, forgery.m.Subject)
				}
			}
			if n := pending(); n != 0 {
				t.Errorf("the sink has %d stories to read after the forgeries", n)
			}
			if err := buses[topology.ServiceClassifier].Publish(ctx, story); err != nil {
				t.Fatalf("the classifier's user may publish stories: %v", err)
			}
			if n := pending(); n != 1 {
				t.Errorf("the sink has %d stories to read after the classifier's, want 1", n)
			}
		})
	}
}

// natsKeys returns the keys of Secret newspipe-nats that container c of
// spec mounts.
func natsKeys(spec corev1.PodSpec, c corev1.Container) []string {
	var keys []string
	for _, m := range c.VolumeMounts {
		for _, v := range spec.Volumes {
			if v.Name == m.Name && v.Secret != nil && v.Secret.SecretName == natsSecret {
				for _, it := range v.Secret.Items {
					keys = append(keys, it.Key)
				}
			}
		}
	}
	return keys
}
