package deploycheck

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Defaults the checks assume where a manifest leaves a value out.
const (
	// defaultGraceSeconds is Kubernetes' terminationGracePeriodSeconds.
	defaultGraceSeconds = 30
	// defaultShutdownGrace is pkg/service's SHUTDOWN_GRACE, applied to
	// containers running a newspipe image that do not set it.
	defaultShutdownGrace = 20 * time.Second
	// newspipeImagePrefix marks the images that run pkg/service.
	newspipeImagePrefix = "newspipe/"
)

// workload is an object that runs pods, with its pod template decoded.
type workload struct {
	obj  *object
	meta objectMeta
	spec workloadSpec
	tmpl *podTemplate
	// replicas is the count the disruption budget must allow for: the
	// autoscaler's minimum where one targets the workload.
	replicas int
	hpa      *object
}

func (w *workload) longRunning() bool { return longRunning(w.obj.kind()) }

// containers lists init containers first, as the kubelet runs them.
func (w *workload) containers() []container {
	return append(slices.Clone(w.tmpl.Spec.InitContainers), w.tmpl.Spec.Containers...)
}

// set is one rendered set of manifests under check.
type set struct {
	byID      map[string]*object
	workloads []*workload
	problems  []Problem
}

func objectID(kind, ns, name string) string { return kind + "|" + ns + "|" + name }

func (s *set) add(p Problem) { s.problems = append(s.problems, p) }

func (s *set) find(kind, ns, name string) *object { return s.byID[objectID(kind, ns, name)] }

// checkSet runs every check on one rendered set.
func checkSet(objs []*object) []Problem {
	s := &set{byID: map[string]*object{}}
	var valid []*object
	for _, o := range objs {
		if s.checkIdentity(o) {
			valid = append(valid, o)
		}
	}
	for _, o := range valid {
		id := objectID(o.kind(), o.namespace(), o.name())
		if first, ok := s.byID[id]; ok {
			s.add(o.problem(RuleDuplicate, "%s is also defined in %s#%d", o.ref(), first.src.file, first.src.doc))
			continue
		}
		s.byID[id] = o
		s.checkSchema(o)
	}
	for _, o := range valid {
		if w := s.decodeWorkload(o); w != nil {
			s.workloads = append(s.workloads, w)
		}
	}
	var services, pdbs, hpas []*object
	for _, o := range valid {
		switch o.kind() {
		case "Service":
			services = append(services, o)
		case "PodDisruptionBudget":
			pdbs = append(pdbs, o)
		case "HorizontalPodAutoscaler":
			hpas = append(hpas, o)
		}
	}
	// Autoscalers first: they set the replica counts budgets are checked against.
	for _, o := range hpas {
		s.checkHPA(o)
	}
	for _, w := range s.workloads {
		s.checkWorkload(w)
	}
	s.checkOverlaps()
	for _, o := range services {
		s.checkService(o)
	}
	for _, o := range pdbs {
		s.checkPDB(o)
	}
	return s.problems
}

// checkIdentity checks apiVersion, kind and name; false when the object
// cannot be checked further.
func (s *set) checkIdentity(o *object) bool {
	ok := true
	for _, f := range []struct{ val, what string }{{o.apiVersion(), "apiVersion"}, {o.kind(), "kind"}, {o.name(), "metadata.name"}} {
		if f.val == "" {
			s.add(o.problem(RuleIdentity, "%s is missing", f.what))
			ok = false
		}
	}
	if !ok {
		return false
	}
	info, known := lookupKind(o.kind())
	if !known {
		s.add(o.problem(RuleKind, "unknown kind %s: only built-in kinds are allowed, so the manifests apply to a bare cluster", o.kind()))
		return false
	}
	if !slices.Contains(info.apiVersions, o.apiVersion()) {
		s.add(o.problem(RuleKind, "apiVersion %s: %s is served as %s", o.apiVersion(), o.kind(), strings.Join(info.apiVersions, " or ")))
		return false
	}
	name := o.name()
	switch o.kind() {
	case "Service":
		if !isDNSLabel(name) || name[0] < 'a' || name[0] > 'z' {
			s.add(o.problem(RuleIdentity, "name %q is not a DNS-1035 label (lowercase letters, digits, '-', starting with a letter, at most 63)", name))
		}
	case "Namespace":
		if !isDNSLabel(name) {
			s.add(o.problem(RuleIdentity, "name %q is not a DNS-1123 label", name))
		}
	default:
		if !isDNSSubdomain(name) {
			s.add(o.problem(RuleIdentity, "name %q is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')", name))
		}
	}
	return true
}

