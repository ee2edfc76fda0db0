package check

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// defaultShutdownGrace is pkg/service's default SHUTDOWN_GRACE, which a
// newspipe image uses when its environment does not set one.
const defaultShutdownGrace = 20 * time.Second

// workload is a Deployment, StatefulSet or DaemonSet, seen through what
// the checks need.
type workload struct {
	o        *Object
	meta     *metav1.ObjectMeta
	selector *metav1.LabelSelector
	tmpl     *corev1.PodTemplateSpec
	replicas *int32
	claims   map[string]bool // StatefulSet volumeClaimTemplates
	// scaledBy names the autoscaler that owns the replica count, if any.
	scaledBy string
	minScale int32
}

func (w *workload) ref() string { return w.o.Ref() }

// stage returns the newspipe stage the workload runs (fetcher, cleaner,
// classifier, sink), or "".
func (w *workload) stage() string {
	for _, c := range w.tmpl.Spec.Containers {
		switch name, _ := newspipeImage(c.Image); name {
		case "fetcher", "cleaner", "classifier", "sink":
			return name
		}
	}
	return ""
}

func isNewspipe(image string) bool {
	_, ok := newspipeImage(image)
	return ok
}

// newspipeImage returns the name of a newspipe image (newspipe/<name>, or
// <registry>/…/newspipe/<name> as an overlay's images: entry makes it),
// and whether image is one.
func newspipeImage(image string) (string, bool) {
	repo, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	parts := strings.Split(repo, "/")
	if len(parts) < 2 || parts[len(parts)-2] != "newspipe" {
		return "", false
	}
	return parts[len(parts)-1], true
}

// minReplicas is the fewest pods the workload runs: its autoscaler's
// minimum, or spec.replicas (default 1).
func (w *workload) minReplicas() int32 {
	if w.scaledBy != "" {
		return w.minScale
	}
	if w.replicas != nil {
		return *w.replicas
	}
	return 1
}

func (w *workload) matches(sel labels.Selector) bool {
	return sel.Matches(labels.Set(w.tmpl.Labels))
}

// port finds a container port of the pod by name or number.
func (w *workload) port(p intstr.IntOrString) (corev1.ContainerPort, bool) {
	for _, c := range w.tmpl.Spec.Containers {
		for _, cp := range c.Ports {
			if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
				return cp, true
			}
		}
	}
	return corev1.ContainerPort{}, false
}

type checker struct {
	set       *Set
	workloads []*workload
	problems  []Problem
}

