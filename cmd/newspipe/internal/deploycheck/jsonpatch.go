package deploycheck

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// patchOp is one operation of an RFC 6902 JSON patch.
type patchOp struct {
	Op    string
	Path  []string // decoded RFC 6901 pointer tokens
	From  []string
	Value any
}

// parseJSONPatch decodes a JSON 6902 patch, written in JSON or YAML. A
// mapping is taken for a strategic merge patch, which is not supported.
func parseJSONPatch(data []byte) ([]patchOp, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("parse patch: %w", err)
	}
	list, ok := v.([]any)
	if !ok {
		if _, isMap := v.(map[string]any); isMap {
			return nil, errors.New("strategic merge patches are not supported: write a JSON 6902 patch (a list of operations) with a target")
		}
		return nil, errors.New("a JSON 6902 patch must be a list of operations")
	}
	ops := make([]patchOp, 0, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("operation %d is not a mapping", i)
		}
		for key := range m {
			switch key {
			case "op", "path", "from", "value":
			default:
				return nil, fmt.Errorf("operation %d: unknown field %q", i, key)
			}
		}
		op, _ := m["op"].(string)
		path, ok := m["path"].(string)
		if !ok {
			return nil, fmt.Errorf("operation %d: path missing", i)
		}
		toks, err := parsePointer(path)
		if err != nil {
			return nil, fmt.Errorf("operation %d: %w", i, err)
		}
		p := patchOp{Op: op, Path: toks, Value: m["value"]}
		_, hasValue := m["value"]
		switch op {
		case "add", "replace", "test":
			if !hasValue {
				return nil, fmt.Errorf("operation %d (%s): value missing", i, op)
			}
		case "remove":
		case "move", "copy":
			from, ok := m["from"].(string)
			if !ok {
				return nil, fmt.Errorf("operation %d (%s): from missing", i, op)
			}
			if p.From, err = parsePointer(from); err != nil {
				return nil, fmt.Errorf("operation %d: %w", i, err)
			}
		default:
			return nil, fmt.Errorf("operation %d: unknown op %q", i, op)
		}
		ops = append(ops, p)
	}
	return ops, nil
}

// parsePointer decodes an RFC 6901 JSON pointer into its tokens.
func parsePointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("path %q does not start with /", p)
	}
	toks := strings.Split(p[1:], "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks, nil
}

// applyJSONPatch applies ops to doc in order and returns the new document.
// doc is modified in place; values from the patch are copied, so one patch
// can be applied to many objects.
func applyJSONPatch(doc any, ops []patchOp) (any, error) {
	var err error
	for i, op := range ops {
		doc, err = applyOp(doc, op)
		if err != nil {
			return nil, fmt.Errorf("operation %d (%s /%s): %w", i, op.Op, strings.Join(op.Path, "/"), err)
		}
	}
	return doc, nil
}

func applyOp(doc any, op patchOp) (any, error) {
	switch op.Op {
	case "add":
		return addAt(doc, op.Path, deepCopy(op.Value))
	case "remove":
		doc, _, err := removeAt(doc, op.Path)
		return doc, err
	case "replace":
		if _, err := get(doc, op.Path); err != nil {
			return nil, err
		}
		return setAt(doc, op.Path, deepCopy(op.Value))
	case "test":
		v, err := get(doc, op.Path)
		if err != nil {
			return nil, err
		}
		if !reflect.DeepEqual(normalize(v), normalize(op.Value)) {
			return nil, fmt.Errorf("test failed: value is %v", v)
		}
		return doc, nil
	case "move":
		doc, v, err := removeAt(doc, op.From)
		if err != nil {
			return nil, err
		}
		return addAt(doc, op.Path, v)
	case "copy":
		v, err := get(doc, op.From)
		if err != nil {
			return nil, err
		}
		return addAt(doc, op.Path, deepCopy(v))
	}
	return nil, fmt.Errorf("unknown op %q", op.Op)
}

// get returns the value at the pointer.
func get(doc any, toks []string) (any, error) {
	for _, t := range toks {
		switch n := doc.(type) {
		case map[string]any:
			v, ok := n[t]
			if !ok {
				return nil, fmt.Errorf("no field %q", t)
			}
			doc = v
		case []any:
			i, err := listIndex(t, len(n)-1)
			if err != nil {
				return nil, err
			}
			doc = n[i]
		default:
			return nil, fmt.Errorf("cannot index a scalar with %q", t)
		}
	}
	return doc, nil
}

