package check

import (
	"net"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/newspipe/newspipe/pkg/topology"
)

// natsJetStreamMetadata lists the metadata of KEDA's nats-jetstream scaler
// (keda.sh/docs/scalers/nats-jetstream), and whether each is required.
var natsJetStreamMetadata = map[string]bool{
	"natsServerMonitoringEndpoint": true,
	"account":                      true,
	"stream":                       true,
	"consumer":                     true,
	"lagThreshold":                 true,
	"activationLagThreshold":       false,
	"useHttps":                     false,
}

func (c *checker) checkScaledObject(o *Object, so *ScaledObject) {
	s := so.Spec
	min := int32(0) // KEDA's default: scale to zero
	if s.MinReplicaCount != nil {
		min = *s.MinReplicaCount
	}
	if s.MaxReplicaCount == nil {
		c.add(o, RuleAutoscale, "spec.maxReplicaCount is unset: KEDA's default is 100 pods")
	} else if min > *s.MaxReplicaCount {
		c.add(o, RuleAutoscale, "minReplicaCount %d is above maxReplicaCount %d", min, *s.MaxReplicaCount)
	}
	if s.Fallback == nil || s.Fallback.Replicas < 1 || s.Fallback.FailureThreshold < 1 {
		c.add(o, RuleAutoscale, "spec.fallback is missing or empty: when NATS monitoring cannot be read, KEDA would keep whatever count it had")
	} else if s.MaxReplicaCount != nil && (s.Fallback.Replicas < min || s.Fallback.Replicas > *s.MaxReplicaCount) {
		c.add(o, RuleAutoscale, "fallback.replicas %d is outside %d..%d", s.Fallback.Replicas, min, *s.MaxReplicaCount)
	}
	if s.ScaleTargetRef.APIVersion != "" && s.ScaleTargetRef.APIVersion != "apps/v1" {
		c.add(o, RuleAutoscale, "scaleTargetRef.apiVersion %s: newspipe's stages are apps/v1", s.ScaleTargetRef.APIVersion)
	}
	w, ok := c.scaleTarget(o, s.ScaleTargetRef.Kind, s.ScaleTargetRef.Name, min)
	if !ok {
		return
	}
	if len(s.Triggers) == 0 {
		c.add(o, RuleAutoscale, "spec.triggers is empty")
	}
	for i, t := range s.Triggers {
		if t.Type != "nats-jetstream" {
			continue
		}
		c.checkJetStreamTrigger(o, w, i, t)
	}
}

// checkJetStreamTrigger checks a nats-jetstream trigger against the
// topology (the stage's stream and durable consumer) and the NATS
// Service it reads.
func (c *checker) checkJetStreamTrigger(o *Object, w *workload, i int, t ScaleTrigger) {
	md := t.Metadata
	for k := range md {
		if _, ok := natsJetStreamMetadata[k]; !ok {
			c.add(o, RuleAutoscale, "trigger %d: unknown nats-jetstream metadata %q", i, k)
		}
	}
	for k, required := range natsJetStreamMetadata {
		if required && md[k] == "" {
			c.add(o, RuleAutoscale, "trigger %d: metadata.%s is missing", i, k)
		}
	}
	if stage := w.stage(); stage != "" {
		spec, err := topology.Default().Consumer(stage)
		if err != nil {
			c.add(o, RuleAutoscale, "trigger %d: %v", i, err)
		} else {
			if md["stream"] != spec.Stream {
				c.add(o, RuleAutoscale, "trigger %d: stream %q is not the %s stage's stream %s", i, md["stream"], stage, spec.Stream)
			}
			if md["consumer"] != spec.Durable {
				c.add(o, RuleAutoscale, "trigger %d: consumer %q is not the %s stage's durable consumer %s", i, md["consumer"], stage, spec.Durable)
			}
		}
	}
	if v := md["lagThreshold"]; v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			c.add(o, RuleAutoscale, "trigger %d: lagThreshold %q is not a positive integer", i, v)
		}
	}
	if v := md["activationLagThreshold"]; v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			c.add(o, RuleAutoscale, "trigger %d: activationLagThreshold %q is not a non-negative integer", i, v)
		}
	}
	if ep := md["natsServerMonitoringEndpoint"]; ep != "" {
		c.checkMonitoringEndpoint(o, i, ep)
	}
}

// checkMonitoringEndpoint checks that ep (host:port) is a Service of the
// set with that port. KEDA reaches each server of a cluster as
// <server_name>.<endpoint>, so for a NATS StatefulSet of several servers
// the Service must be the headless one the pods' DNS names hang from.
func (c *checker) checkMonitoringEndpoint(o *Object, i int, ep string) {
	host, port, err := net.SplitHostPort(ep)
	if err != nil {
		c.add(o, RuleAutoscale, "trigger %d: natsServerMonitoringEndpoint %q is not host:port", i, ep)
		return
	}
	parts := strings.Split(host, ".")
	name, ns := parts[0], o.Namespace
	if len(parts) > 1 {
		ns = parts[1]
	}
	so := c.set.Get("Service", ns, name)
	if so == nil {
		c.add(o, RuleAutoscale, "trigger %d: natsServerMonitoringEndpoint %s: no Service %s in namespace %s", i, ep, name, ns)
		return
	}
	svc, ok := so.Obj.(*corev1.Service)
	if !ok {
		return
	}
	n, _ := strconv.Atoi(port)
	if !slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool { return int(p.Port) == n }) {
		c.add(o, RuleAutoscale, "trigger %d: Service %s has no port %s", i, name, port)
	}
	for _, w := range c.workloads {
		if w.o.Kind != "StatefulSet" || w.o.Namespace != ns || len(svc.Spec.Selector) == 0 {
			continue
		}
		if w.matches(selectorOf(svc.Spec.Selector)) && w.minReplicas() > 1 && svc.Spec.ClusterIP != corev1.ClusterIPNone {
			c.add(o, RuleAutoscale, "trigger %d: Service %s is not headless, but KEDA reaches each of the %d NATS servers as <server>.%s", i, name, w.minReplicas(), host)
		}
	}
}
