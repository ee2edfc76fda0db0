// Package archtest checks the import rules of STYLE.md over every module of
// the workspace, so that breaking them fails make test: only pkg/bus imports
// nats.go; imports point services → pkg → proto, no service imports another
// and pkg imports no service; domain packages (services/*/internal/…) never
// import the bus, the stage loop, NATS or flags; the deploy check
// (deploy/check, a module of its own) is imported by nothing users run,
// and is the only user of the Kubernetes and kustomize libraries.
package archtest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const mod = "github.com/newspipe/newspipe/"

func TestImportRules(t *testing.T) {
	root := repoRoot(t)
	dirs, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}/...").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	args := append([]string{"list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}"}, strings.Fields(string(dirs))...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		pkg, imports, _ := strings.Cut(sc.Text(), "|")
		n++
		for _, imp := range strings.Fields(imports) {
			if why := violation(pkg, imp); why != "" {
				t.Errorf("%s imports %s: %s", pkg, imp, why)
			}
		}
	}
	if n < 20 {
		t.Fatalf("go list saw only %d packages: the check is not looking at the workspace", n)
	}
}

// violation returns why pkg may not import imp, or "".
func violation(pkg, imp string) string {
	switch {
	case strings.HasPrefix(imp, "github.com/nats-io/nats.go") && pkg != mod+"pkg/bus":
		return "only pkg/bus talks to NATS"
	case strings.HasPrefix(imp, mod+"deploy/") && !strings.HasPrefix(pkg, mod+"deploy/"):
		return "the deploy check is a module of its own: nothing users run imports it"
	case (strings.HasPrefix(imp, "k8s.io/") || strings.HasPrefix(imp, "sigs.k8s.io/")) && !strings.HasPrefix(pkg, mod+"deploy/"):
		return "only the deploy check uses the Kubernetes and kustomize libraries"
	case strings.HasPrefix(pkg, mod+"deploy/") && (strings.HasPrefix(imp, mod+"services/") || strings.HasPrefix(imp, mod+"cmd/")):
		return "the deploy check reads pkg (the topology), never a service or a command"
	case strings.HasPrefix(pkg, mod+"pkg/") && (strings.HasPrefix(imp, mod+"services/") || strings.HasPrefix(imp, mod+"cmd/")):
		return "pkg never imports a service or a command"
	case strings.HasPrefix(pkg, mod+"services/") && strings.HasPrefix(imp, mod+"services/") && service(pkg) != service(imp):
		return "no service imports another"
	case strings.HasPrefix(pkg, mod+"services/") && strings.Contains(pkg, "/internal/"):
		for _, banned := range []string{mod + "pkg/bus", mod + "pkg/stage", "flag", "github.com/nats-io/"} {
			if imp == banned || strings.HasPrefix(imp, banned+"/") || (strings.HasSuffix(banned, "/") && strings.HasPrefix(imp, banned)) {
				return "domain packages are plain Go: no bus, stage loop, NATS or flags"
			}
		}
	}
	return ""
}

func service(p string) string {
	rest := strings.TrimPrefix(p, mod+"services/")
	name, _, _ := strings.Cut(rest, "/")
	return name
}

func TestViolationCatchesBreaches(t *testing.T) {
	for _, c := range []struct{ pkg, imp string }{
		{mod + "services/cleaner/cleaner", "github.com/nats-io/nats.go"},
		{mod + "pkg/stage", mod + "services/sink/sink"},
		{mod + "services/sink/sink", mod + "services/classifier/classifier"},
		{mod + "services/cleaner/internal/extract", mod + "pkg/bus"},
		{mod + "services/classifier/internal/classify", "flag"},
		{mod + "pkg/topology", mod + "deploy/check"},
		{mod + "services/sink/sink", mod + "deploy/check"},
		{mod + "cmd/newspipe", mod + "deploy/check"},
		{mod + "pkg/service", "k8s.io/api/core/v1"},
		{mod + "services/fetcher/fetcher", "sigs.k8s.io/kustomize/api/krusty"},
		{mod + "deploy/check", mod + "services/cleaner/cleaner"},
	} {
		if violation(c.pkg, c.imp) == "" {
			t.Errorf("%s importing %s passed the check", c.pkg, c.imp)
		}
	}
	for _, c := range []struct{ pkg, imp string }{
		{mod + "pkg/bus", "github.com/nats-io/nats.go/jetstream"},
		{mod + "services/sink/sink", mod + "pkg/stage"},
		{mod + "services/classifier/classifier", mod + "services/classifier/internal/classify"},
		{mod + "deploy/check", mod + "pkg/topology"},
		{mod + "deploy/check", "k8s.io/api/apps/v1"},
		{mod + "deploy/check/cmd/deploy-check", mod + "deploy/check"},
	} {
		if why := violation(c.pkg, c.imp); why != "" {
			t.Errorf("%s importing %s refused: %s", c.pkg, c.imp, why)
		}
	}
}

func repoRoot(t *testing.T) string {
	wd, _ := os.Getwd()
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d
		}
	}
	t.Fatal("no go.work above the working directory")
	return ""
}
