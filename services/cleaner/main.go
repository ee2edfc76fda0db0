// Command cleaner is the newspipe cleaner service: RawArticle → CleanArticle.
//
//	cleaner [flags]                 run the service against NATS_URL
//	cleaner extract IN_DIR OUT_DIR  extract every .html/.txt page of IN_DIR offline
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/services/cleaner/cleaner"
	"github.com/newspipe/newspipe/services/cleaner/internal/extract"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	if len(args) > 0 && args[0] == "extract" {
		return extractCmd(args[1:])
	}
	fs := flag.NewFlagSet("cleaner", flag.ContinueOnError)
	common := service.Common{MetricsAddr: service.CleanerAdminAddr}
	common.RegisterFlags(fs)
	var cfg cleaner.Config
	var settings service.Settings
	cfg.Declare(&settings)
	settings.Register(fs)
	if !service.Parse(fs, args, "usage: cleaner [flags]                 run the cleaner service against NATS_URL\n       cleaner extract IN_DIR OUT_DIR  extract every .html/.txt page of IN_DIR offline (cleaner extract -h)") {
		return 2
	}
	cfg.MaxBodyBytes = common.MaxBodyBytes
	err := service.Run("cleaner", common, func(ctx context.Context, env *service.Env) error {
		c, err := cleaner.New(env.Bus, cfg, env.Registry, env.StageMetrics, env.Log)
		if err != nil {
			return err
		}
		return c.Run(ctx)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func extractCmd(args []string) int {
	fs := flag.NewFlagSet("cleaner extract", flag.ContinueOnError)
	workers := fs.Int("workers", 0, "pages extracted at once; 0 = one per CPU")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: cleaner extract [-workers N] IN_DIR OUT_DIR")
		fmt.Fprintln(fs.Output(), "Each IN_DIR/<name>.html or .txt becomes OUT_DIR/<name>.txt (article text) and OUT_DIR/<name>.json (metadata).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	sum, err := extract.ExtractDir(context.Background(), fs.Arg(0), fs.Arg(1), *workers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cleaner extract:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "cleaner extract: %d pages (%d failed) in %v; kept %d blocks, removed %d blocks (%d chars) of chrome\n",
		sum.Pages, sum.Failed, sum.Elapsed.Round(time.Millisecond), sum.Stats.BlocksKept, sum.Stats.BlocksRemoved, sum.Stats.CharsRemoved)
	return 0 // failed pages are reported in their .json; the run itself succeeded
}
