package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeployCheckCmd(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings wanted on stdout
		stderr   string
		noStdout bool
	}{
		{
			name:   "shipped manifests pass",
			args:   []string{"../../deploy/k8s"},
			code:   0,
			stdout: []string{"deploy-check: rendered base, base/nats, overlays/dev", " problems\n", ", 0 problems"},
		},
		{
			name:   "a broken fixture fails with its problem",
			args:   []string{"internal/deploycheck/testdata/rules/grace-too-short"},
			code:   1,
			stdout: []string{"app.yaml#1 Deployment/app: [grace] terminationGracePeriodSeconds 20", "deploy-check: 4 manifests in 1 files, 1 problems"},
		},
		{name: "missing directory", args: []string{"no/such/dir"}, code: 2, stderr: "no such file", noStdout: true},
		{name: "two directories", args: []string{"a", "b"}, code: 2, stderr: "usage: newspipe deploy-check", noStdout: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := deployCheck(tc.args, &out, &errOut); code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out.String(), errOut.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			if tc.noStdout && out.Len() > 0 {
				t.Errorf("stdout should be empty:\n%s", out.String())
			}
			if !strings.Contains(errOut.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, errOut.String())
			}
		})
	}
}