func (c *checker) add(o *Object, rule Rule, format string, args ...any) {
	c.problems = append(c.problems, Problem{Kind: o.Kind, Name: o.Name, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// Policy checks newspipe's deployment policy on one rendered set.
// Objects that did not decode (Obj nil) were reported by Render.
func Policy(set *Set) []Problem {
	c := &checker{set: set}
	for _, o := range set.Objects {
		c.checkIdentity(o)
		if w := asWorkload(o); w != nil {
			c.workloads = append(c.workloads, w)
		}
	}
	// Autoscalers first: they own the replica counts budgets are checked against.
	for _, o := range set.Objects {
		switch obj := o.Obj.(type) {
		case *autoscalingv2.HorizontalPodAutoscaler:
			c.checkHPA(o, obj)
		case *ScaledObject:
			c.checkScaledObject(o, obj)
		}
	}
	for _, w := range c.workloads {
		c.checkWorkload(w)
	}
	c.checkOverlaps()
	for _, o := range set.Objects {
		switch obj := o.Obj.(type) {
		case *corev1.Service:
			c.checkService(o, obj)
		case *policyv1.PodDisruptionBudget:
			c.checkPDB(o, obj)
		case *PrometheusRule:
			c.checkPrometheusRule(o, obj)
		case *PodMonitor:
			c.checkPodMonitor(o, obj)
		}
	}
	c.checkNetwork()
	c.checkReplication()
	return c.problems
}

// checkReplication reports stages whose STREAM_REPLICAS asks for more
// copies of each stream than there are NATS servers: JetStream would
// refuse to create the streams, and the stages would never start.
func (c *checker) checkReplication() {
	var nats *workload
	for _, w := range c.workloads {
		if w.o.Kind == "StatefulSet" && w.o.Name == "nats" {
			nats = w
		}
	}
	if nats == nil {
		return
	}
	servers := nats.minReplicas()
	for _, w := range c.workloads {
		if w.stage() == "" {
			continue
		}
		for _, ct := range w.tmpl.Spec.Containers {
			v, ok := c.envValue(w, ct, "STREAM_REPLICAS")
			if !ok {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 5 {
				c.add(w.o, RuleReplication, "container %s: STREAM_REPLICAS %q is not a replica count from 1 to 5", ct.Name, v)
				continue
			}
			if int32(n) > servers {
				c.add(w.o, RuleReplication, "container %s: STREAM_REPLICAS %d, but StatefulSet nats runs %d server(s): JetStream refuses the streams", ct.Name, n, servers)
			}
		}
	}
}

func asWorkload(o *Object) *workload {
	switch obj := o.Obj.(type) {
	case *appsv1.Deployment:
		return &workload{o: o, meta: &obj.ObjectMeta, selector: obj.Spec.Selector, tmpl: &obj.Spec.Template, replicas: obj.Spec.Replicas}
	case *appsv1.StatefulSet:
		w := &workload{o: o, meta: &obj.ObjectMeta, selector: obj.Spec.Selector, tmpl: &obj.Spec.Template, replicas: obj.Spec.Replicas, claims: map[string]bool{}}
		for _, t := range obj.Spec.VolumeClaimTemplates {
			w.claims[t.Name] = true
		}
		return w
	case *appsv1.DaemonSet:
		return &workload{o: o, meta: &obj.ObjectMeta, selector: obj.Spec.Selector, tmpl: &obj.Spec.Template}
	}
	return nil
}

func (c *checker) workload(kind, ns, name string) *workload {
	for _, w := range c.workloads {
		if w.o.Kind == kind && w.o.Namespace == ns && w.o.Name == name {
			return w
		}
	}
	return nil
}

// selecting returns the workloads in ns whose pods sel selects.
func (c *checker) selecting(ns string, sel labels.Selector) []*workload {
	var out []*workload
	for _, w := range c.workloads {
		if w.o.Namespace == ns && w.matches(sel) {
			out = append(out, w)
		}
	}
	return out
}

func (c *checker) checkIdentity(o *Object) {
	var errs []string
	switch o.Kind {
	case "Service":
		errs = validation.IsDNS1035Label(o.Name)
	case "Namespace":
		errs = validation.IsDNS1123Label(o.Name)
	default:
		errs = validation.IsDNS1123Subdomain(o.Name)
	}
	if len(errs) > 0 {
		c.add(o, RuleIdentity, "name %q: %s", o.Name, strings.Join(errs, "; "))
	}
}

func (c *checker) checkWorkload(w *workload) {
	o := w.o
	sel, err := metav1.LabelSelectorAsSelector(w.selector)
	switch {
	case w.selector == nil || sel.Empty():
		c.add(o, RuleSelector, "spec.selector is missing")
	case err != nil:
		c.add(o, RuleSelector, "spec.selector: %v", err)
	case !w.matches(sel):
		c.add(o, RuleSelector, "spec.selector does not match the pod template's labels")
	}
	if len(w.tmpl.Spec.Containers) == 0 {
		c.add(o, RuleIdentity, "the pod has no containers")
		return
	}
	if ss, ok := o.Obj.(*appsv1.StatefulSet); ok {
		c.checkGoverningService(w, ss)
	}
	c.checkPodSecurity(w)
	c.checkVolumes(w)
	for _, ct := range w.tmpl.Spec.Containers {
		c.checkImage(o, ct)
		c.checkResources(o, ct)
		c.checkContainerSecurity(w, ct)
		c.checkEnv(w, ct)
		c.checkMounts(w, ct)
		c.checkProbes(o, ct)
	}
	c.checkGrace(w)
	c.checkScrape(w)
	c.checkCredentials(w)
}

func (c *checker) checkImage(o *Object, ct corev1.Container) {
	if ct.Image == "" {
		c.add(o, RuleImage, "container %s has no image", ct.Name)
		return
	}
	ref, digest, _ := strings.Cut(ct.Image, "@")
	tag := ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		tag = ref[i+1:]
	}
	switch {
	case tag == "" && digest == "":
		c.add(o, RuleImage, "container %s: image %s has no tag: pin a version", ct.Name, ct.Image)
	case tag == "latest" && digest == "":
		c.add(o, RuleImage, "container %s: image %s uses the tag latest: pin a version", ct.Name, ct.Image)
	}
}

func (c *checker) checkResources(o *Object, ct corev1.Container) {
	for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := ct.Resources.Requests[res]
		lim, hasLim := ct.Resources.Limits[res]
		if !hasReq {
			c.add(o, RuleResources, "container %s: resources.requests.%s is missing", ct.Name, res)
		}
		if !hasLim {
			c.add(o, RuleResources, "container %s: resources.limits.%s is missing", ct.Name, res)
		}
		if hasReq && hasLim && req.Cmp(lim) > 0 {
			c.add(o, RuleResources, "container %s: requests.%s %s exceeds limits.%s %s", ct.Name, res, req.String(), res, lim.String())
		}
	}
}

func (c *checker) checkProbes(o *Object, ct corev1.Container) {
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
		need  bool
	}{{"livenessProbe", ct.LivenessProbe, true}, {"readinessProbe", ct.ReadinessProbe, true}, {"startupProbe", ct.StartupProbe, false}} {
		if p.probe == nil {
			if p.need {
				c.add(o, RuleProbe, "container %s has no %s", ct.Name, p.name)
			}
			continue
		}
		var port *intstr.IntOrString
		switch {
		case p.probe.HTTPGet != nil:
			port = &p.probe.HTTPGet.Port
		case p.probe.TCPSocket != nil:
			port = &p.probe.TCPSocket.Port
		case p.probe.GRPC != nil:
			v := intstr.FromInt32(p.probe.GRPC.Port)
			port = &v
		}
		if port == nil {
			continue // exec probes name no port
		}
		found := false
		for _, cp := range ct.Ports {
			if (port.Type == intstr.String && cp.Name == port.StrVal) || (port.Type == intstr.Int && cp.ContainerPort == port.IntVal) {
				found = true
			}
		}
		if !found {
			c.add(o, RuleProbe, "container %s: %s port %s is not one of the container's ports", ct.Name, p.name, port.String())
		}
	}
}

func (c *checker) checkPodSecurity(w *workload) {
	ps := w.tmpl.Spec.SecurityContext
	podNonRoot := ps != nil && ps.RunAsNonRoot != nil && *ps.RunAsNonRoot
	podSeccomp := ps != nil && ps.SeccompProfile != nil && ps.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
	if ps != nil && ps.RunAsUser != nil && *ps.RunAsUser == 0 {
		c.add(w.o, RuleSecurity, "pod securityContext.runAsUser is 0 (root)")
	}
	if w.tmpl.Spec.HostNetwork || w.tmpl.Spec.HostPID || w.tmpl.Spec.HostIPC {
		c.add(w.o, RuleSecurity, "the pod shares a host namespace (hostNetwork, hostPID or hostIPC)")
	}
	for _, ct := range w.tmpl.Spec.Containers {
		cs := ct.SecurityContext
		nonRoot := podNonRoot
		if cs != nil && cs.RunAsNonRoot != nil {
			nonRoot = *cs.RunAsNonRoot
		}
		if !nonRoot {
			c.add(w.o, RuleSecurity, "container %s: runAsNonRoot is not true", ct.Name)
		}
		seccomp := podSeccomp
		if cs != nil && cs.SeccompProfile != nil {
			seccomp = cs.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
		}
		if !seccomp {
			c.add(w.o, RuleSecurity, "container %s: seccompProfile is not RuntimeDefault", ct.Name)
		}
	}
}

func (c *checker) checkContainerSecurity(w *workload, ct corev1.Container) {
	cs := ct.SecurityContext
	if cs == nil {
		c.add(w.o, RuleSecurity, "container %s has no securityContext", ct.Name)
		return
	}
	if cs.RunAsUser != nil && *cs.RunAsUser == 0 {
		c.add(w.o, RuleSecurity, "container %s: runAsUser is 0 (root)", ct.Name)
	}
	if cs.ReadOnlyRootFilesystem == nil || !*cs.ReadOnlyRootFilesystem {
		c.add(w.o, RuleSecurity, "container %s: readOnlyRootFilesystem is not true", ct.Name)
	}
	if cs.AllowPrivilegeEscalation == nil || *cs.AllowPrivilegeEscalation {
		c.add(w.o, RuleSecurity, "container %s: allowPrivilegeEscalation is not false", ct.Name)
	}
	if cs.Privileged != nil && *cs.Privileged {
		c.add(w.o, RuleSecurity, "container %s is privileged", ct.Name)
	}
	dropsAll := false
	if cs.Capabilities != nil {
		for _, d := range cs.Capabilities.Drop {
			if d == "ALL" {
				dropsAll = true
			}
		}
		if len(cs.Capabilities.Add) > 0 {
			c.add(w.o, RuleSecurity, "container %s: capabilities.add %v: newspipe needs none", ct.Name, cs.Capabilities.Add)
		}
	}
	if !dropsAll {
		c.add(w.o, RuleSecurity, "container %s: capabilities.drop does not contain ALL", ct.Name)
	}
}

// external returns the Secrets w declares as created outside the manifests.
func external(w *workload) map[string]bool {
	out := map[string]bool{}
	for _, a := range []map[string]string{w.meta.Annotations, w.tmpl.Annotations} {
		for _, n := range strings.Split(a[ExternalSecretsAnnotation], ",") {
			if n = strings.TrimSpace(n); n != "" {
				out[n] = true
			}
		}
	}
	return out
}

// refKeys returns the keys a ConfigMap or Secret defines, and whether the
// object is known: in the set, or (Secrets) declared external, in which
// case keys is nil and any key is taken.
func (c *checker) refKeys(w *workload, kind, name string) (keys map[string]bool, known bool) {
	o := c.set.Get(kind, w.o.Namespace, name)
	if o == nil {
		return nil, kind == "Secret" && external(w)[name]
	}
	if o.Obj == nil {
		return nil, true // did not decode: reported already
	}
	keys = map[string]bool{}
	switch obj := o.Obj.(type) {
	case *corev1.ConfigMap:
		for k := range obj.Data {
			keys[k] = true
		}
		for k := range obj.BinaryData {
			keys[k] = true
		}
	case *corev1.Secret:
		for k := range obj.Data {
			keys[k] = true
		}
		for k := range obj.StringData {
			keys[k] = true
		}
	}
	return keys, true
}

// checkRef reports a reference from w (at where) to key of a ConfigMap or
// Secret that the set does not define; key "" checks the object only.
func (c *checker) checkRef(w *workload, where, kind, name, key string, optional *bool) {
	if optional != nil && *optional {
		return
	}
	keys, known := c.refKeys(w, kind, name)
	switch {
	case !known && kind == "Secret":
		c.add(w.o, RuleReference, "%s refers to Secret %s, which is not in the manifests (list it in annotation %s if it is created outside them)", where, name, ExternalSecretsAnnotation)
	case !known:
		c.add(w.o, RuleReference, "%s refers to %s %s, which is not in the manifests", where, kind, name)
	case key != "" && keys != nil && !keys[key]:
		c.add(w.o, RuleReference, "%s refers to key %s, which %s %s does not define", where, key, kind, name)
	}
}

func (c *checker) checkEnv(w *workload, ct corev1.Container) {
	for _, e := range ct.Env {
		if e.ValueFrom == nil {
			continue
		}
		where := fmt.Sprintf("container %s: env %s", ct.Name, e.Name)
		switch vf := e.ValueFrom; {
		case vf.ConfigMapKeyRef != nil:
			c.checkRef(w, where, "ConfigMap", vf.ConfigMapKeyRef.Name, vf.ConfigMapKeyRef.Key, vf.ConfigMapKeyRef.Optional)
		case vf.SecretKeyRef != nil:
			c.checkRef(w, where, "Secret", vf.SecretKeyRef.Name, vf.SecretKeyRef.Key, vf.SecretKeyRef.Optional)
		case vf.ResourceFieldRef != nil:
			r := corev1.ResourceName(strings.TrimPrefix(strings.TrimPrefix(vf.ResourceFieldRef.Resource, "limits."), "requests."))
			if _, ok := ct.Resources.Limits[r]; !ok {
				c.add(w.o, RuleReference, "%s refers to resource %s, which the container does not limit", where, vf.ResourceFieldRef.Resource)
			}
		}
	}
	for i, ef := range ct.EnvFrom {
		where := fmt.Sprintf("container %s: envFrom[%d]", ct.Name, i)
		if ef.ConfigMapRef != nil {
			c.checkRef(w, where, "ConfigMap", ef.ConfigMapRef.Name, "", ef.ConfigMapRef.Optional)
		}
		if ef.SecretRef != nil {
			c.checkRef(w, where, "Secret", ef.SecretRef.Name, "", ef.SecretRef.Optional)
		}
	}
}

func (c *checker) checkVolumes(w *workload) {
	for _, v := range w.tmpl.Spec.Volumes {
		where := "volume " + v.Name
		items := func(kind, name string, items []corev1.KeyToPath, optional *bool) {
			c.checkRef(w, where, kind, name, "", optional)
			for _, it := range items {
				c.checkRef(w, where, kind, name, it.Key, optional)
			}
		}
		switch {
		case v.ConfigMap != nil:
			items("ConfigMap", v.ConfigMap.Name, v.ConfigMap.Items, v.ConfigMap.Optional)
		case v.Secret != nil:
			items("Secret", v.Secret.SecretName, v.Secret.Items, v.Secret.Optional)
		case v.Projected != nil:
			for _, s := range v.Projected.Sources {
				if s.ConfigMap != nil {
					items("ConfigMap", s.ConfigMap.Name, s.ConfigMap.Items, s.ConfigMap.Optional)
				}
				if s.Secret != nil {
					items("Secret", s.Secret.Name, s.Secret.Items, s.Secret.Optional)
				}
			}
		case v.PersistentVolumeClaim != nil:
			if c.set.Get("PersistentVolumeClaim", w.o.Namespace, v.PersistentVolumeClaim.ClaimName) == nil {
				c.add(w.o, RuleReference, "%s refers to PersistentVolumeClaim %s, which is not in the manifests", where, v.PersistentVolumeClaim.ClaimName)
			}
		}
	}
}

func (c *checker) checkMounts(w *workload, ct corev1.Container) {
	vols := map[string]bool{}
	for _, v := range w.tmpl.Spec.Volumes {
		vols[v.Name] = true
	}
	for _, m := range ct.VolumeMounts {
		if !vols[m.Name] && !w.claims[m.Name] {
			c.add(w.o, RuleReference, "container %s mounts volume %s, which the pod does not define", ct.Name, m.Name)
		}
	}
}

// envValue returns the value of variable name in ct's environment, from
// env or from a ConfigMap of envFrom (later sources win, env over
// envFrom, as the kubelet does), and whether it is set.
func (c *checker) envValue(w *workload, ct corev1.Container, name string) (string, bool) {
	for i := len(ct.Env) - 1; i >= 0; i-- {
		e := ct.Env[i]
		if e.Name != name {
			continue
		}
		if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
			if cm, ok := c.configMap(w.o.Namespace, e.ValueFrom.ConfigMapKeyRef.Name); ok {
				v, ok := cm.Data[e.ValueFrom.ConfigMapKeyRef.Key]
				return v, ok
			}
			return "", false
		}
		return e.Value, e.ValueFrom == nil
	}
	for i := len(ct.EnvFrom) - 1; i >= 0; i-- {
		ef := ct.EnvFrom[i]
		if ef.ConfigMapRef == nil {
			continue
		}
		if cm, ok := c.configMap(w.o.Namespace, ef.ConfigMapRef.Name); ok {
			if v, ok := cm.Data[strings.TrimPrefix(name, ef.Prefix)]; ok && strings.HasPrefix(name, ef.Prefix) {
				return v, true
			}
		}
	}
	return "", false
}

