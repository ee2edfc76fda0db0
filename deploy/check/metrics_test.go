package check

import (
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/telemetry"
)

var update = flag.Bool("update", false, "rewrite the PrometheusRule from deploy/prometheus/newspipe.rules.yaml")

const (
	ruleFile           = "../prometheus/newspipe.rules.yaml"
	prometheusRuleFile = "../k8s/components/monitoring/prometheusrule.yaml"
	dashboardFile      = "../grafana/newspipe.json"
)

func strictYAML(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(b)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	strict, err := kjson.UnmarshalStrict(js, v, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil || len(strict) > 0 {
		t.Fatalf("%s: %v %v", file, err, strict)
	}
}

// The PrometheusRule the monitoring component applies carries exactly
// the groups of the rule file promtool tests.
func TestPrometheusRuleMatchesRuleFile(t *testing.T) {
	var groups RuleGroups
	strictYAML(t, ruleFile, &groups)
	if *update {
		pr := PrometheusRule{Spec: groups}
		pr.APIVersion, pr.Kind = "monitoring.coreos.com/v1", "PrometheusRule"
		pr.Name = "newspipe"
		pr.Labels = map[string]string{"app.kubernetes.io/part-of": "newspipe"}
		b, err := yaml.Marshal(pr)
		if err != nil {
			t.Fatal(err)
		}
		head := "# Generated from deploy/prometheus/newspipe.rules.yaml by\n#   cd deploy/check && go test -run PrometheusRule -update\n# Edit the rule file, not this one.\n"
		if err := os.WriteFile(prometheusRuleFile, append([]byte(head), b...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var pr PrometheusRule
	strictYAML(t, prometheusRuleFile, &pr)
	if !reflect.DeepEqual(pr.Spec, groups) {
		t.Errorf("%s differs from %s: run go test -run PrometheusRule -update in deploy/check", prometheusRuleFile, ruleFile)
	}
	if n := len(groups.Groups); n == 0 || len(groups.Groups[0].Rules) < 6 {
		t.Errorf("the rule file has %d groups; want the six alerts", n)
	}
}

// registeredMetrics returns the names of every series newspipe's code
// can expose: the Go and process collectors and the stage loop's
// metrics from their real registries, and the services' own metrics
// from their sources (the services' constructors need a NATS connection,
// and this module may not import them), with a histogram's _bucket,
// _sum and _count.
func registeredMetrics(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	reg := telemetry.NewRegistry()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		addSeries(names, mf.GetName(), mf.GetType().String() == "HISTOGRAM", mf.GetType().String() == "SUMMARY")
	}
	// The stage loop's registry, as every service builds it, must agree
	// with what the source scan finds in pkg/stage.
	rec := &recorder{}
	stage.NewMetrics(rec)
	scanned := scanMetrics(t, "../../pkg/stage")
	for _, n := range rec.names {
		if _, ok := scanned[n]; !ok {
			t.Errorf("pkg/stage registers %s, which the source scan missed", n)
		}
	}
	if len(scanned) != len(rec.names) {
		t.Errorf("the source scan found %d metrics in pkg/stage, the registry %d", len(scanned), len(rec.names))
	}
	for _, dir := range []string{"../../pkg", "../../services"} {
		for n, hist := range scanMetrics(t, dir) {
			addSeries(names, n, hist, false)
		}
	}
	return names
}

func addSeries(names map[string]bool, n string, histogram, summary bool) {
	names[n] = true
	if histogram {
		names[n+"_bucket"] = true
	}
	if histogram || summary {
		names[n+"_sum"], names[n+"_count"] = true, true
	}
}

// recorder is a prometheus.Registerer that keeps the names of what is
// registered with it.
type recorder struct{ names []string }

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

func (r *recorder) Register(c prometheus.Collector) error {
	ch := make(chan *prometheus.Desc, 16)
	go func() { c.Describe(ch); close(ch) }()
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			r.names = append(r.names, m[1])
		}
	}
	return nil
}

func (r *recorder) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		_ = r.Register(c)
	}
}

func (r *recorder) Unregister(prometheus.Collector) bool { return false }

