package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"the shipped manifests", []string{"../../../k8s"}, 0, "deploy-check: rendered base, base/nats, overlays/dev, overlays/prod:", ""},
		{"a broken manifest", []string{"../../testdata/rules/grace-too-short"}, 1, "Deployment/app: [grace] container app: terminationGracePeriodSeconds 20", ""},
		{"a missing directory", []string{"../../testdata/nothing-here"}, 2, "", "no such file or directory"},
		{"two directories", []string{"a", "b"}, 2, "", "usage: deploy-check"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != tc.code {
				t.Errorf("exit %d, want %d; stdout %q, stderr %q", code, tc.code, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errOut.String(), tc.stderr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", out.String(), errOut.String(), tc.stdout, tc.stderr)
			}
		})
	}
}