func (c *checker) configMap(ns, name string) (*corev1.ConfigMap, bool) {
	o := c.set.Get("ConfigMap", ns, name)
	if o == nil {
		return nil, false
	}
	cm, ok := o.Obj.(*corev1.ConfigMap)
	return cm, ok
}

func (c *checker) checkGrace(w *workload) {
	grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if w.tmpl.Spec.TerminationGracePeriodSeconds != nil {
		grace = *w.tmpl.Spec.TerminationGracePeriodSeconds
	}
	for _, ct := range w.tmpl.Spec.Containers {
		v, ok := c.envValue(w, ct, "SHUTDOWN_GRACE")
		d := defaultShutdownGrace
		switch {
		case ok:
			var err error
			if d, err = time.ParseDuration(v); err != nil {
				c.add(w.o, RuleGrace, "container %s: SHUTDOWN_GRACE %q is not a duration: the service refuses to start", ct.Name, v)
				continue
			}
		case !isNewspipe(ct.Image):
			continue
		}
		if time.Duration(grace)*time.Second <= d {
			c.add(w.o, RuleGrace, "container %s: terminationGracePeriodSeconds %d is not above SHUTDOWN_GRACE %s: the kubelet kills the stage before it drains", ct.Name, grace, d)
		}
	}
}

