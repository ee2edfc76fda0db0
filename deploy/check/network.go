package check

import (
	"net"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Where the connections the pipeline needs come from or go to, outside
// its namespace; the NetworkPolicies must name them the same way.
const (
	// MonitoringNamespace is where Prometheus runs.
	MonitoringNamespace = "monitoring"
	// KEDANamespace is where KEDA's operator runs.
	KEDANamespace = "keda"
)

// endpoint is one end of a connection: a pod (namespace and labels) or an
// address outside the cluster.
type endpoint struct {
	ns     string
	labels map[string]string
	ip     net.IP // outside the cluster when set
}

func (e endpoint) String() string {
	if e.ip != nil {
		return e.ip.String()
	}
	return e.ns + "/" + labels.Set(e.labels).String()
}

func podOf(w *workload) endpoint { return endpoint{ns: w.o.Namespace, labels: w.tmpl.Labels} }

// An address on the internet, and one in a private network (PostgreSQL,
// in-cluster or not): a policy must let the fetcher reach the first and
// the sink the second.
var (
	internetIP = net.ParseIP("93.184.215.14")
	privateIP  = net.ParseIP("10.20.30.40")
)

// checkNetwork checks, where the set runs newspipe stages, that each of
// their namespaces denies by default and that the policies allow what the
// pipeline needs: every stage to NATS, NATS to itself, the fetcher to the
// web, the sink to PostgreSQL and its webhooks, everyone to DNS, Prometheus to every
// metrics port, anyone to the sink's API, and KEDA to NATS's monitoring
// where ScaledObjects read it.
func (c *checker) checkNetwork() {
	var stages []*workload
	var nats *workload
	for _, w := range c.workloads {
		if w.stage() != "" {
			stages = append(stages, w)
		}
		if w.o.Kind == "StatefulSet" && w.o.Name == "nats" {
			nats = w
		}
	}
	if len(stages) == 0 {
		return
	}
	namespaces := map[string]bool{}
	for _, w := range stages {
		namespaces[w.o.Namespace] = true
	}
	for ns := range namespaces {
		if !c.defaultDeny(ns) {
			c.problems = append(c.problems, Problem{Kind: "Namespace", Name: ns, Rule: RuleNetwork,
				Message: "no default-deny NetworkPolicy (empty podSelector, policyTypes Ingress and Egress, no rules)"})
		}
	}
	dns := endpoint{ns: "kube-system", labels: map[string]string{"k8s-app": "kube-dns"}}
	prometheus := endpoint{ns: MonitoringNamespace, labels: map[string]string{"app.kubernetes.io/name": "prometheus"}}
	anywhere := endpoint{ns: "ingress-nginx", labels: map[string]string{"app.kubernetes.io/name": "ingress-nginx"}}
	var all []*workload
	all = append(all, stages...)
	if nats != nil {
		all = append(all, nats)
	}
	for _, w := range all {
		c.need(w, podOf(w), dns, port(53, corev1.ProtocolUDP), "DNS")
	}
	for _, w := range stages {
		if nats == nil {
			c.add(w.o, RuleNetwork, "no StatefulSet nats in the set: the stages have no NATS to reach")
		} else {
			c.needPod(w, nats, "client", "NATS")
		}
		if _, ok := w.port(intstr.FromString("metrics")); ok {
			c.needIn(w, prometheus, "metrics", "Prometheus in namespace "+MonitoringNamespace)
		}
		switch w.stage() {
		case "fetcher":
			c.need(w, podOf(w), endpoint{ip: internetIP}, port(80, corev1.ProtocolTCP), "the web (HTTP)")
			c.need(w, podOf(w), endpoint{ip: internetIP}, port(443, corev1.ProtocolTCP), "the web (HTTPS)")
		case "sink":
			c.need(w, podOf(w), endpoint{ip: privateIP}, port(5432, corev1.ProtocolTCP), "PostgreSQL")
			c.need(w, podOf(w), endpoint{ip: internetIP}, port(443, corev1.ProtocolTCP), "webhooks (HTTPS)")
			c.needIn(w, anywhere, "http", "clients of the API")
		}
	}
	if nats != nil {
		c.needPod(nats, nats, "cluster", "the other NATS servers")
		for _, o := range c.set.Objects {
			if _, ok := o.Obj.(*ScaledObject); ok {
				keda := endpoint{ns: KEDANamespace, labels: map[string]string{"app": "keda-operator"}}
				c.needIn(nats, keda, "monitor", "KEDA's operator in namespace "+KEDANamespace)
				break
			}
		}
	}
}

func port(n int32, proto corev1.Protocol) corev1.ContainerPort {
	return corev1.ContainerPort{ContainerPort: n, Protocol: proto}
}

// needPod requires that from may open a connection to the named port of to.
func (c *checker) needPod(from, to *workload, portName, what string) {
	p, ok := to.port(intstr.FromString(portName))
	if !ok {
		c.add(to.o, RuleNetwork, "no port %s for %s", portName, what)
		return
	}
	c.need(from, podOf(from), podOf(to), p, what)
	if !c.allowedIn(podOf(from), podOf(to), p) {
		c.add(to.o, RuleNetwork, "ingress from %s on port %s (%d) is not allowed: %s cannot connect", from.ref(), portName, p.ContainerPort, from.ref())
	}
}

// needIn requires that src may reach the named port of w.
func (c *checker) needIn(w *workload, src endpoint, portName, what string) {
	p, ok := w.port(intstr.FromString(portName))
	if !ok {
		return
	}
	if !c.allowedIn(src, podOf(w), p) {
		c.add(w.o, RuleNetwork, "ingress from %s on port %s (%d) is not allowed", what, portName, p.ContainerPort)
	}
}

// need requires that w's pods (from) may open a connection to dst on p.
func (c *checker) need(w *workload, from, dst endpoint, p corev1.ContainerPort, what string) {
	if !c.allowedOut(from, dst, p) {
		c.add(w.o, RuleNetwork, "egress to %s (port %d/%s) is not allowed", what, p.ContainerPort, protocol(p.Protocol))
	}
}

func protocol(p corev1.Protocol) corev1.Protocol {
	if p == "" {
		return corev1.ProtocolTCP
	}
	return p
}

func (c *checker) policies(ns string) []*networkingv1.NetworkPolicy {
	var out []*networkingv1.NetworkPolicy
	for _, o := range c.set.Objects {
		if np, ok := o.Obj.(*networkingv1.NetworkPolicy); ok && o.Namespace == ns {
			out = append(out, np)
		}
	}
	return out
}

func (c *checker) defaultDeny(ns string) bool {
	for _, np := range c.policies(ns) {
		s := np.Spec
		if len(s.PodSelector.MatchLabels) == 0 && len(s.PodSelector.MatchExpressions) == 0 &&
			hasType(np, networkingv1.PolicyTypeIngress) && hasType(np, networkingv1.PolicyTypeEgress) &&
			len(s.Ingress) == 0 && len(s.Egress) == 0 {
			return true
		}
	}
	return false
}

// hasType reports whether np isolates its pods for t, with the API's
// default: Ingress always, Egress when the policy has egress rules.
func hasType(np *networkingv1.NetworkPolicy, t networkingv1.PolicyType) bool {
	if len(np.Spec.PolicyTypes) == 0 {
		return t == networkingv1.PolicyTypeIngress || (t == networkingv1.PolicyTypeEgress && len(np.Spec.Egress) > 0)
	}
	for _, pt := range np.Spec.PolicyTypes {
		if pt == t {
			return true
		}
	}
	return false
}

func selects(sel *metav1.LabelSelector, l map[string]string) bool {
	if sel == nil {
		return false
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && s.Matches(labels.Set(l))
}

// namespaceLabels are the labels of namespace ns: its object's, if the
// set has it, and always kubernetes.io/metadata.name.
func (c *checker) namespaceLabels(ns string) map[string]string {
	l := map[string]string{"kubernetes.io/metadata.name": ns}
	if o := c.set.Get("Namespace", "", ns); o != nil {
		if n, ok := o.Obj.(*corev1.Namespace); ok {
			for k, v := range n.Labels {
				l[k] = v
			}
		}
	}
	return l
}

// peerMatches reports whether peer, in a policy of namespace policyNS,
// takes in e.
func (c *checker) peerMatches(peer networkingv1.NetworkPolicyPeer, policyNS string, e endpoint) bool {
	if peer.IPBlock != nil {
		if e.ip == nil {
			return false
		}
		_, cidr, err := net.ParseCIDR(peer.IPBlock.CIDR)
		if err != nil || !cidr.Contains(e.ip) {
			return false
		}
		for _, ex := range peer.IPBlock.Except {
			if _, n, err := net.ParseCIDR(ex); err == nil && n.Contains(e.ip) {
				return false
			}
		}
		return true
	}
	if e.ip != nil {
		return false
	}
	if peer.NamespaceSelector != nil {
		if !selects(peer.NamespaceSelector, c.namespaceLabels(e.ns)) {
			return false
		}
	} else if e.ns != policyNS {
		return false
	}
	return peer.PodSelector == nil || selects(peer.PodSelector, e.labels)
}

func portMatches(ports []networkingv1.NetworkPolicyPort, p corev1.ContainerPort) bool {
	if len(ports) == 0 {
		return true
	}
	for _, pp := range ports {
		proto := corev1.ProtocolTCP
		if pp.Protocol != nil {
			proto = *pp.Protocol
		}
		if proto != protocol(p.Protocol) {
			continue
		}
		switch {
		case pp.Port == nil:
			return true
		case pp.Port.Type == intstr.String && pp.Port.StrVal == p.Name && p.Name != "":
			return true
		case pp.Port.Type == intstr.Int && pp.EndPort == nil && pp.Port.IntVal == p.ContainerPort:
			return true
		case pp.Port.Type == intstr.Int && pp.EndPort != nil && pp.Port.IntVal <= p.ContainerPort && p.ContainerPort <= *pp.EndPort:
			return true
		}
	}
	return false
}

// allowedOut reports whether the policies of from's namespace let from
// open a connection to dst on p.
func (c *checker) allowedOut(from, dst endpoint, p corev1.ContainerPort) bool {
	isolated := false
	for _, np := range c.policies(from.ns) {
		if !selects(&np.Spec.PodSelector, from.labels) || !hasType(np, networkingv1.PolicyTypeEgress) {
			continue
		}
		isolated = true
		for _, r := range np.Spec.Egress {
			if !portMatches(r.Ports, p) {
				continue
			}
			if len(r.To) == 0 {
				return true
			}
			for _, peer := range r.To {
				if c.peerMatches(peer, np.Namespace, dst) {
					return true
				}
			}
		}
	}
	return !isolated
}

// allowedIn reports whether the policies of to's namespace let src open a
// connection to to on p. Namespaces the set does not hold are taken to
// have no policies.
func (c *checker) allowedIn(src, to endpoint, p corev1.ContainerPort) bool {
	isolated := false
	for _, np := range c.policies(to.ns) {
		if !selects(&np.Spec.PodSelector, to.labels) || !hasType(np, networkingv1.PolicyTypeIngress) {
			continue
		}
		isolated = true
		for _, r := range np.Spec.Ingress {
			if !portMatches(r.Ports, p) {
				continue
			}
			if len(r.From) == 0 {
				return true
			}
			for _, peer := range r.From {
				if c.peerMatches(peer, np.Namespace, src) {
					return true
				}
			}
		}
	}
	return !isolated
}