// checkSchema catches values YAML reads as numbers or booleans where the
// API server wants strings: they render fine and fail at apply time.
func (s *set) checkSchema(o *object) {
	stringsOnly := func(v any, where string) {
		m, _ := v.(map[string]any)
		for k, val := range m {
			if _, ok := val.(string); !ok && val != nil {
				s.add(o.problem(RuleSchema, "%s.%s is %v, not a string: quote it", where, k, val))
			}
		}
	}
	stringsOnly(lookup(o.data, "metadata", "labels"), "metadata.labels")
	stringsOnly(lookup(o.data, "metadata", "annotations"), "metadata.annotations")
	if o.kind() == "ConfigMap" {
		stringsOnly(o.data["data"], "data")
		stringsOnly(o.data["binaryData"], "binaryData")
	}
	tmpl := templateOf(o)
	stringsOnly(lookup(tmpl, "metadata", "labels"), "template metadata.labels")
	stringsOnly(lookup(tmpl, "metadata", "annotations"), "template metadata.annotations")
	walkContainers(lookup(tmpl, "spec"), func(c map[string]any) {
		env, _ := c["env"].([]any)
		for _, e := range env {
			em, _ := e.(map[string]any)
			if v, ok := em["value"]; ok && v != nil {
				if _, isStr := v.(string); !isStr {
					s.add(o.problem(RuleSchema, "container %v: env %v is %v, not a string: quote it", c["name"], em["name"], v))
				}
			}
		}
	})
}

// templateOf returns the raw pod template of a kind that runs pods (the
// object itself for a Pod), or nil.
func templateOf(o *object) any {
	switch o.kind() {
	case "Pod":
		return o.data
	case "CronJob":
		return lookup(o.data, "spec", "jobTemplate", "spec", "template")
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job":
		return lookup(o.data, "spec", "template")
	}
	return nil
}

func (s *set) decodeWorkload(o *object) *workload {
	if templateOf(o) == nil && o.kind() != "Pod" {
		switch o.kind() {
		case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob":
			s.add(o.problem(RuleIdentity, "no pod template"))
		}
		return nil
	}
	w := &workload{obj: o}
	if err := decodeInto(o.data["metadata"], &w.meta); err != nil {
		s.add(o.problem(RuleSchema, "metadata: %v", err))
		return nil
	}
	if o.kind() == "Pod" {
		w.tmpl = &podTemplate{Metadata: w.meta}
		if err := decodeInto(o.data["spec"], &w.tmpl.Spec); err != nil {
			s.add(o.problem(RuleSchema, "spec: %v", err))
			return nil
		}
		w.replicas = 1
		return w
	}
	if err := decodeInto(o.data["spec"], &w.spec); err != nil {
		s.add(o.problem(RuleSchema, "spec: %v", err))
		return nil
	}
	w.tmpl = &w.spec.Template
	if w.spec.JobTemplate != nil {
		w.tmpl = &w.spec.JobTemplate.Spec.Template
	}
	w.replicas = 1
	if w.spec.Replicas != nil {
		w.replicas = *w.spec.Replicas
	}
	return w
}

func (s *set) workloadByRef(kind, ns, name string) *workload {
	for _, w := range s.workloads {
		if w.obj.kind() == kind && w.obj.namespace() == ns && w.obj.name() == name {
			return w
		}
	}
	return nil
}

// selecting returns the workloads in ns whose pods match.
func (s *set) selecting(ns string, match func(labels map[string]string) bool) []*workload {
	var out []*workload
	for _, w := range s.workloads {
		if w.obj.namespace() == ns && match(w.tmpl.Metadata.Labels) {
			out = append(out, w)
		}
	}
	return out
}

