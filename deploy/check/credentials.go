package check

import (
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// credentialFiles are the variables of pkg/service that name a NATS
// credential file: a .creds file (user JWT and nkey seed) or an nkey seed.
var credentialFiles = []string{"NATS_CREDS", "NATS_NKEY_SEED"}

// secretish reports an environment variable whose value is a credential,
// which must never be written in a manifest.
func secretish(name string) bool {
	for _, w := range []string{"PASSWORD", "TOKEN", "SEED", "SECRET", "DSN"} {
		if strings.Contains(name, w) && !strings.HasSuffix(name, "_FILE") && name != "NATS_NKEY_SEED" {
			return true
		}
	}
	return false
}

// checkCredentials checks that every container of a newspipe stage gets its
// NATS credentials from a Secret, as a file on a Secret volume named by
// NATS_CREDS or NATS_NKEY_SEED, or as NATS_URL or NATS_TOKEN from a
// secretKeyRef, and that no credential is written inline.
func (c *checker) checkCredentials(w *workload) {
	if w.stage() == "" {
		return
	}
	for _, ct := range w.tmpl.Spec.Containers {
		if !isNewspipe(ct.Image) {
			continue
		}
		fromSecret := false
		for _, e := range ct.Env {
			if e.ValueFrom == nil && e.Value != "" && secretish(e.Name) {
				c.add(w.o, RuleCredentials, "container %s: env %s is written inline: take it from a Secret", ct.Name, e.Name)
			}
			if (e.Name == "NATS_URL" || e.Name == "NATS_TOKEN") && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				fromSecret = true
			}
		}
		if v, ok := c.envValue(w, ct, "NATS_URL"); ok && strings.Contains(v, "@") {
			c.add(w.o, RuleCredentials, "container %s: NATS_URL carries credentials inline (user:password@host): take them from a Secret", ct.Name)
		}
		for _, name := range credentialFiles {
			v, ok := c.envValue(w, ct, name)
			if !ok || v == "" {
				continue
			}
			if secret, key, ok := c.secretFile(w, ct, v); ok {
				fromSecret = true
				// Secret newspipe-nats holds every service's seed: a stage
				// that mounts another's runs with that service's rights.
				if name == "NATS_NKEY_SEED" && secret == natsSecret && key != SeedKey(w.stage()) {
					c.add(w.o, RuleCredentials, "container %s: NATS_NKEY_SEED is key %s of Secret %s: the %s holds its own user's seed, key %s",
						ct.Name, key, secret, w.stage(), SeedKey(w.stage()))
				}
			} else {
				c.add(w.o, RuleCredentials, "container %s: %s %s is not a file of a volume mounted from a Secret", ct.Name, name, v)
			}
		}
		if !fromSecret {
			c.add(w.o, RuleCredentials, "container %s gets no NATS credentials from a Secret: set NATS_NKEY_SEED or NATS_CREDS to a file of a mounted Secret", ct.Name)
		}
	}
}

// natsSecret is the Secret holding the services' NATS nkeys (deploy/README.md).
const natsSecret = "newspipe-nats"

// secretFile returns the Secret and key that file is, on a Secret volume
// that ct mounts; ok is false if it is none (keys are not checked for
// Secrets created outside the manifests).
func (c *checker) secretFile(w *workload, ct corev1.Container, file string) (secret, key string, ok bool) {
	for _, m := range ct.VolumeMounts {
		dir := strings.TrimSuffix(m.MountPath, "/")
		if path.Dir(file) != dir {
			continue
		}
		key := path.Base(file)
		for _, v := range w.tmpl.Spec.Volumes {
			if v.Name != m.Name {
				continue
			}
			var secrets []string
			switch {
			case v.Secret != nil:
				secrets = append(secrets, itemKey(v.Secret.SecretName, v.Secret.Items, key))
			case v.Projected != nil:
				for _, s := range v.Projected.Sources {
					if s.Secret != nil {
						secrets = append(secrets, itemKey(s.Secret.Name, s.Secret.Items, key))
					}
				}
			}
			for _, s := range secrets {
				name, k, _ := strings.Cut(s, "\x00")
				keys, known := c.refKeys(w, "Secret", name)
				if known && (keys == nil || keys[k]) {
					return name, k, true
				}
			}
		}
	}
	return "", "", false
}

// itemKey returns "secret\x00key": the Secret key a volume of secret name
// shows at file name key, through its items if it lists them.
func itemKey(secret string, items []corev1.KeyToPath, file string) string {
	for _, it := range items {
		if it.Path == file {
			return secret + "\x00" + it.Key
		}
	}
	if len(items) > 0 {
		return secret + "\x00\x00" // the file is not projected
	}
	return secret + "\x00" + file
}
