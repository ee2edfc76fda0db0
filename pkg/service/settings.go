package service

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Settings is a configuration declared once: each setting is a flag with
// its environment variable as default. A service's package declares its
// settings into a Settings; the service's main and the all-in-one register
// the same declarations as flags, so a setting cannot exist in one and not
// in the other, and `newspipe config` can print what is in effect.
type Settings struct {
	list []*Setting
}

// Setting is one declared setting.
type Setting struct {
	// Name is the flag's name in the service's own binary; the all-in-one
	// may prefix it with the service's name where two services share it
	// (workers).
	Name string
	// Env is the environment variable that gives the flag's default.
	Env   string
	Usage string
	// Secret settings are redacted by Print.
	secret bool
	// redact, if set, redacts a value that may hold a secret in part (a
	// URL with a password).
	redact func(string) string
	value  flag.Value
	// changed is true once the environment or a flag set the value.
	changed bool
}

// Changed reports whether the environment or a flag gave the setting its
// value, rather than the declared default: the demo replaces defaults, never
// what an operator chose.
func (s *Setting) Changed() bool { return s.changed }

// setter is the flag.Value Register adds: it records that a flag was given.
type setter struct{ s *Setting }

func (v setter) Set(x string) error {
	if err := v.s.value.Set(x); err != nil {
		return err
	}
	v.s.changed = true
	return nil
}
func (v setter) String() string {
	if v.s == nil {
		return ""
	}
	return v.s.value.String()
}

// Kind names the setting's kind in the usage: duration, integer, bool
// (none: a bare -flag), list, string.
func (v setter) Kind() string {
	switch v.s.value.(type) {
	case *durationValue:
		return "duration"
	case *intValue, *int64Value:
		return "int"
	case *boolValue:
		return ""
	case *stringValue:
		return "string"
	}
	return "list"
}