func (s *set) checkWorkload(w *workload) {
	o := w.obj
	if w.longRunning() {
		switch {
		case w.spec.Selector.empty():
			s.add(o.problem(RuleSelector, "spec.selector is missing"))
		case !w.spec.Selector.matches(w.tmpl.Metadata.Labels):
			if _, err := w.spec.Selector.requirements(); err != nil {
				s.add(o.problem(RuleSelector, "spec.selector: %v", err))
			} else {
				s.add(o.problem(RuleSelector, "spec.selector does not match the pod template's labels"))
			}
		}
	}
	if len(w.tmpl.Spec.Containers) == 0 {
		s.add(o.problem(RuleIdentity, "the pod has no containers"))
		return
	}
	if o.kind() == "StatefulSet" {
		s.checkGoverningService(w)
	}
	s.checkPodSecurity(w)
	s.checkVolumes(w)
	names := map[string]bool{}
	portNames := map[string]bool{}
	for _, c := range w.containers() {
		if names[c.Name] {
			s.add(o.problem(RuleSchema, "two containers are named %q", c.Name))
		}
		names[c.Name] = true
		s.checkImage(o, c)
		s.checkResources(o, c)
		s.checkContainerSecurity(w, c)
		s.checkEnv(w, c)
		s.checkMounts(w, c)
		for _, p := range c.Ports {
			if p.ContainerPort < 1 || p.ContainerPort > 65535 {
				s.add(o.problem(RulePort, "container %s: containerPort %d is out of range", c.Name, p.ContainerPort))
			}
			if p.Name == "" {
				continue
			}
			if !isPortName(p.Name) {
				s.add(o.problem(RulePort, "container %s: port name %q is not an IANA service name (at most 15 lowercase letters, digits and '-')", c.Name, p.Name))
			}
			if portNames[p.Name] {
				s.add(o.problem(RulePort, "port name %q is used twice in the pod", p.Name))
			}
			portNames[p.Name] = true
		}
	}
	if w.longRunning() {
		for _, c := range w.tmpl.Spec.Containers {
			s.checkProbes(o, c)
		}
	}
	s.checkGrace(w)
	s.checkScrape(w)
}

func (s *set) checkImage(o *object, c container) {
	if c.Image == "" {
		s.add(o.problem(RuleImage, "container %s has no image", c.Name))
		return
	}
	_, tag, digest := splitImage(c.Image)
	switch {
	case tag == "" && digest == "":
		s.add(o.problem(RuleImage, "container %s: image %s has no tag: pin a version", c.Name, c.Image))
	case tag == "latest" && digest == "":
		s.add(o.problem(RuleImage, "container %s: image %s uses the tag latest: pin a version", c.Name, c.Image))
	}
}

func (s *set) checkResources(o *object, c container) {
	for _, res := range []string{"cpu", "memory"} {
		req, hasReq := c.Resources.Requests[res]
		lim, hasLim := c.Resources.Limits[res]
		if !hasReq {
			s.add(o.problem(RuleResources, "container %s: resources.requests.%s is missing", c.Name, res))
		}
		if !hasLim {
			s.add(o.problem(RuleResources, "container %s: resources.limits.%s is missing", c.Name, res))
		}
		rq, errReq := parseQuantity(req)
		lq, errLim := parseQuantity(lim)
		if hasReq && errReq != nil {
			s.add(o.problem(RuleResources, "container %s: requests.%s: %v", c.Name, res, errReq))
		}
		if hasLim && errLim != nil {
			s.add(o.problem(RuleResources, "container %s: limits.%s: %v", c.Name, res, errLim))
		}
		if hasReq && hasLim && errReq == nil && errLim == nil && rq > lq {
			s.add(o.problem(RuleResources, "container %s: requests.%s %s exceeds limits.%s %s", c.Name, res, req, res, lim))
		}
	}
}

