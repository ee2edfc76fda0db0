package bus_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natstest"
)

// A server that knows its users by nkey (as the Kubernetes manifests
// configure it, with the seed mounted from a Secret) lets in a client
// with the seed file, and refuses one without it or with another seed.
func TestConnectWithNKeySeed(t *testing.T) {
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	other, _ := nkeys.CreateUser()
	otherSeed, _ := other.Seed()
	dir := t.TempDir()
	seedFile, otherFile := filepath.Join(dir, "nkey.seed"), filepath.Join(dir, "other.seed")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(otherFile, otherSeed, 0o600); err != nil {
		t.Fatal(err)
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoSigs: true, NoLog: true,
		Nkeys: []*server.NkeyUser{{Nkey: pub}}})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	connect := func(o bus.Options) error {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		b, err := bus.Connect(ctx, ns.ClientURL(), natstest.Topology(), o)
		if err == nil {
			b.Close()
		}
		return err
	}
	if err := connect(bus.Options{NKeySeedFile: seedFile}); err != nil {
		t.Fatalf("with the user's seed: %v", err)
	}
	if err := connect(bus.Options{}); err == nil {
		t.Fatal("connected with no credentials to a server that requires an nkey")
	}
	if err := connect(bus.Options{NKeySeedFile: otherFile}); err == nil {
		t.Fatal("connected with the seed of a user the server does not know")
	}
	if err := connect(bus.Options{NKeySeedFile: filepath.Join(dir, "missing")}); err == nil {
		t.Fatal("connected with a seed file that does not exist")
	}
}

func TestConnectRefusesHalfAClientCertificate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := bus.Connect(ctx, "nats://127.0.0.1:1", natstest.Topology(), bus.Options{TLSCertFile: "client.pem"})
	if !errors.Is(err, bus.ErrInvalidOption) {
		t.Fatalf("Connect with a certificate and no key = %v, want ErrInvalidOption", err)
	}
}
