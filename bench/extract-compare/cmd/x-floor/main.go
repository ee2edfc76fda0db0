// Command x-floor writes all the visible text of each page of IN_DIR into
// OUT_DIR (see internal/runner and internal/floor): the floor of the
// comparison.
package main

import (
	"flag"
	"os"

	"github.com/newspipe/newspipe/bench/extract-compare/internal/floor"
	"github.com/newspipe/newspipe/bench/extract-compare/internal/runner"
)

func main() {
	os.Exit(runner.Main(flag.NewFlagSet("x-floor", flag.ContinueOnError), os.Args[1:], func(body []byte, _ string) (string, error) {
		return floor.Text(body, "")
	}, os.Stderr))
}
