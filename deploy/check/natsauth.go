package check

import (
	"fmt"
	"strings"

	"github.com/newspipe/newspipe/pkg/topology"
)

// The NATS users of a deployment: one per service, each known to the
// servers by its public nkey and allowed exactly topology.Permissions, and
// the provisioner (topology.Provisioner), which alone declares the streams
// and buckets. The
// authorization blocks of the shipped server configurations (auth.conf in
// base/nats, the users of deploy/nats/values.yaml) are generated from the
// topology here, between authBegin and authEnd, so that they cannot drift
// from the subjects and consumers the code uses; a test fails when they
// differ (refresh with: cd deploy/check && go test -run NATSAuth -update).
const (
	authBegin = "# BEGIN users generated from pkg/topology (cd deploy/check && go test -run NATSAuth -update)"
	authEnd   = "# END users generated from pkg/topology"
)

// users returns the NATS users of a deployment, each with its permissions:
// the services, then the provisioner that declares their streams.
func users(topo topology.Topology) ([]string, []topology.Permissions, error) {
	names := append(topology.Services(), topology.Provisioner)
	perms := make([]topology.Permissions, len(names))
	for i, name := range names {
		if name == topology.Provisioner {
			perms[i] = topo.ProvisionerPermissions()
			continue
		}
		p, err := topo.Permissions(name)
		if err != nil {
			return nil, nil, err
		}
		perms[i] = p
	}
	return names, perms, nil
}

// NKeyVar is the environment variable from which the NATS servers read the
// public nkey of a service, or of the provisioner (set from Secret
// newspipe-nats, key PubKey).
func NKeyVar(service string) string {
	return "NEWSPIPE_" + strings.ToUpper(service) + "_NKEY"
}

// SeedKey is the key of Secret newspipe-nats holding a service's nkey seed,
// which the service's pods mount.
func SeedKey(service string) string { return service + ".seed" }

// PubKey is the key of Secret newspipe-nats holding a service's public
// nkey, which the NATS servers read.
func PubKey(service string) string { return service + ".pub" }

// AuthConf returns the users of nats.conf's authorization block for topo,
// in NATS configuration syntax, indented by indent.
func AuthConf(topo topology.Topology, indent string) (string, error) {
	var b strings.Builder
	line := func(depth int, format string, args ...any) {
		b.WriteString(indent + strings.Repeat("  ", depth) + fmt.Sprintf(format, args...) + "\n")
	}
	line(0, "%s", authBegin)
	line(0, "users = [")
	names, perms, err := users(topo)
	if err != nil {
		return "", err
	}
	for i, svc := range names {
		p := perms[i]
		line(1, "# %s", svc)
		line(1, "{")
		line(2, "nkey: $%s", NKeyVar(svc))
		line(2, "permissions: {")
		for _, dir := range []struct {
			name     string
			subjects []string
		}{{"publish", p.Publish}, {"subscribe", p.Subscribe}} {
			line(3, "%s: { allow: [", dir.name)
			for _, s := range dir.subjects {
				line(4, "%q", s)
			}
			line(3, "] }")
		}
		line(2, "}")
		line(1, "}")
	}
	line(0, "]")
	line(0, "%s", authEnd)
	return b.String(), nil
}

// AuthValues returns the same users as the YAML of the NATS Helm chart's
// config.merge.authorization.users, indented by indent; the chart writes
// a string in << >> verbatim, so the nkeys are read from the environment.
func AuthValues(topo topology.Topology, indent string) (string, error) {
	var b strings.Builder
	line := func(depth int, format string, args ...any) {
		b.WriteString(indent + strings.Repeat("  ", depth) + fmt.Sprintf(format, args...) + "\n")
	}
	line(0, "%s", authBegin)
	line(0, "users:")
	names, perms, err := users(topo)
	if err != nil {
		return "", err
	}
	for i, svc := range names {
		p := perms[i]
		line(1, "# %s", svc)
		line(1, "- nkey: << $%s >>", NKeyVar(svc))
		line(1, "  permissions:")
		for _, dir := range []struct {
			name     string
			subjects []string
		}{{"publish", p.Publish}, {"subscribe", p.Subscribe}} {
			line(2, "  %s:", dir.name)
			line(3, "  allow:")
			for _, s := range dir.subjects {
				line(4, "- %q", s)
			}
		}
	}
	line(0, "%s", authEnd)
	return b.String(), nil
}

// replaceGenerated returns text with the lines from the authBegin line to
// the authEnd line replaced by gen(indent of the authBegin line).
func replaceGenerated(text string, gen func(indent string) (string, error)) (string, error) {
	i := strings.Index(text, authBegin)
	j := strings.Index(text, authEnd)
	if i < 0 || j < i {
		return "", fmt.Errorf("no %q … %q block", authBegin, authEnd)
	}
	start := strings.LastIndex(text[:i], "\n") + 1
	end := j + len(authEnd)
	if k := strings.IndexByte(text[end:], '\n'); k >= 0 {
		end += k + 1
	} else {
		end = len(text)
	}
	g, err := gen(text[start:i])
	if err != nil {
		return "", err
	}
	return text[:start] + g + text[end:], nil
}