func (s *set) checkProbes(o *object, c container) {
	if c.LivenessProbe == nil {
		s.add(o.problem(RuleProbe, "container %s has no livenessProbe", c.Name))
	}
	if c.ReadinessProbe == nil {
		s.add(o.problem(RuleProbe, "container %s has no readinessProbe", c.Name))
	}
	for _, pr := range []struct {
		p    *probe
		what string
	}{{c.LivenessProbe, "livenessProbe"}, {c.ReadinessProbe, "readinessProbe"}, {c.StartupProbe, "startupProbe"}} {
		if pr.p == nil {
			continue
		}
		port, ok := pr.p.port()
		if !ok {
			if pr.p.Exec == nil {
				s.add(o.problem(RuleProbe, "container %s: %s has no httpGet, tcpSocket, grpc or exec", c.Name, pr.what))
			}
			continue
		}
		if !containerHasPort(c, port) {
			s.add(o.problem(RuleProbe, "container %s: %s port %s is not one of the container's ports", c.Name, pr.what, port))
		}
	}
}

func containerHasPort(c container, port intOrString) bool {
	for _, p := range c.Ports {
		if port.isNum && p.ContainerPort == port.num || !port.isNum && port.str != "" && p.Name == port.str {
			return true
		}
	}
	return false
}

func (s *set) checkPodSecurity(w *workload) {
	sc := w.tmpl.Spec.SecurityContext
	if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
		s.add(w.obj.problem(RuleSecurity, "securityContext.runAsUser is 0 (root)"))
	}
}

func (s *set) checkContainerSecurity(w *workload, c container) {
	o, pod, sc := w.obj, w.tmpl.Spec.SecurityContext, c.SecurityContext
	nonRoot := sc.RunAsNonRoot
	if nonRoot == nil {
		nonRoot = pod.RunAsNonRoot
	}
	if nonRoot == nil || !*nonRoot {
		s.add(o.problem(RuleSecurity, "container %s: runAsNonRoot is not true (pod or container securityContext)", c.Name))
	}
	if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
		s.add(o.problem(RuleSecurity, "container %s: runAsUser is 0 (root)", c.Name))
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		s.add(o.problem(RuleSecurity, "container %s: readOnlyRootFilesystem is not true", c.Name))
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		s.add(o.problem(RuleSecurity, "container %s: allowPrivilegeEscalation is not false", c.Name))
	}
	if sc.Privileged != nil && *sc.Privileged {
		s.add(o.problem(RuleSecurity, "container %s is privileged", c.Name))
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		s.add(o.problem(RuleSecurity, "container %s: capabilities.drop does not contain ALL", c.Name))
	} else if len(sc.Capabilities.Add) > 0 {
		s.add(o.problem(RuleSecurity, "container %s adds capabilities %s", c.Name, strings.Join(sc.Capabilities.Add, ", ")))
	}
	prof := sc.SeccompProfile
	if prof == nil {
		prof = pod.SeccompProfile
	}
	if prof == nil || prof.Type != "RuntimeDefault" && prof.Type != "Localhost" {
		s.add(o.problem(RuleSecurity, "container %s: seccompProfile is not RuntimeDefault or Localhost", c.Name))
	}
}

