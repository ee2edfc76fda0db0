package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/deploycheck"
)

// deployCheckCmd renders and validates the Kubernetes manifests in DIR
// offline (make deploy-check). It prints one line per problem and a
// summary, and returns 1 when there is a problem, 2 on a usage error or a
// directory that cannot be read.
func deployCheckCmd(args []string) int {
	return deployCheck(args, os.Stdout, os.Stderr)
}

func deployCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("newspipe deploy-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newspipe deploy-check [DIR]")
		fmt.Fprintln(fs.Output(), "Renders every kustomization.yaml under DIR (default deploy/k8s) and validates the result, offline.")
		fmt.Fprintln(fs.Output(), "Secrets created outside the manifests are listed on the workload in annotation "+deploycheck.ExternalSecretsAnnotation+".")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	dir := "deploy/k8s"
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	rep, err := deploycheck.Run(dir)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, p)
	}
	if len(rep.Builds) > 0 {
		fmt.Fprintf(stdout, "deploy-check: rendered %s\n", strings.Join(rep.Builds, ", "))
	}
	fmt.Fprintf(stdout, "deploy-check: %d manifests in %d files, %d problems\n", rep.Manifests, rep.Files, len(rep.Problems))
	if len(rep.Problems) > 0 {
		return 1
	}
	return 0
}
