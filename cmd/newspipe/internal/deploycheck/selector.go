package deploycheck

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// targetSelector is a kustomize patch target: every field given must match,
// names as anchored regular expressions, labels and annotations as
// equality-based selectors.
type targetSelector struct {
	group, version, kind, name, namespace *regexp.Regexp
	labels, annotations                   []requirement
}

func newTargetSelector(t patchTarget) (*targetSelector, error) {
	var s targetSelector
	var err error
	for _, f := range []struct {
		dst **regexp.Regexp
		val string
	}{{&s.group, t.Group}, {&s.version, t.Version}, {&s.kind, t.Kind}, {&s.name, t.Name}, {&s.namespace, t.Namespace}} {
		if f.val == "" {
			continue
		}
		if *f.dst, err = regexp.Compile("^(?:" + f.val + ")$"); err != nil {
			return nil, err
		}
	}
	if s.labels, err = parseEqualitySelector(t.LabelSelector); err != nil {
		return nil, fmt.Errorf("labelSelector: %w", err)
	}
	if s.annotations, err = parseEqualitySelector(t.AnnotationSelector); err != nil {
		return nil, fmt.Errorf("annotationSelector: %w", err)
	}
	return &s, nil
}

func (s *targetSelector) matches(o *object) bool {
	group, version := "", o.apiVersion()
	if i := strings.LastIndex(version, "/"); i >= 0 {
		group, version = version[:i], version[i+1:]
	}
	// The namespace as written so far: kustomize matches before defaulting.
	ns := o.str("metadata", "namespace")
	for _, f := range []struct {
		re  *regexp.Regexp
		val string
	}{{s.group, group}, {s.version, version}, {s.kind, o.kind()}, {s.name, o.name()}, {s.namespace, ns}} {
		if f.re != nil && !f.re.MatchString(f.val) {
			return false
		}
	}
	return matchRequirements(s.labels, stringMap(lookup(o.data, "metadata", "labels"))) &&
		matchRequirements(s.annotations, stringMap(lookup(o.data, "metadata", "annotations")))
}

// stringMap reads a decoded mapping of strings, skipping other values.
func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := make(map[string]string, len(m))
	for k, val := range m {
		if s, ok := val.(string); ok {
			out[k] = s
		}
	}
	return out
}

// requirement is one term of a selector: key op values.
type requirement struct {
	key    string
	op     string // In, NotIn, Exists, DoesNotExist
	values []string
}

func (r requirement) matches(labels map[string]string) bool {
	v, ok := labels[r.key]
	switch r.op {
	case "In":
		return ok && slices.Contains(r.values, v)
	case "NotIn":
		return !ok || !slices.Contains(r.values, v)
	case "Exists":
		return ok
	case "DoesNotExist":
		return !ok
	}
	return false
}

func matchRequirements(rs []requirement, labels map[string]string) bool {
	for _, r := range rs {
		if !r.matches(labels) {
			return false
		}
	}
	return true
}

// parseEqualitySelector parses "a=b,c!=d,e" (the equality-based and
// existence forms); set-based terms are reported as unsupported.
func parseEqualitySelector(s string) ([]requirement, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var rs []requirement
	for _, term := range strings.Split(s, ",") {
		term = strings.TrimSpace(term)
		switch {
		case strings.ContainsAny(term, "()") || strings.Contains(term, " in ") || strings.Contains(term, " notin "):
			return nil, fmt.Errorf("set-based term %q is not supported", term)
		case strings.Contains(term, "!="):
			k, v, _ := strings.Cut(term, "!=")
			rs = append(rs, requirement{strings.TrimSpace(k), "NotIn", []string{strings.TrimSpace(v)}})
		case strings.Contains(term, "=="):
			k, v, _ := strings.Cut(term, "==")
			rs = append(rs, requirement{strings.TrimSpace(k), "In", []string{strings.TrimSpace(v)}})
		case strings.Contains(term, "="):
			k, v, _ := strings.Cut(term, "=")
			rs = append(rs, requirement{strings.TrimSpace(k), "In", []string{strings.TrimSpace(v)}})
		case strings.HasPrefix(term, "!"):
			rs = append(rs, requirement{strings.TrimSpace(term[1:]), "DoesNotExist", nil})
		case term != "":
			rs = append(rs, requirement{term, "Exists", nil})
		default:
			return nil, errors.New("empty term")
		}
	}
	return rs, nil
}

// labelSelector is a Kubernetes LabelSelector (matchLabels and
// matchExpressions), as in Deployments and PodDisruptionBudgets.
type labelSelector struct {
	MatchLabels      map[string]string `yaml:"matchLabels"`
	MatchExpressions []struct {
		Key      string   `yaml:"key"`
		Operator string   `yaml:"operator"`
		Values   []string `yaml:"values"`
	} `yaml:"matchExpressions"`
}

func (s *labelSelector) empty() bool {
	return s == nil || len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0
}

// requirements converts the selector, reporting operators Kubernetes would
// refuse.
func (s *labelSelector) requirements() ([]requirement, error) {
	if s == nil {
		return nil, nil
	}
	var rs []requirement
	for k, v := range s.MatchLabels {
		rs = append(rs, requirement{k, "In", []string{v}})
	}
	for _, e := range s.MatchExpressions {
		switch e.Operator {
		case "In", "NotIn":
			if len(e.Values) == 0 {
				return nil, fmt.Errorf("matchExpressions %s %s: values missing", e.Key, e.Operator)
			}
		case "Exists", "DoesNotExist":
			if len(e.Values) != 0 {
				return nil, fmt.Errorf("matchExpressions %s %s: takes no values", e.Key, e.Operator)
			}
		default:
			return nil, fmt.Errorf("matchExpressions %s: unknown operator %q", e.Key, e.Operator)
		}
		rs = append(rs, requirement{e.Key, e.Operator, e.Values})
	}
	return rs, nil
}

// matches reports whether the selector selects a pod with these labels. A
// malformed selector selects nothing.
func (s *labelSelector) matches(labels map[string]string) bool {
	rs, err := s.requirements()
	return err == nil && matchRequirements(rs, labels)
}

// mapSelects reports whether a Service-style selector (a plain map) selects
// labels; an empty one selects nothing, as for Services.
func mapSelects(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if lv, ok := labels[k]; !ok || lv != v {
			return false
		}
	}
	return true
}