// externalSecrets lists the Secrets the workload declares as created
// outside the manifests.
func externalSecrets(w *workload) []string {
	var out []string
	for _, ann := range []map[string]string{w.meta.Annotations, w.tmpl.Metadata.Annotations} {
		for _, name := range strings.Split(ann[ExternalSecretsAnnotation], ",") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	return out
}

// dataKeys lists the keys a ConfigMap or Secret defines.
func dataKeys(o *object) map[string]bool {
	keys := map[string]bool{}
	for _, field := range []string{"data", "binaryData", "stringData"} {
		m, _ := o.data[field].(map[string]any)
		for k := range m {
			keys[k] = true
		}
	}
	return keys
}

// checkRef checks a reference from w to a ConfigMap or Secret, and to one
// of its keys when key is not empty.
func (s *set) checkRef(w *workload, kind, name, key string, optional bool, where string) {
	o := w.obj
	if name == "" {
		s.add(o.problem(RuleReference, "%s names no %s", where, kind))
		return
	}
	target := s.find(kind, o.namespace(), name)
	if target == nil {
		switch {
		case optional:
		case kind == "Secret" && slices.Contains(externalSecrets(w), name):
		case kind == "Secret":
			s.add(o.problem(RuleReference, "%s refers to Secret %s, which is not in the manifests; if it is created outside them, list it in annotation %s", where, name, ExternalSecretsAnnotation))
		default:
			s.add(o.problem(RuleReference, "%s refers to %s %s, which is not in the manifests", where, kind, name))
		}
		return
	}
	if key != "" && !optional && !dataKeys(target)[key] {
		s.add(o.problem(RuleReference, "%s refers to key %s, which %s %s does not define", where, key, kind, name))
	}
}

func (s *set) checkEnv(w *workload, c container) {
	o := w.obj
	for _, e := range c.Env {
		where := fmt.Sprintf("container %s: env %s", c.Name, e.Name)
		if e.ValueFrom == nil {
			continue
		}
		vf := e.ValueFrom
		switch {
		case vf.ConfigMapKeyRef != nil:
			s.checkRef(w, "ConfigMap", vf.ConfigMapKeyRef.Name, vf.ConfigMapKeyRef.Key, vf.ConfigMapKeyRef.Optional, where)
		case vf.SecretKeyRef != nil:
			s.checkRef(w, "Secret", vf.SecretKeyRef.Name, vf.SecretKeyRef.Key, vf.SecretKeyRef.Optional, where)
		case vf.FieldRef != nil:
			fp := vf.FieldRef.FieldPath
			if !downwardField(fp) {
				s.add(o.problem(RuleReference, "%s: fieldRef %q is not a field the downward API exposes", where, fp))
			}
		case vf.ResourceFieldRef != nil:
			ref := vf.ResourceFieldRef
			name := ref.ContainerName
			if name == "" {
				name = c.Name
			}
			idx := slices.IndexFunc(w.containers(), func(x container) bool { return x.Name == name })
			kindOf, res, _ := strings.Cut(ref.Resource, ".")
			switch {
			case idx < 0:
				s.add(o.problem(RuleReference, "%s: resourceFieldRef names container %s, which the pod does not have", where, name))
			case kindOf != "limits" && kindOf != "requests":
				s.add(o.problem(RuleReference, "%s: resourceFieldRef resource %q is not limits.* or requests.*", where, ref.Resource))
			default:
				tc := w.containers()[idx]
				set := tc.Resources.Limits
				if kindOf == "requests" {
					set = tc.Resources.Requests
				}
				if _, ok := set[res]; !ok {
					s.add(o.problem(RuleReference, "%s: %s is not set on container %s, so the node's capacity would be read", where, ref.Resource, name))
				}
			}
		default:
			s.add(o.problem(RuleReference, "%s: valueFrom has no source", where))
		}
	}
	for i, ef := range c.EnvFrom {
		where := fmt.Sprintf("container %s: envFrom[%d]", c.Name, i)
		switch {
		case ef.ConfigMapRef != nil:
			s.checkRef(w, "ConfigMap", ef.ConfigMapRef.Name, "", ef.ConfigMapRef.Optional, where)
		case ef.SecretRef != nil:
			s.checkRef(w, "Secret", ef.SecretRef.Name, "", ef.SecretRef.Optional, where)
		default:
			s.add(o.problem(RuleReference, "%s has neither configMapRef nor secretRef", where))
		}
	}
}

func (s *set) checkVolumes(w *workload) {
	for _, v := range w.tmpl.Spec.Volumes {
		where := "volume " + v.Name
		if v.ConfigMap != nil {
			s.checkRef(w, "ConfigMap", v.ConfigMap.Name, "", v.ConfigMap.Optional, where)
			for _, it := range v.ConfigMap.Items {
				s.checkRef(w, "ConfigMap", v.ConfigMap.Name, it.Key, v.ConfigMap.Optional, where)
			}
		}
		if v.Secret != nil {
			s.checkRef(w, "Secret", v.Secret.SecretName, "", v.Secret.Optional, where)
			for _, it := range v.Secret.Items {
				s.checkRef(w, "Secret", v.Secret.SecretName, it.Key, v.Secret.Optional, where)
			}
		}
		if v.Projected != nil {
			for _, src := range v.Projected.Sources {
				if src.ConfigMap != nil {
					s.checkRef(w, "ConfigMap", src.ConfigMap.Name, "", src.ConfigMap.Optional, where)
					for _, it := range src.ConfigMap.Items {
						s.checkRef(w, "ConfigMap", src.ConfigMap.Name, it.Key, src.ConfigMap.Optional, where)
					}
				}
				if src.Secret != nil {
					s.checkRef(w, "Secret", src.Secret.Name, "", src.Secret.Optional, where)
					for _, it := range src.Secret.Items {
						s.checkRef(w, "Secret", src.Secret.Name, it.Key, src.Secret.Optional, where)
					}
				}
			}
		}
	}
}

func (s *set) checkMounts(w *workload, c container) {
	for _, m := range c.VolumeMounts {
		isVolume := slices.ContainsFunc(w.tmpl.Spec.Volumes, func(v volume) bool { return v.Name == m.Name })
		isClaim := slices.ContainsFunc(w.spec.VolumeClaimTemplates, func(t claimTemplate) bool { return t.Metadata.Name == m.Name })
		if !isVolume && !isClaim {
			s.add(w.obj.problem(RuleReference, "container %s mounts volume %s, which the pod does not define", c.Name, m.Name))
		}
	}
}

// envValue resolves the value of env var name in container c as the kubelet
// would: envFrom sources in order, then env entries, later ones winning.
// Values in Secrets are not resolved.
func (s *set) envValue(w *workload, c container, name string) (string, bool) {
	ns := w.obj.namespace()
	val, found := "", false
	fromConfigMap := func(cm, key string) {
		if o := s.find("ConfigMap", ns, cm); o != nil {
			if v, ok := lookup(o.data, "data", key).(string); ok {
				val, found = v, true
			}
		}
	}
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef != nil && strings.HasPrefix(name, ef.Prefix) {
			fromConfigMap(ef.ConfigMapRef.Name, strings.TrimPrefix(name, ef.Prefix))
		}
	}
	for _, e := range c.Env {
		if e.Name != name {
			continue
		}
		switch {
		case e.ValueFrom == nil:
			val, found = e.Value, true
		case e.ValueFrom.ConfigMapKeyRef != nil:
			fromConfigMap(e.ValueFrom.ConfigMapKeyRef.Name, e.ValueFrom.ConfigMapKeyRef.Key)
		}
	}
	return val, found
}

