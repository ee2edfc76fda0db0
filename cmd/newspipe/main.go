// Command newspipe runs the whole newspipe pipeline in one process, and holds
// the tools people use around it.
//
//	newspipe run     [flags]            the pipeline on the default real feeds (make run)
//	newspipe demo    [flags]            the pipeline on the bundled local demo site (make demo)
//	newspipe config  [run flags]        print the configuration run would use, secrets redacted
//	newspipe tail    [flags] SUBJECT    print the events on a subject as JSON lines
//	newspipe dlq     [-stage S] [-replay]  list or replay dead-lettered messages
//	newspipe replay  [-taxonomy FILE] [-since T]  what a taxonomy would change in the stored stories
package main

import (
	"fmt"
	"os"
)

const usage = `usage: newspipe <command> [flags]

commands:
  run           run the whole pipeline (embedded NATS and store) on the default feeds
  demo          run it on the bundled local demo site: no internet needed
  config        print the configuration run would use (flags, environment, defaults), secrets redacted
  tail SUBJECT  print the events on SUBJECT (wildcards allowed) as JSON lines
  dlq           list what the stages dead-lettered, or replay it (-replay)
  replay        re-classify the stored stories with a taxonomy and print what would change

Run 'newspipe <command> -h' for a command's flags.
`

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], false)
	case "demo":
		return runCmd(args[1:], true)
	case "config":
		return configCmd(args[1:], os.Stdout)
	case "tail":
		return tailCmd(args[1:])
	case "dlq":
		return dlqCmd(args[1:])
	case "replay":
		return replayCmd(args[1:], os.Stdout)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(os.Stdout, usage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "newspipe: unknown command %q\n\n%s", args[0], usage)
	return 2
}