func (c *checker) checkScrape(w *workload) {
	p := w.tmpl.Annotations["prometheus.io/port"]
	if p == "" {
		return
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		c.add(w.o, RulePort, "prometheus.io/port %q is not a number", p)
		return
	}
	if _, ok := w.port(intstr.FromInt(n)); !ok {
		c.add(w.o, RulePort, "prometheus.io/port %d is not a container port", n)
	}
}

func (c *checker) checkGoverningService(w *workload, ss *appsv1.StatefulSet) {
	o := c.set.Get("Service", w.o.Namespace, ss.Spec.ServiceName)
	if ss.Spec.ServiceName == "" || o == nil {
		c.add(w.o, RuleStatefulSet, "serviceName %q: no such Service", ss.Spec.ServiceName)
		return
	}
	svc, ok := o.Obj.(*corev1.Service)
	if !ok {
		return
	}
	if svc.Spec.ClusterIP != corev1.ClusterIPNone {
		c.add(w.o, RuleStatefulSet, "Service %s is not headless (clusterIP: None): the pods get no stable DNS names", svc.Name)
	}
	if len(svc.Spec.Selector) == 0 || !w.matches(labels.SelectorFromSet(svc.Spec.Selector)) {
		c.add(w.o, RuleStatefulSet, "Service %s does not select the StatefulSet's pods", svc.Name)
	}
}