// checkGrace checks that the kubelet waits longer than each newspipe
// container's own shutdown deadline: otherwise SIGKILL cuts the drain.
func (s *set) checkGrace(w *workload) {
	grace := int64(defaultGraceSeconds)
	if g := w.tmpl.Spec.TerminationGracePeriodSeconds; g != nil {
		grace = *g
	}
	for _, c := range w.tmpl.Spec.Containers {
		v, found := s.envValue(w, c, "SHUTDOWN_GRACE")
		var d time.Duration
		switch {
		case found:
			var err error
			if d, err = time.ParseDuration(v); err != nil {
				s.add(w.obj.problem(RuleGrace, "container %s: SHUTDOWN_GRACE %q is not a duration; the service would fall back to its default", c.Name, v))
				continue
			}
		case strings.HasPrefix(c.Image, newspipeImagePrefix):
			d = defaultShutdownGrace
		default:
			continue
		}
		if time.Duration(grace)*time.Second <= d {
			s.add(w.obj.problem(RuleGrace, "terminationGracePeriodSeconds %d is not above SHUTDOWN_GRACE %s of container %s: the kubelet would kill it mid-drain", grace, d, c.Name))
		}
	}
}

// checkScrape checks the Prometheus annotations that replace a
// ServiceMonitor: the port they name must be one the pod serves.
func (s *set) checkScrape(w *workload) {
	ann := w.tmpl.Metadata.Annotations
	if ann["prometheus.io/scrape"] != "true" {
		return
	}
	port := ann["prometheus.io/port"]
	if port == "" {
		s.add(w.obj.problem(RulePort, "prometheus.io/scrape is true but prometheus.io/port is missing"))
		return
	}
	for _, c := range w.containers() {
		for _, p := range c.Ports {
			if fmt.Sprint(p.ContainerPort) == port {
				return
			}
		}
	}
	s.add(w.obj.problem(RulePort, "prometheus.io/port %s is not a container port of the pod", port))
}