// IsBoolFlag lets a boolean setting be given as -flag.
func (v setter) IsBoolFlag() bool {
	b, ok := v.s.value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Secret marks the setting as a secret, never printed.
func (s *Setting) Secret() *Setting { s.secret = true; return s }

// Redact has Print pass the setting's value through fn (for URLs whose
// passwords or tokens must not be shown).
func (s *Setting) Redact(fn func(string) string) *Setting { s.redact = fn; return s }

// Value is the setting's current value, as its flag prints it.
func (s *Setting) Value() string { return s.value.String() }

// Shown is the value as Print shows it: secrets redacted.
func (s *Setting) Shown() string {
	v := s.Value()
	switch {
	case v == "":
		return ""
	case s.secret:
		return "<redacted>"
	case s.redact != nil:
		return s.redact(v)
	}
	return v
}

func (ss *Settings) add(name, env, usage string, v flag.Value) *Setting {
	_, inEnv := os.LookupEnv(env)
	s := &Setting{Name: name, Env: env, Usage: usage, value: v, changed: inEnv}
	ss.list = append(ss.list, s)
	return s
}

// List returns the settings in the order they were declared.
func (ss *Settings) List() []*Setting { return ss.list }

// Lookup returns the setting declared under name, or nil.
func (ss *Settings) Lookup(name string) *Setting {
	for _, s := range ss.list {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// String declares a string setting, defaulting to $env or def.
func (ss *Settings) String(p *string, name, env, def, usage string) *Setting {
	*p = Getenv(env, def)
	return ss.add(name, env, usage, (*stringValue)(p))
}

// Int declares an integer setting; a $env that is no integer is reported by
// EnvErr.
func (ss *Settings) Int(p *int, name, env string, def int, usage string) *Setting {
	*p = EnvInt(env, def)
	return ss.add(name, env, usage, (*intValue)(p))
}

// Int64 declares a 64-bit integer setting (sizes in bytes).
func (ss *Settings) Int64(p *int64, name, env string, def int64, usage string) *Setting {
	*p = int64(EnvInt(env, int(def)))
	return ss.add(name, env, usage, (*int64Value)(p))
}

// Duration declares a duration setting; a $env without a unit is refused.
func (ss *Settings) Duration(p *time.Duration, name, env string, def time.Duration, usage string) *Setting {
	*p = EnvDuration(env, def)
	return ss.add(name, env, usage, (*durationValue)(p))
}

// Bool declares a boolean setting.
func (ss *Settings) Bool(p *bool, name, env string, def bool, usage string) *Setting {
	*p = EnvBool(env, def)
	return ss.add(name, env, usage, (*boolValue)(p))
}

// Var declares a setting of any flag.Value (a list of CIDRs, of URLs), set
// from $env where it is set; a value that does not parse is reported by
// EnvErr.
func (ss *Settings) Var(v flag.Value, name, env, usage string) *Setting {
	if s, ok := os.LookupEnv(env); ok {
		if err := v.Set(s); err != nil {
			envMu.Lock()
			envErrs = append(envErrs, fmt.Errorf("%w: %s=%q: %v", ErrBadEnv, env, s, err))
			envMu.Unlock()
		}
	}
	return ss.add(name, env, usage, v)
}

// SecretEnv declares a secret that only the environment gives: never a
// flag, which the process list would show.
func (ss *Settings) SecretEnv(p *[]byte, env, usage string) *Setting {
	v := (*bytesValue)(p)
	*p = []byte(os.Getenv(env))
	return ss.add("", env, usage, v).Secret()
}

// Rename renames the flag of the setting declared as from: the all-in-one
// prefixes the names two services share (workers becomes fetcher-workers,
// cleaner-workers…). It reports whether there was such a setting.
func (ss *Settings) Rename(from, to string) bool {
	if s := ss.Lookup(from); s != nil {
		s.Name = to
		return true
	}
	return false
}

// Register adds every setting to fs as a flag, its usage ending with its
// environment variable.
func (ss *Settings) Register(fs *flag.FlagSet) {
	for _, s := range ss.list {
		if s.Name == "" {
			continue // environment only
		}
		fs.Var(setter{s}, s.Name, s.Usage+" (env "+s.Env+")")
	}
}

// PrintFlags is fs.PrintDefaults that names each setting's kind (duration,
// integer…) rather than "value", and shows a default only where there is
// one.
func PrintFlags(fs *flag.FlagSet) {
	w := fs.Output()
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		if k, ok := f.Value.(interface{ Kind() string }); ok {
			kind = k.Kind()
		}
		line := "  -" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		switch f.DefValue {
		case "", "0", "false", "0s":
		default:
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// Print writes the settings as a table: environment variable, flag and
// effective value, with secrets redacted.
func Print(w io.Writer, sets ...*Settings) error {
	type row struct{ flag, env, value string }
	var rows []row
	for _, ss := range sets {
		for _, s := range ss.list {
			flagName := "(environment only)"
			if s.Name != "" {
				flagName = "-" + s.Name
			}
			rows = append(rows, row{flagName, s.Env, s.Shown()})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].env < rows[j].env })
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tFLAG\tVALUE")
	for _, r := range rows {
		v := r.value
		if v == "" {
			v = `""`
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.env, r.flag, v)
	}
	return tw.Flush()
}

type bytesValue []byte

func (v *bytesValue) Set(s string) error { *v = []byte(s); return nil }
func (v *bytesValue) String() string {
	if v == nil {
		return ""
	}
	return string(*v)
}

type stringValue string

func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *stringValue) String() string     { return string(*v) }

type intValue int

func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*v = intValue(n)
	return nil
}
func (v *intValue) String() string { return fmt.Sprint(int(*v)) }

type int64Value int64

func (v *int64Value) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*v = int64Value(n)
	return nil
}
func (v *int64Value) String() string { return fmt.Sprint(int64(*v)) }

type durationValue time.Duration

func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a duration with a unit, such as 30s or 5m", s)
	}
	*v = durationValue(d)
	return nil
}
func (v *durationValue) String() string { return time.Duration(*v).String() }

type boolValue bool

func (v *boolValue) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true":
		*v = true
	case "0", "f", "false":
		*v = false
	default:
		return fmt.Errorf("%q is not true or false", s)
	}
	return nil
}
func (v *boolValue) String() string { return fmt.Sprint(bool(*v)) }

// IsBoolFlag lets -flag stand for -flag=true, as with flag.Bool.
func (v *boolValue) IsBoolFlag() bool { return true }