// edit walks to the container holding the pointer's last token and returns
// doc with that container replaced by what f makes of it.
func edit(doc any, toks []string, f func(parent any, last string) (any, error)) (any, error) {
	if len(toks) == 1 {
		return f(doc, toks[0])
	}
	switch n := doc.(type) {
	case map[string]any:
		child, ok := n[toks[0]]
		if !ok {
			return nil, fmt.Errorf("no field %q", toks[0])
		}
		c, err := edit(child, toks[1:], f)
		if err != nil {
			return nil, err
		}
		n[toks[0]] = c
		return n, nil
	case []any:
		i, err := listIndex(toks[0], len(n)-1)
		if err != nil {
			return nil, err
		}
		c, err := edit(n[i], toks[1:], f)
		if err != nil {
			return nil, err
		}
		n[i] = c
		return n, nil
	}
	return nil, fmt.Errorf("cannot index a scalar with %q", toks[0])
}

func addAt(doc any, toks []string, v any) (any, error) {
	if len(toks) == 0 {
		return v, nil
	}
	return edit(doc, toks, func(parent any, last string) (any, error) {
		switch n := parent.(type) {
		case map[string]any:
			n[last] = v
			return n, nil
		case []any:
			if last == "-" {
				return append(n, v), nil
			}
			i, err := listIndex(last, len(n))
			if err != nil {
				return nil, err
			}
			return append(n[:i], append([]any{v}, n[i:]...)...), nil
		}
		return nil, fmt.Errorf("cannot add %q to a scalar", last)
	})
}

func setAt(doc any, toks []string, v any) (any, error) {
	if len(toks) == 0 {
		return v, nil
	}
	return edit(doc, toks, func(parent any, last string) (any, error) {
		switch n := parent.(type) {
		case map[string]any:
			n[last] = v
			return n, nil
		case []any:
			i, err := listIndex(last, len(n)-1)
			if err != nil {
				return nil, err
			}
			n[i] = v
			return n, nil
		}
		return nil, fmt.Errorf("cannot set %q in a scalar", last)
	})
}

func removeAt(doc any, toks []string) (any, any, error) {
	if len(toks) == 0 {
		return nil, nil, errors.New("cannot remove the whole document")
	}
	var removed any
	out, err := edit(doc, toks, func(parent any, last string) (any, error) {
		switch n := parent.(type) {
		case map[string]any:
			v, ok := n[last]
			if !ok {
				return nil, fmt.Errorf("no field %q", last)
			}
			removed = v
			delete(n, last)
			return n, nil
		case []any:
			i, err := listIndex(last, len(n)-1)
			if err != nil {
				return nil, err
			}
			removed = n[i]
			return append(n[:i:i], n[i+1:]...), nil
		}
		return nil, fmt.Errorf("cannot remove %q from a scalar", last)
	})
	return out, removed, err
}

// listIndex parses a list index token that must be at most hi.
func listIndex(tok string, hi int) (int, error) {
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || (len(tok) > 1 && tok[0] == '0') {
		return 0, fmt.Errorf("%q is not a list index", tok)
	}
	if i > hi {
		return 0, fmt.Errorf("index %d is out of range", i)
	}
	return i, nil
}

// deepCopy copies the maps and lists of a decoded YAML value.
func deepCopy(v any) any {
	switch n := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(n))
		for k, c := range n {
			m[k] = deepCopy(c)
		}
		return m
	case []any:
		l := make([]any, len(n))
		for i, c := range n {
			l[i] = deepCopy(c)
		}
		return l
	}
	return v
}

// normalize makes integers and whole floats compare equal, as they do in
// JSON, for the test operation.
func normalize(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case uint64:
		return float64(n)
	case map[string]any:
		m := make(map[string]any, len(n))
		for k, c := range n {
			m[k] = normalize(c)
		}
		return m
	case []any:
		l := make([]any, len(n))
		for i, c := range n {
			l[i] = normalize(c)
		}
		return l
	}
	return v
}