// checkOverlaps reports controllers whose selectors also select another
// controller's pods: both would fight over them.
func (s *set) checkOverlaps() {
	for _, a := range s.workloads {
		if !a.longRunning() || a.spec.Selector.empty() {
			continue
		}
		for _, b := range s.workloads {
			if a == b || !b.longRunning() || a.obj.namespace() != b.obj.namespace() {
				continue
			}
			if a.spec.Selector.matches(b.tmpl.Metadata.Labels) {
				s.add(a.obj.problem(RuleSelector, "spec.selector also selects the pods of %s", b.obj.ref()))
			}
		}
	}
}

func podHasPort(w *workload, port intOrString) bool {
	return slices.ContainsFunc(w.containers(), func(c container) bool { return containerHasPort(c, port) })
}

func (s *set) checkService(o *object) {
	var spec serviceSpec
	if err := decodeInto(o.data["spec"], &spec); err != nil {
		s.add(o.problem(RuleSchema, "spec: %v", err))
		return
	}
	if spec.Type == "ExternalName" {
		return
	}
	if len(spec.Selector) == 0 {
		s.add(o.problem(RuleSelector, "spec.selector is missing: the Service would route to no pod"))
		return
	}
	targets := s.selecting(o.namespace(), func(l map[string]string) bool { return mapSelects(spec.Selector, l) })
	if len(targets) == 0 {
		s.add(o.problem(RuleSelector, "spec.selector %s matches no pod template", formatLabels(spec.Selector)))
	}
	if len(spec.Ports) == 0 {
		s.add(o.problem(RulePort, "the Service has no ports"))
	}
	names := map[string]bool{}
	for _, p := range spec.Ports {
		if p.Port < 1 || p.Port > 65535 {
			s.add(o.problem(RulePort, "port %d is out of range", p.Port))
		}
		if len(spec.Ports) > 1 && p.Name == "" {
			s.add(o.problem(RulePort, "port %d needs a name: the Service has several", p.Port))
		}
		if p.Name != "" && names[p.Name] {
			s.add(o.problem(RulePort, "port name %s is used twice", p.Name))
		}
		names[p.Name] = true
		tp := p.TargetPort
		if !tp.set {
			tp = intOrString{num: p.Port, isNum: true, set: true}
		}
		for _, w := range targets {
			if !podHasPort(w, tp) {
				s.add(o.problem(RulePort, "port %d: targetPort %s is not a container port of %s", p.Port, tp, w.obj.ref()))
			}
		}
	}
}

// checkGoverningService checks the headless Service a StatefulSet's pods
// get their DNS names from (the NATS routes depend on them).
func (s *set) checkGoverningService(w *workload) {
	o := w.obj
	if w.spec.ServiceName == "" {
		s.add(o.problem(RuleStatefulSet, "spec.serviceName is missing"))
		return
	}
	svc := s.find("Service", o.namespace(), w.spec.ServiceName)
	if svc == nil {
		s.add(o.problem(RuleStatefulSet, "spec.serviceName %s: no such Service", w.spec.ServiceName))
		return
	}
	var spec serviceSpec
	if err := decodeInto(svc.data["spec"], &spec); err != nil {
		return // reported by checkService
	}
	if spec.ClusterIP != "None" {
		s.add(o.problem(RuleStatefulSet, "Service %s is not headless (clusterIP: None): the pods get no stable DNS names", w.spec.ServiceName))
	}
	if !mapSelects(spec.Selector, w.tmpl.Metadata.Labels) {
		s.add(o.problem(RuleStatefulSet, "Service %s does not select the StatefulSet's pods", w.spec.ServiceName))
	}
}

