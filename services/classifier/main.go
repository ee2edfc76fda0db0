// Command classifier is the newspipe classifier service: CleanArticle →
// EnrichedArticle.
//
//	classifier [flags]        run the service against NATS_URL
//	classifier tag IN_DIR     tag every .txt article of IN_DIR offline, one JSON line each
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/services/classifier/classifier"
	"github.com/newspipe/newspipe/services/classifier/internal/classify"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	if len(args) > 0 && args[0] == "tag" {
		return tagCmd(args[1:])
	}
	fs := flag.NewFlagSet("classifier", flag.ContinueOnError)
	common := service.Common{MetricsAddr: service.ClassifierAdminAddr}
	common.RegisterFlags(fs)
	var cfg classifier.Config
	var settings service.Settings
	cfg.Declare(&settings)
	settings.Register(fs)
	if !service.Parse(fs, args, "usage: classifier [flags]        run the classifier service against NATS_URL\n       classifier tag IN_DIR     tag every .txt article of IN_DIR offline, one JSON line each (classifier tag -h)") {
		return 2
	}
	err := service.Run("classifier", common, func(ctx context.Context, env *service.Env) error {
		c, err := classifier.New(env.Bus, cfg, env.Registry, env.StageMetrics, env.Log)
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

func tagCmd(args []string) int {
	fs := flag.NewFlagSet("classifier tag", flag.ContinueOnError)
	taxFile := fs.String("taxonomy", "", "taxonomy YAML overriding the embedded default")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: classifier tag [-taxonomy FILE] IN_DIR")
		fmt.Fprintln(fs.Output(), "Prints one JSON line per IN_DIR/*.txt: file, lang, ru_cn_tech, score, topics, entities, agreement, evidence.")
		fmt.Fprintln(fs.Output(), "A <name>.txt with a <name>.json beside it is bin/cleaner extract output: title, language and publication time come from the .json.")
		fmt.Fprintln(fs.Output(), "Any other .txt has its title on the first line.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	tax, err := classifier.LoadTaxonomy(*taxFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "classifier tag:", err)
		return 1
	}
	c, err := classify.New(tax)
	if err != nil {
		fmt.Fprintln(os.Stderr, "classifier tag:", err)
		return 1
	}
	if err := classify.TagDir(context.Background(), c, fs.Arg(0), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "classifier tag:", err)
		return 1
	}
	return 0
}