// checkOverlaps reports two controllers in one namespace whose selectors
// take each other's pods.
func (c *checker) checkOverlaps() {
	for _, a := range c.workloads {
		sel, err := metav1.LabelSelectorAsSelector(a.selector)
		if err != nil || sel.Empty() {
			continue
		}
		for _, b := range c.workloads {
			if a != b && a.o.Namespace == b.o.Namespace && b.matches(sel) {
				c.add(a.o, RuleSelector, "spec.selector also selects the pods of %s", b.ref())
			}
		}
	}
}

func (c *checker) checkService(o *Object, svc *corev1.Service) {
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		return
	}
	if len(svc.Spec.Selector) == 0 {
		c.add(o, RuleSelector, "spec.selector is empty: the Service has no endpoints")
		return
	}
	ws := c.selecting(o.Namespace, labels.SelectorFromSet(svc.Spec.Selector))
	if len(ws) == 0 {
		c.add(o, RuleSelector, "spec.selector matches no pod template")
		return
	}
	for _, p := range svc.Spec.Ports {
		target := p.TargetPort
		if target.Type == intstr.Int && target.IntVal == 0 {
			target = intstr.FromInt32(p.Port)
		}
		for _, w := range ws {
			if _, ok := w.port(target); !ok {
				c.add(o, RulePort, "port %s: targetPort %s is not a container port of %s", p.Name, target.String(), w.ref())
			}
		}
	}
}