func (s *set) checkPDB(o *object) {
	var spec pdbSpec
	if err := decodeInto(o.data["spec"], &spec); err != nil {
		s.add(o.problem(RuleSchema, "spec: %v", err))
		return
	}
	if (spec.MinAvailable == nil) == (spec.MaxUnavailable == nil) {
		s.add(o.problem(RuleDisruption, "set exactly one of minAvailable and maxUnavailable"))
	}
	if spec.Selector.empty() {
		s.add(o.problem(RuleDisruption, "spec.selector is missing"))
		return
	}
	if _, err := spec.Selector.requirements(); err != nil {
		s.add(o.problem(RuleDisruption, "spec.selector: %v", err))
		return
	}
	targets := s.selecting(o.namespace(), spec.Selector.matches)
	if len(targets) == 0 {
		s.add(o.problem(RuleDisruption, "spec.selector matches no pod template"))
	}
	for _, w := range targets {
		blocked := false
		if m := spec.MinAvailable; m != nil {
			blocked = m.isNum && m.num >= w.replicas || m.str == "100%"
		}
		if m := spec.MaxUnavailable; m != nil {
			blocked = blocked || m.isNum && m.num == 0 || m.str == "0%"
		}
		if blocked {
			s.add(o.problem(RuleDisruption, "allows no disruption of %s (%d replicas): node drains would hang", w.obj.ref(), w.replicas))
		}
	}
}

func (s *set) checkHPA(o *object) {
	var spec hpaSpec
	if err := decodeInto(o.data["spec"], &spec); err != nil {
		s.add(o.problem(RuleSchema, "spec: %v", err))
		return
	}
	ref := spec.ScaleTargetRef
	if !slices.Contains([]string{"Deployment", "StatefulSet", "ReplicaSet"}, ref.Kind) {
		s.add(o.problem(RuleAutoscale, "scaleTargetRef kind %q cannot be scaled", ref.Kind))
		return
	}
	w := s.workloadByRef(ref.Kind, o.namespace(), ref.Name)
	if w == nil {
		s.add(o.problem(RuleAutoscale, "scaleTargetRef %s/%s: no such object", ref.Kind, ref.Name))
		return
	}
	if ref.APIVersion != w.obj.apiVersion() {
		s.add(o.problem(RuleAutoscale, "scaleTargetRef apiVersion %q: %s is %s", ref.APIVersion, w.obj.ref(), w.obj.apiVersion()))
	}
	if w.hpa != nil {
		s.add(o.problem(RuleAutoscale, "%s is already scaled by HorizontalPodAutoscaler %s", w.obj.ref(), w.hpa.name()))
		return
	}
	w.hpa = o
	minR := 1
	if spec.MinReplicas != nil {
		minR = *spec.MinReplicas
	}
	if minR < 1 || spec.MaxReplicas < minR {
		s.add(o.problem(RuleAutoscale, "minReplicas %d and maxReplicas %d: want 1 <= min <= max", minR, spec.MaxReplicas))
	}
	w.replicas = minR
	if w.spec.Replicas != nil {
		s.add(o.problem(RuleAutoscale, "%s sets spec.replicas: every apply would reset what the autoscaler chose; leave it out", w.obj.ref()))
	}
	needs := func(res, only string) {
		for _, c := range w.tmpl.Spec.Containers {
			if only != "" && c.Name != only {
				continue
			}
			if _, ok := c.Resources.Requests[res]; !ok {
				s.add(o.problem(RuleAutoscale, "container %s of %s requests no %s: utilization cannot be computed", c.Name, w.obj.ref(), res))
			}
		}
		if only != "" && !slices.ContainsFunc(w.tmpl.Spec.Containers, func(c container) bool { return c.Name == only }) {
			s.add(o.problem(RuleAutoscale, "%s has no container %s", w.obj.ref(), only))
		}
	}
	if spec.TargetCPUUtilizationPercentage != nil {
		needs("cpu", "")
	}
	for _, m := range spec.Metrics {
		switch {
		case m.Type == "Resource" && m.Resource != nil && m.Resource.Target.Type == "Utilization":
			needs(m.Resource.Name, "")
		case m.Type == "ContainerResource" && m.ContainerResource != nil && m.ContainerResource.Target.Type == "Utilization":
			needs(m.ContainerResource.Name, m.ContainerResource.Container)
		}
	}
	if len(spec.Metrics) == 0 && spec.TargetCPUUtilizationPercentage == nil {
		s.add(o.problem(RuleAutoscale, "no metrics: the autoscaler would default to 80%% CPU silently; say what it scales on"))
	}
}

// formatLabels writes a label map as a selector string, sorted: a=b,c=d.
func formatLabels(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}
