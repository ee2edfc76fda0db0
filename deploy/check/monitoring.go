package check

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func selectorOf(m map[string]string) labels.Selector { return labels.SelectorFromSet(m) }

func (c *checker) checkPrometheusRule(o *Object, r *PrometheusRule) {
	if len(r.Spec.Groups) == 0 {
		c.add(o, RuleMonitoring, "spec.groups is empty")
	}
	for _, g := range r.Spec.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			c.add(o, RuleMonitoring, "group %q has no name or no rules", g.Name)
		}
		for _, rule := range g.Rules {
			if (rule.Alert == "") == (rule.Record == "") {
				c.add(o, RuleMonitoring, "group %s: a rule needs exactly one of alert and record", g.Name)
			}
			if rule.Expr == "" {
				c.add(o, RuleMonitoring, "group %s: rule %s%s has no expr", g.Name, rule.Alert, rule.Record)
			}
			if rule.For != "" {
				if _, err := time.ParseDuration(rule.For); err != nil {
					c.add(o, RuleMonitoring, "group %s: rule %s: for %q is not a duration", g.Name, rule.Alert, rule.For)
				}
			}
		}
	}
}

func (c *checker) checkPodMonitor(o *Object, pm *PodMonitor) {
	sel, err := metav1.LabelSelectorAsSelector(&pm.Spec.Selector)
	if err != nil || sel.Empty() {
		c.add(o, RuleMonitoring, "spec.selector is missing or invalid")
		return
	}
	namespaces := []string{o.Namespace}
	if ns := pm.Spec.NamespaceSelector; ns != nil && len(ns.MatchNames) > 0 {
		namespaces = ns.MatchNames
	}
	var found bool
	for _, ns := range namespaces {
		for _, w := range c.selecting(ns, sel) {
			found = true
			for _, ep := range pm.Spec.PodMetricsEndpoints {
				if _, ok := w.port(intstr.FromString(ep.Port)); !ok {
					c.add(o, RuleMonitoring, "podMetricsEndpoints port %q is not a port of %s", ep.Port, w.ref())
				}
			}
		}
	}
	if !found {
		c.add(o, RuleMonitoring, "spec.selector matches no pod template")
	}
}
