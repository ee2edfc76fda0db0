package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// median returns the median of ds (the upper one of an even count, as
// eval-extract does), or NaN for none.
func median(ds []time.Duration) float64 { return quantile(ds, 0.5) }

// quantile returns the q-quantile of ds by nearest rank, in
// milliseconds; q = 0.5 gives the upper median. NaN for none.
func quantile(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return math.NaN()
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	if q == 0.5 {
		i = len(s) / 2
	}
	i = max(0, min(i, len(s)-1))
	return ms(s[i])
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMS(m float64) time.Duration { return time.Duration(m * float64(time.Millisecond)) }

// coldNet is the page's process CPU, one page per process, less the cost
// of the same binary run over an empty directory: the median of the
// page's runs less the median of the no-op runs.
func (xr *xResult) coldNet(i int) time.Duration {
	if len(xr.pages[i].cold) == 0 || len(xr.noop) == 0 {
		return -1
	}
	return fromMS(median(xr.pages[i].cold) - median(xr.noop))
}

// warmNet is the page's process CPU in a process that extracts the page
// cfg.warm times, less the no-op run, divided by the copies.
func (xr *xResult) warmNet(i, copies int) time.Duration {
	if xr.pages[i].warm == 0 || len(xr.noop) == 0 || copies == 0 {
		return -1
	}
	return fromMS((ms(xr.pages[i].warm) - median(xr.noop)) / float64(copies))
}

// perPage collects f over the pages where it is known.
func (xr *xResult) perPage(f func(i int) time.Duration) []time.Duration {
	var out []time.Duration
	for i := range xr.pages {
		if d := f(i); d >= 0 {
			out = append(out, d)
		}
	}
	return out
}

func (xr *xResult) selfCold(i int) time.Duration {
	if len(xr.pages[i].coldSelf) == 0 {
		return -1
	}
	return fromMS(median(xr.pages[i].coldSelf))
}

func (xr *xResult) selfWarm(i int) time.Duration {
	if len(xr.pages[i].warmSelf) == 0 {
		return -1
	}
	return fromMS(median(xr.pages[i].warmSelf))
}

func (r *subsetResult) print(w io.Writer, cfg config) {
	fmt.Fprintf(w, "### %s (%d pages)\n\n", r.name, len(r.ids))
	fmt.Fprintln(w, "| extractor | F1 | P | R | empty | CPU ms/page p50 | p90 | in-process p50 | p90 | warm p50 | warm p90 | no-op ms p50 (p10–p90) | failed runs |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, xr := range r.xs {
		p, rec, f1 := xr.sum.PRF()
		cold := xr.perPage(xr.coldNet)
		self := xr.perPage(xr.selfCold)
		warm := xr.perPage(func(i int) time.Duration { return xr.warmNet(i, cfg.warm) })
		failed := 0
		for _, pr := range xr.pages {
			failed += pr.failures
		}
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.3f | %d | %s | %s | %s | %s | %s | %s | %s (%s–%s) | %d |\n",
			xr.x.label, f1, p, rec, xr.sum.Pages-xr.sum.NonEmpty,
			num(quantile(cold, 0.5)), num(quantile(cold, 0.9)),
			num(quantile(self, 0.5)), num(quantile(self, 0.9)),
			num(quantile(warm, 0.5)), num(quantile(warm, 0.9)),
			num(median(xr.noop)), num(quantile(xr.noop, 0.1)), num(quantile(xr.noop, 0.9)), failed)
	}
	fmt.Fprintln(w)
	if slices.ContainsFunc(r.xs, func(xr *xResult) bool { return xr.x.selfTime }) && cfg.warm > 0 {
		fmt.Fprintf(w, "warm in-process p50 (copies 2..%d of the page in one process, competitors only):", cfg.warm)
		for _, xr := range r.xs {
			if xr.x.selfTime {
				fmt.Fprintf(w, " %s %s;", xr.x.key, num(quantile(xr.perPage(xr.selfWarm), 0.5)))
			}
		}
		fmt.Fprint(w, "\n\n")
	}
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// writePages writes every page's figures as TSV for a closer look.
func writePages(path string, all []*subsetResult, copies int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintln(bw, "subset\tid\tbytes\textractor\tP\tR\tempty\tcold_ms\tself_ms\twarm_ms\twarm_self_ms\tfailed_runs")
	for _, r := range all {
		for _, xr := range r.xs {
			for i, id := range r.ids {
				pr := xr.pages[i]
				fmt.Fprintf(bw, "%s\t%s\t%d\t%s\t%.4f\t%.4f\t%v\t%.3f\t%.3f\t%.3f\t%.3f\t%d\n", r.name, id, r.sizes[i], xr.x.key,
					pr.p, pr.r, pr.empty, ms(xr.coldNet(i)), ms(xr.selfCold(i)), ms(xr.warmNet(i, copies)), ms(xr.selfWarm(i)), pr.failures)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// evalCheck scores every output directory again with eval-extract's own
// scorer (its -score-dir flag), and runs eval-extract's in-process
// newspipe extraction, to show that this harness's scorer and its
// process-per-page runs of bin/cleaner reproduce eval-extract's figures.
func evalCheck(cfg config, all []*subsetResult, w io.Writer) error {
	bin := filepath.Join(cfg.work, "bin", "eval-extract")
	fmt.Fprintln(w, "scorer check against services/cleaner/cmd/eval-extract:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| subset | extractor | F1 here | F1 eval-extract -score-dir | diff |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	worst := 0.0
	for _, r := range all {
		for _, xr := range r.xs {
			f1, err := evalF1(bin, r.name, "-set", cfg.set, "-subset", r.name, "-score-dir", filepath.Join(cfg.work, "out", xr.x.key))
			if err != nil {
				return err
			}
			_, _, mine := xr.sum.PRF()
			worst = max(worst, math.Abs(mine-f1))
			fmt.Fprintf(w, "| %s | %s | %.4f | %.4f | %+.4f |\n", r.name, xr.x.key, mine, f1, mine-f1)
		}
	}
	fmt.Fprintln(w)
	for _, r := range all {
		i := slices.IndexFunc(r.xs, func(xr *xResult) bool { return xr.x.key == "newspipe" })
		if i < 0 {
			continue
		}
		f1, err := evalF1(bin, r.name, "-set", cfg.set, "-subset", r.name)
		if err != nil {
			return err
		}
		_, _, mine := r.xs[i].sum.PRF()
		worst = max(worst, math.Abs(mine-f1))
		fmt.Fprintf(w, "%s: newspipe F1 here (bin/cleaner, a process per page) %.4f, eval-extract in-process %.4f, diff %+.4f\n", r.name, mine, f1, mine-f1)
	}
	fmt.Fprintf(w, "largest difference %.4f (%s)\n", worst, map[bool]string{true: "within 0.001", false: "OVER 0.001"}[worst <= 0.001])
	return nil
}

// evalF1 runs eval-extract and returns the F1 it prints for subset.
func evalF1(bin, subset string, args ...string) (float64, error) {
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		return 0, fmt.Errorf("eval-extract %s: %w", strings.Join(args, " "), err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == subset {
			if v, err := strconv.ParseFloat(f[2], 64); err == nil {
				return v, nil
			}
		}
	}
	return 0, fmt.Errorf("eval-extract %s: no F1 line for %s in %q", strings.Join(args, " "), subset, out)
}