func (c *checker) checkPDB(o *Object, pdb *policyv1.PodDisruptionBudget) {
	sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	if err != nil || pdb.Spec.Selector == nil || sel.Empty() {
		c.add(o, RuleDisruption, "spec.selector is missing or invalid")
		return
	}
	ws := c.selecting(o.Namespace, sel)
	if len(ws) == 0 {
		c.add(o, RuleDisruption, "spec.selector matches no pod template")
		return
	}
	for _, w := range ws {
		n := int(w.minReplicas())
		allowed := 0
		switch {
		case pdb.Spec.MaxUnavailable != nil:
			allowed, _ = intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MaxUnavailable, n, false)
		case pdb.Spec.MinAvailable != nil:
			minAvail, _ := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MinAvailable, n, true)
			allowed = n - minAvail
		default:
			c.add(o, RuleDisruption, "sets neither minAvailable nor maxUnavailable")
			return
		}
		if allowed < 1 {
			c.add(o, RuleDisruption, "allows no disruption of %s (%d replicas): node drains would block", w.ref(), n)
		}
	}
}

// scaleTarget resolves an autoscaler's target and claims its replica
// count for the autoscaler; ok is false after a problem.
func (c *checker) scaleTarget(o *Object, kind, name string, min int32) (*workload, bool) {
	if kind == "" {
		kind = "Deployment"
	}
	w := c.workload(kind, o.Namespace, name)
	if w == nil {
		c.add(o, RuleAutoscale, "scaleTargetRef %s/%s: no such object", kind, name)
		return nil, false
	}
	if w.replicas != nil {
		c.add(o, RuleAutoscale, "%s sets spec.replicas: every apply would reset the autoscaler's count", w.ref())
	}
	if w.scaledBy != "" {
		c.add(o, RuleAutoscale, "%s is also scaled by %s: two autoscalers fight over its replicas", w.ref(), w.scaledBy)
	}
	w.scaledBy, w.minScale = o.Ref(), min
	return w, true
}

func (c *checker) checkHPA(o *Object, h *autoscalingv2.HorizontalPodAutoscaler) {
	min := int32(1)
	if h.Spec.MinReplicas != nil {
		min = *h.Spec.MinReplicas
	}
	if min > h.Spec.MaxReplicas {
		c.add(o, RuleAutoscale, "minReplicas %d is above maxReplicas %d", min, h.Spec.MaxReplicas)
	}
	w, ok := c.scaleTarget(o, h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name, min)
	if !ok {
		return
	}
	if len(h.Spec.Metrics) == 0 {
		c.add(o, RuleAutoscale, "spec.metrics is empty")
	}
	for _, m := range h.Spec.Metrics {
		if m.Type != autoscalingv2.ResourceMetricSourceType || m.Resource == nil {
			continue
		}
		if m.Resource.Target.Type != autoscalingv2.UtilizationMetricType {
			continue
		}
		for _, ct := range w.tmpl.Spec.Containers {
			if _, ok := ct.Resources.Requests[m.Resource.Name]; !ok {
				c.add(o, RuleAutoscale, "scales on %s utilization but container %s of %s requests no %s", m.Resource.Name, ct.Name, w.ref(), m.Resource.Name)
			}
		}
	}
}