// scanMetrics finds the metrics the Go sources under dir construct:
// prometheus.NewCounter, NewGaugeVec, NewHistogram… called with an Opts
// literal whose Name is a string constant. The value tells a histogram.
func scanMetrics(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, isIdent := sel.X.(*ast.Ident); !isIdent || x.Name != "prometheus" || !strings.HasPrefix(sel.Sel.Name, "New") {
				return true
			}
			lit, ok := call.Args[0].(*ast.CompositeLit)
			if !ok {
				return true
			}
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if k, isIdent := kv.Key.(*ast.Ident); !ok || !isIdent || k.Name != "Name" {
					continue
				}
				if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					name, _ := strconv.Unquote(bl.Value)
					out[name] = strings.HasPrefix(sel.Sel.Name, "NewHistogram")
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// promQLWords are the PromQL functions, aggregations, operators and
// keywords the expressions may hold besides metric names.
var promQLWords = wordSet(`sum min max avg count stddev stdvar topk bottomk quantile count_values group
	rate irate increase delta idelta deriv predict_linear histogram_quantile resets changes
	abs ceil floor round clamp clamp_min clamp_max exp ln log2 log10 sqrt time timestamp vector scalar
	absent absent_over_time avg_over_time min_over_time max_over_time sum_over_time count_over_time last_over_time
	label_replace label_join sort sort_desc
	by without on ignoring group_left group_right and or unless bool offset inf nan`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var (
	promString     = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	promMatchers   = regexp.MustCompile(`\{[^}]*\}`)
	promRange      = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping   = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promVariable   = regexp.MustCompile(`\$\{?\w+\}?`)
	promIdentifier = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	promNumber     = regexp.MustCompile(`\b\d+(\.\d+)?(e[+-]?\d+|ms|[smhdwy])?\b`)
)

// metricNames returns the metric names a PromQL expression reads: what is
// left of it once strings, label matchers, ranges, grouping labels,
// dashboard variables, numbers, functions and keywords are taken out.
func metricNames(expr string) []string {
	s := promString.ReplaceAllString(expr, `""`)
	s = promMatchers.ReplaceAllString(s, " ")
	s = promRange.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	s = promVariable.ReplaceAllString(s, " ")
	s = promNumber.ReplaceAllString(s, " ")
	var out []string
	for _, id := range promIdentifier.FindAllString(s, -1) {
		if !promQLWords[strings.ToLower(id)] {
			out = append(out, id)
		}
	}
	return out
}

// unknownMetrics returns the metrics expr reads that are not in known.
func unknownMetrics(expr string, known map[string]bool) []string {
	var out []string
	for _, n := range metricNames(expr) {
		if !known[n] {
			out = append(out, n)
		}
	}
	return out
}

func TestMetricNames(t *testing.T) {
	known := map[string]bool{"newspipe_stage_messages_total": true, "newspipe_x_seconds_bucket": true}
	tests := []struct {
		expr string
		want []string
	}{
		{`sum by (stage, outcome) (rate(newspipe_stage_messages_total{stage=~"$stage",outcome!="ok"}[$__rate_interval]))`, []string{"newspipe_stage_messages_total"}},
		{`histogram_quantile(0.95, sum by (le) (rate(newspipe_x_seconds_bucket[5m]))) > 1.5e3`, []string{"newspipe_x_seconds_bucket"}},
		{`a_total / on (source) group_left b_total and c offset 5m`, []string{"a_total", "b_total", "c"}},
	}
	for _, tc := range tests {
		if got := metricNames(tc.expr); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("metricNames(%s) = %v, want %v", tc.expr, got, tc.want)
		}
	}
	// A misspelt metric is caught.
	if got := unknownMetrics(`sum(rate(newspipe_stage_message_total[5m]))`, known); !reflect.DeepEqual(got, []string{"newspipe_stage_message_total"}) {
		t.Errorf("unknownMetrics = %v, want the misspelt name", got)
	}
}

// Every metric the alerts and the dashboard read is one the code
// registers: a renamed metric must not leave an alert silent or a panel
// empty.
func TestRulesAndDashboardUseRegisteredMetrics(t *testing.T) {
	known := registeredMetrics(t)
	for _, must := range []string{"newspipe_stage_messages_total", "newspipe_sink_end_to_end_latency_seconds_bucket", "newspipe_fetcher_fetches_total", "go_goroutines", "process_cpu_seconds_total"} {
		if !known[must] {
			t.Fatalf("the registered metrics lack %s: the scan is broken", must)
		}
	}
	var groups RuleGroups
	strictYAML(t, ruleFile, &groups)
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if u := unknownMetrics(r.Expr, known); len(u) > 0 {
				t.Errorf("rule %s reads metrics the code does not register: %v", r.Alert, u)
			}
		}
	}
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID        string `json:"uid"`
		Templating struct {
			List []struct {
				Name string `json:"name"`
			} `json:"list"`
		} `json:"templating"`
		Panels []struct {
			ID         int    `json:"id"`
			Title      string `json:"title"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			Targets []struct {
				RefID string `json:"refId"`
				Expr  string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	// Grafana's own constraints: unique panel ids and refIds, and data
	// sources that name the dashboard's datasource variable.
	vars := map[string]bool{}
	for _, v := range dash.Templating.List {
		vars[v.Name] = true
	}
	ids := map[int]bool{}
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d is used twice", p.ID)
		}
		ids[p.ID] = true
		if u := strings.Trim(p.Datasource.UID, "${}"); !vars[u] {
			t.Errorf("panel %q: data source %q is no variable of the dashboard", p.Title, p.Datasource.UID)
		}
		refs := map[string]bool{}
		for _, tg := range p.Targets {
			if tg.RefID == "" || refs[tg.RefID] {
				t.Errorf("panel %q: refId %q missing or used twice", p.Title, tg.RefID)
			}
			refs[tg.RefID] = true
		}
	}
	if dash.UID == "" {
		t.Error("the dashboard has no uid")
	}
	exprs := 0
	used := map[string]bool{}
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			exprs++
			names := metricNames(tg.Expr)
			if len(names) == 0 {
				t.Errorf("panel %q: query %q reads no metric", p.Title, tg.Expr)
			}
			for _, n := range names {
				used[n] = true
			}
			if u := unknownMetrics(tg.Expr, known); len(u) > 0 {
				t.Errorf("panel %q reads metrics the code does not register: %v", p.Title, u)
			}
		}
	}
	if exprs < 10 {
		t.Errorf("the dashboard has %d queries; want the pipeline's panels", exprs)
	}
	var list []string
	for n := range used {
		list = append(list, n)
	}
	sort.Strings(list)
	t.Logf("the dashboard reads %v", list)
}
