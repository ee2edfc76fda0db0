// Command deploy-check renders every kustomization under a directory with
// kustomize and validates the result offline (make deploy-check). It
// prints one line per problem and a summary, and exits 1 when there is a
// problem, 2 on a usage error or a directory that cannot be read.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newspipe/newspipe/deploy/check"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("deploy-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: deploy-check [DIR]")
		fmt.Fprintln(fs.Output(), "Renders every kustomization under DIR (default ../k8s) with kustomize and validates the result, offline.")
		fmt.Fprintln(fs.Output(), "Secrets created outside the manifests are listed on the workload in annotation "+check.ExternalSecretsAnnotation+".")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	dir := "../k8s"
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	rep, err := check.Run(dir)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, p)
	}
	fmt.Fprintf(stdout, "deploy-check: rendered %s: %d objects, %d problems\n", strings.Join(rep.Builds, ", "), rep.Objects, len(rep.Problems))
	if len(rep.Problems) > 0 {
		return 1
	}
	return 0
}
