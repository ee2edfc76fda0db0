package natstest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/newspipe/newspipe/pkg/topology"
)

// Admin is the user of a Secured server that may do anything: the test's
// own eyes on the streams.
const Admin = "admin"

// Secured is an embedded JetStream server that admits only nkey users: one
// per service (topology.Services) with the service's topology.Permissions
// and topology.Provisioner with its ProvisionerPermissions, as a
// deployment's nats.conf gives them, and Admin. Services connect to it
// Provisioned (bus.Options): the provisioner declares the streams.
type Secured struct {
	URL string
	// Seeds maps a service, topology.Provisioner or Admin to a file
	// holding its user's nkey seed (bus.Options.NKeySeedFile).
	Seeds map[string]string
}

// StartSecured starts a Secured server for topo's namespace, shut down at
// cleanup.
func StartSecured(t testing.TB, topo topology.Topology) Secured {
	t.Helper()
	dir := t.TempDir()
	sec := Secured{Seeds: map[string]string{}}
	var users []*server.NkeyUser
	for _, name := range append(topology.Services(), topology.Provisioner, Admin) {
		kp, err := nkeys.CreateUser()
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := kp.PublicKey()
		seed, _ := kp.Seed()
		file := filepath.Join(dir, name+".seed")
		if err := os.WriteFile(file, seed, 0o600); err != nil {
			t.Fatal(err)
		}
		sec.Seeds[name] = file
		u := &server.NkeyUser{Nkey: pub}
		if name != Admin {
			p := topo.ProvisionerPermissions()
			if name != topology.Provisioner {
				if p, err = topo.Permissions(name); err != nil {
					t.Fatal(err)
				}
			}
			u.Permissions = &server.Permissions{
				Publish:   &server.SubjectPermission{Allow: p.Publish},
				Subscribe: &server.SubjectPermission{Allow: p.Subscribe},
			}
		}
		users = append(users, u)
	}
	ns, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: filepath.Join(dir, "js"),
		NoSigs: true, NoLog: true, Nkeys: users,
		MaxPayload: topology.MsgSizeFor(topology.DefaultMaxBodyBytes), MaxPending: 64 << 20,
	})
	if err != nil {
		t.Fatalf("secured nats: %v", err)
	}
	ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("secured nats: not ready")
	}
	sec.URL = ns.ClientURL()
	return sec
}
