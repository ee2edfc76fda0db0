package faults_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binDir holds the binaries TestMain builds; natsServer is the nats-server
// the scenarios run: $NEWSPIPE_FAULTS_NATS_SERVER where set (Debian's
// /usr/sbin/nats-server 2.9, say, to try the oldest server we support),
// else one TestMain builds from the nats-server module at the version go.mod
// pins, the one the embedded tests run, so that the suite tests newspipe and
// not whichever server a machine happens to have installed.
var binDir, natsServer string

func TestMain(m *testing.M) {
	if os.Getenv("NEWSPIPE_FAULTS") != "1" {
		fmt.Println("fault suite not run: `make test-faults` runs it (NEWSPIPE_FAULTS=1)")
		os.Exit(0)
	}
	var err error
	if binDir, err = os.MkdirTemp("", "newspipe-faults-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	build := exec.Command("go", "build", "-o", binDir+string(filepath.Separator),
		"./services/fetcher", "./services/cleaner", "./services/classifier", "./services/sink", "./cmd/newspipe")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "fault suite: build: %v\n%s", err, out)
		os.Exit(1)
	}
	if natsServer = os.Getenv("NEWSPIPE_FAULTS_NATS_SERVER"); natsServer == "" {
		// cmd/newspipe's go.mod requires the server module (natsembed), so
		// this builds the pinned version from the module cache.
		natsServer = filepath.Join(binDir, "nats-server")
		build := exec.Command("go", "build", "-o", natsServer, "github.com/nats-io/nats-server/v2")
		build.Dir = filepath.Join(repoRoot(), "cmd", "newspipe")
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "fault suite: build nats-server: %v\n%s", err, out)
			os.Exit(1)
		}
	}
	out, err := exec.Command(natsServer, "--version").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "fault suite: %s --version: %v\n%s", natsServer, err, out)
		os.Exit(1)
	}
	fmt.Printf("fault suite: %s (%s)\n", strings.TrimSpace(string(out)), natsServer)
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// repoRoot is the directory holding go.work, above the working directory.
func repoRoot() string {
	wd, _ := os.Getwd()
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d
		}
	}
	return wd
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proc is one OS process of a scenario, restartable with the same
// arguments, its output appended to one log file.
type proc struct {
	name string
	path string
	args []string
	env  []string
	log  string
	cmd  *exec.Cmd
	done chan error
}

// running is the processes of the scenario under way (scenarios run one at
// a time), which the waits watch for a crash.
var running []*proc

func newProc(t *testing.T, name, path string, args, env []string) *proc {
	t.Helper()
	p := &proc{name: name, path: path, args: args, env: env, log: filepath.Join(t.TempDir(), name+".log")}
	running = append(running, p)
	t.Cleanup(func() {
		running = slices.DeleteFunc(running, func(q *proc) bool { return q == p })
		p.kill()
		if t.Failed() {
			b, _ := os.ReadFile(p.log)
			t.Logf("%s output:\n%s", name, excerpt(string(b)))
		}
	})
	return p
}

// checkAlive fails the scenario at once, with the dead process's last words,
// if a process exited that nobody killed: a crash, not a stall to wait out.
func checkAlive(t *testing.T) {
	t.Helper()
	for _, p := range running {
		if p.cmd == nil {
			continue
		}
		select {
		case err := <-p.done:
			p.cmd = nil
			b, _ := os.ReadFile(p.log)
			t.Fatalf("%s exited on its own (%v):\n%s", p.name, err, excerpt(string(b)))
		default:
		}
	}
}

// excerpt is what a person needs from a process's log: from its first
// panic or fatal error where there is one (Go prints the cause first and
// the stacks after it), else its last lines.
func excerpt(log string) string {
	for _, mark := range []string{"\npanic: ", "\nfatal error: "} {
		if i := strings.Index(log, mark); i >= 0 {
			return headLines(log[i+1:], 40)
		}
	}
	return tailLines(log, 60)
}

func headLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

func (p *proc) start(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p.cmd = exec.Command(p.path, p.args...)
	p.cmd.Env = append(os.Environ(), p.env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	p.done = make(chan error, 1)
	go func(cmd *exec.Cmd, done chan error) { done <- cmd.Wait() }(p.cmd, p.done)
}

// kill9 kills the process with SIGKILL, as a node failure or the OOM killer
// does, and waits for it to be gone.
func (p *proc) kill9(t *testing.T) {
	t.Helper()
	if p.cmd == nil {
		return
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill %s: %v", p.name, err)
	}
	<-p.done
	p.cmd = nil
}

func (p *proc) kill() {
	if p.cmd != nil {
		_ = p.cmd.Process.Kill()
		<-p.done
		p.cmd = nil
	}
}

// stop sends SIGTERM and requires a clean exit within limit.
func (p *proc) stop(t *testing.T, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		p.cmd = nil
		if err != nil {
			t.Errorf("%s exited with %v after SIGTERM, want 0", p.name, err)
		}
	case <-time.After(limit):
		t.Fatalf("%s still running %v after SIGTERM", p.name, limit)
	}
	return time.Since(start)
}

// natsProc is a nats-server with JetStream on a fixed port and store, so a
// restart after SIGKILL is the same server to its clients.
func natsProc(t *testing.T) (*proc, string) {
	t.Helper()
	dir := t.TempDir()
	addr := freeAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	conf := filepath.Join(dir, "nats.conf")
	// Pages up to the pipeline's 8 MiB cap must fit in one message.
	body := fmt.Sprintf("host: %s\nport: %s\nmax_payload: 8MB\njetstream {\n  store_dir: %q\n}\n", host, port, filepath.Join(dir, "js"))
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	p := newProc(t, "nats-server", natsServer, []string{"-c", conf}, nil)
	p.start(t)
	waitListening(t, addr, 15*time.Second)
	return p, "nats://" + addr
}

func waitListening(t *testing.T, addr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listening on %s within %v", addr, within)
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func ctxFor(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// natsCluster is three nats-servers with JetStream clustered on loopback,
// each with its own store; it returns them by server name and the client
// URL list.
func natsCluster(t *testing.T) (map[string]*proc, string) {
	t.Helper()
	var client, route []string
	for range 3 {
		client = append(client, freeAddr(t))
		route = append(route, freeAddr(t))
	}
	nodes := map[string]*proc{}
	for i := range 3 {
		dir := t.TempDir()
		host, port, _ := net.SplitHostPort(client[i])
		_, cport, _ := net.SplitHostPort(route[i])
		var routes []string
		for j := range 3 {
			if j != i {
				routes = append(routes, "nats-route://"+route[j])
			}
		}
		name := fmt.Sprintf("n%d", i+1)
		body := fmt.Sprintf("server_name: %s\nhost: %s\nport: %s\nmax_payload: 8MB\njetstream {\n  store_dir: %q\n}\n"+
			"cluster {\n  name: faults\n  host: %s\n  port: %s\n  routes: [%s]\n}\n",
			name, host, port, filepath.Join(dir, "js"), host, cport, strings.Join(routes, ", "))
		conf := filepath.Join(dir, "nats.conf")
		if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		nodes[name] = newProc(t, "nats-"+name, natsServer, []string{"-c", conf}, nil)
	}
	for _, p := range nodes {
		p.start(t)
	}
	urls := make([]string, len(client))
	for i, a := range client {
		waitListening(t, a, 15*time.Second)
		urls[i] = "nats://" + a
	}
	return nodes, strings.Join(urls, ",")
}
